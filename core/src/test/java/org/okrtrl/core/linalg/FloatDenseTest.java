package org.okrtrl.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The float passes against sums of the same float inputs in double. A sum of m products in float
 * is within m u sum |products| of the exact sum, u = 2^-24 the unit roundoff (each of the m
 * roundings of a running sum errs by at most u times it; Higham, "Accuracy and Stability of
 * Numerical Algorithms", section 3.1); the double reference adds errors 2^29 times smaller.
 */
class FloatDenseTest {
    private static final double UNIT_ROUNDOFF = Math.ulp(1.0f) / 2;

    @ParameterizedTest(name = "n={0} cols={1}")
    @CsvSource({"1, 1", "3, 5", "16, 4", "17, 7", "32, 9", "48, 6", "64, 12", "96, 9", "128, 7", "130, 7",
        "256, 4"})
    void squareLeftProductIsWithinTheFloatBound(int n, int cols) {
        SplittableRandom rng = new SplittableRandom(n * 100 + cols);
        float[] h = random(rng, n * n);
        float[] x = random(rng, n * cols);
        float[] c = new float[n * cols];
        FloatDense.multiplySquareLeft(n, cols, h, x, c);
        for (int col = 0; col < cols; col++) {
            for (int row = 0; row < n; row++) {
                double s = 0;
                double scale = 0;
                for (int j = 0; j < n; j++) {
                    double product = (double) h[j * n + row] * x[col * n + j];
                    s += product;
                    scale += Math.abs(product);
                }
                assertEquals(s, c[col * n + row], bound(n, scale), "row " + row + " col " + col);
            }
        }
    }

    @ParameterizedTest(name = "len={0} k={1} r={2}")
    @CsvSource({"7, 3, 2", "33, 9, 8", "4096, 9, 8", "16384, 9, 8", "8192, 8, 8", "1000, 5, 4", "2051, 9, 3"})
    void tallBySmallProductIsWithinTheFloatBound(int len, int k, int r) {
        SplittableRandom rng = new SplittableRandom(len * 13 + k * 3 + r);
        float[] t = random(rng, len * k);
        float[] m = random(rng, k * r);
        float[] out = new float[len * r];
        FloatDense.multiplyTallBySmall(len, k, r, t, m, out);
        for (int l = 0; l < r; l++) {
            for (int i = 0; i < len; i++) {
                double s = 0;
                double scale = 0;
                for (int j = 0; j < k; j++) {
                    double product = (double) t[j * len + i] * m[l * k + j];
                    s += product;
                    scale += Math.abs(product);
                }
                assertEquals(s, out[l * len + i], bound(k, scale), "entry " + i + " of output " + l);
            }
        }
    }

    @ParameterizedTest(name = "len={0} k={1}")
    @CsvSource({"16, 1", "100, 9", "1500, 9", "16385, 9", "2051, 6", "4096, 8", "1024, 5", "16384, 4", "8192, 9"})
    void gramAndTransposedProductAreWithinTheFloatBound(int len, int k) {
        SplittableRandom rng = new SplittableRandom(len * 10 + k);
        float[] a = random(rng, len * k);
        double[] gram = new double[k * k];
        FloatDense.gramColumns(len, k, a, gram, new float[FloatDense.gramScratchLength(k)]);
        float[] x = random(rng, len);
        float[] y = new float[k];
        FloatDense.multiplyTransposedVectorColumnMajor(len, k, a, x, y);
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double s = 0;
                double scale = 0;
                for (int l = 0; l < len; l++) {
                    double product = (double) a[i * len + l] * a[j * len + l];
                    s += product;
                    scale += Math.abs(product);
                }
                assertEquals(s, gram[i * k + j], bound(len, scale), "pair " + i + "," + j);
                assertEquals(gram[i * k + j], gram[j * k + i], 0.0, "symmetric " + i + "," + j);
            }
            double s = 0;
            double scale = 0;
            for (int l = 0; l < len; l++) {
                double product = (double) a[i * len + l] * x[l];
                s += product;
                scale += Math.abs(product);
            }
            assertEquals(s, y[i], bound(len, scale), "column " + i);
        }
    }

    @Test
    void roundingAndWideningConvertEveryEntry() {
        double[] wide = {1.0, 1.0 / 3, -2.5e-3, 1e30};
        float[] narrow = new float[4];
        FloatDense.round(4, wide, narrow);
        double[] back = new double[4];
        FloatDense.widen(4, narrow, back);
        for (int i = 0; i < 4; i++) {
            assertEquals((float) wide[i], narrow[i], 0f);
            assertEquals(narrow[i], back[i], 0.0);
        }
    }

    @Test
    void transposeRoundedIsTheRoundedTranspose() {
        int n = 37;
        double[] a = new double[n * n];
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextGaussian();
        }
        float[] t = new float[n * n];
        FloatDense.transposeRounded(n, a, t);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals((float) a[i * n + j], t[j * n + i], 0f);
            }
        }
    }

    /** m u sum|products| (with m u < 1 the first-order bound), and a floor for all-zero sums. */
    private static double bound(int terms, double scale) {
        return terms * UNIT_ROUNDOFF * scale + Float.MIN_NORMAL;
    }

    private static float[] random(SplittableRandom rng, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return x;
    }
}
