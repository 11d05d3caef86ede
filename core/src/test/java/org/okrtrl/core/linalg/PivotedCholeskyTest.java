package org.okrtrl.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PivotedCholeskyTest {
    private static final int K = 9;

    /** G = A^T A for a random tall A (rows x K, by columns) whose columns past independent repeat earlier ones. */
    private static double[] gram(SplittableRandom rng, int rows, int independent, double[] a) {
        for (int j = 0; j < K; j++) {
            for (int i = 0; i < rows; i++) {
                a[j * rows + i] = j < independent ? rng.nextGaussian() : 2.0 * a[(j % independent) * rows + i];
            }
        }
        double[] g = new double[K * K];
        for (int p = 0; p < K; p++) {
            for (int q = 0; q < K; q++) {
                double s = 0;
                for (int i = 0; i < rows; i++) {
                    s += a[p * rows + i] * a[q * rows + i];
                }
                g[p * K + q] = s;
            }
        }
        return g;
    }

    @Test
    void factorReproducesThePermutedGramAndFindsTheRank() {
        SplittableRandom rng = new SplittableRandom(3);
        int rows = 40;
        for (int independent = 1; independent <= K; independent++) {
            double[] a = new double[rows * K];
            double[] g = gram(rng, rows, independent, a);
            PivotedCholesky chol = new PivotedCholesky(K);
            int rank = chol.decompose(g, 1e-14);
            assertEquals(independent, rank, "rank of a Gram matrix with " + independent + " independent columns");
            double[] r = chol.upperFactor();
            int[] pivot = chol.pivots();
            double scale = 0;
            for (int i = 0; i < K; i++) {
                scale = Math.max(scale, g[i * K + i]);
            }
            for (int i = 0; i < K; i++) {
                for (int j = 0; j < K; j++) {
                    double s = 0;
                    for (int m = 0; m < K; m++) {
                        s += r[m * K + i] * r[m * K + j];
                    }
                    assertEquals(g[pivot[i] * K + pivot[j]], s, 1e-12 * scale, "(R^T R)[" + i + "][" + j + "]");
                    if (j < i) {
                        assertEquals(0.0, r[i * K + j], "R is upper triangular");
                    }
                }
            }
        }
    }

    @Test
    void leadingColumnsTimesTheInverseFactorAreOrthonormal() {
        SplittableRandom rng = new SplittableRandom(11);
        int rows = 30;
        double[] a = new double[rows * K];
        double[] g = gram(rng, rows, 6, a);
        PivotedCholesky chol = new PivotedCholesky(K);
        int rank = chol.decompose(g, 1e-14);
        assertEquals(6, rank);
        // Z = R_11^{-1} from R_11 Z = I; then Q = A P_1 Z must have orthonormal columns.
        double[] z = new double[K * rank];
        for (int i = 0; i < rank; i++) {
            z[i * rank + i] = 1.0;
        }
        chol.solveLeading(z, rank);
        double[] q = new double[rows * rank];
        for (int c = 0; c < rank; c++) {
            for (int i = 0; i < rows; i++) {
                double s = 0;
                for (int m = 0; m < rank; m++) {
                    s += a[chol.pivots()[m] * rows + i] * z[m * rank + c];
                }
                q[c * rows + i] = s;
            }
        }
        for (int p = 0; p < rank; p++) {
            for (int c = 0; c < rank; c++) {
                double s = 0;
                for (int i = 0; i < rows; i++) {
                    s += q[p * rows + i] * q[c * rows + i];
                }
                assertEquals(p == c ? 1.0 : 0.0, s, 1e-10, "Q^T Q [" + p + "][" + c + "]");
            }
        }
    }

    @Test
    void zeroMatrixHasRankZeroAndEveryPivotIsTheLargestRemaining() {
        PivotedCholesky chol = new PivotedCholesky(K);
        assertEquals(0, chol.decompose(new double[K * K], 1e-14));
        SplittableRandom rng = new SplittableRandom(5);
        double[] a = new double[20 * K];
        chol.decompose(gram(rng, 20, K, a), 1e-14);
        double[] r = chol.upperFactor();
        for (int i = 1; i < K; i++) {
            assertTrue(r[i * K + i] <= r[(i - 1) * K + (i - 1)] * (1 + 1e-12),
                    "complete pivoting takes the largest remaining diagonal first");
        }
    }
}
