package org.okrtrl.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The dense kernels against naive loops, including sizes that leave vector remainders. */
class DenseTest {

    @org.junit.jupiter.api.Test
    void kernelSelectionFollowsTheSwitch() {
        // Tests run with the Vector API module; the blas-fallback execution switches it off.
        boolean disabled = Boolean.getBoolean("okrtrl.disableVectorKernels");
        assertEquals(!disabled, Dense.kernelName().startsWith("Vector API"), Dense.kernelName());
    }

    @ParameterizedTest(name = "n={0} cols={1}")
    @CsvSource({"1, 1", "3, 5", "16, 4", "17, 7", "33, 9", "48, 6", "64, 12", "96, 9", "128, 5", "130, 7"})
    void squareLeftProductMatchesNaive(int n, int cols) {
        SplittableRandom rng = new SplittableRandom(n * 100 + cols);
        double[] h = random(rng, n * n);
        double[] x = random(rng, n * cols);
        double[] c = new double[n * cols];
        Dense.multiplySquareLeft(n, cols, h, x, c);
        for (int col = 0; col < cols; col++) {
            for (int row = 0; row < n; row++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += h[j * n + row] * x[col * n + j];
                }
                assertEquals(s, c[col * n + row], 1e-12 * Math.max(1, Math.abs(s)), "row " + row + " col " + col);
            }
        }
    }

    @ParameterizedTest(name = "len={0} k={1} r={2}")
    @CsvSource({"1, 2, 1", "7, 3, 2", "8, 9, 8", "17, 5, 4", "100, 17, 16", "129, 13, 12", "1024, 2, 1", "2048, 9, 8",
        "1032, 8, 8"})
    void tallBySmallProductMatchesNaive(int len, int k, int r) {
        SplittableRandom rng = new SplittableRandom(len * 1000 + k * 10 + r);
        double[] t = random(rng, len * k);
        double[] m = random(rng, k * r);
        double[] out = new double[len * r];
        Dense.multiplyTallBySmall(len, k, r, t, m, out);
        for (int l = 0; l < r; l++) {
            for (int i = 0; i < len; i++) {
                double s = 0;
                for (int j = 0; j < k; j++) {
                    s += t[j * len + i] * m[l * k + j];
                }
                assertEquals(s, out[l * len + i], 1e-12 * Math.max(1, Math.abs(s)));
            }
        }
    }

    @ParameterizedTest(name = "len={0} k={1}")
    @CsvSource({"16, 1", "100, 9", "1500, 9", "16385, 9", "2051, 6", "4096, 8", "1024, 5", "16384, 4"})
    void blockedGramAndTransposedProductMatchPlainDots(int len, int k) {
        SplittableRandom rng = new SplittableRandom(len * 10 + k);
        double[] a = random(rng, len * k);
        double[] gram = new double[k * k];
        Dense.gramColumns(len, k, a, gram, new double[Dense.gramScratchLength(k)]);
        double[] x = random(rng, len);
        double[] y = new double[k];
        Dense.multiplyTransposedVectorColumnMajor(len, k, a, x, y);
        // The Vector API kernels promise the dot product's own bits; BLAS only its value.
        boolean sameBits = Dense.kernelName().startsWith("Vector API");
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double d = Dense.dot(len, a, i * len, a, j * len);
                double naive = 0;
                double scale = 0;
                for (int l = 0; l < len; l++) {
                    naive += a[i * len + l] * a[j * len + l];
                    scale += Math.abs(a[i * len + l] * a[j * len + l]);
                }
                assertEquals(naive, d, 1e-13 * scale, "dot " + i + "," + j);
                assertEquals(d, gram[i * k + j], sameBits ? 0.0 : 1e-12 * Math.abs(d), "pair " + i + "," + j);
            }
            double d = Dense.dot(len, a, i * len, x, 0);
            assertEquals(d, y[i], sameBits ? 0.0 : 1e-12 * Math.max(1, Math.abs(d)), "column " + i);
        }
    }

    @ParameterizedTest(name = "len={0}")
    @CsvSource({"1", "7", "8", "29", "1000"})
    void adamUpdateMatchesTheScalarFormula(int len) {
        SplittableRandom rng = new SplittableRandom(len);
        double[] theta = random(rng, len);
        double[] grad = random(rng, len);
        double[] m = random(rng, len);
        double[] v = new double[len];
        for (int i = 0; i < len; i++) {
            v[i] = rng.nextDouble();
        }
        double[] theta0 = theta.clone();
        double[] m0 = m.clone();
        double[] v0 = v.clone();
        Dense.adamUpdate(len, theta, grad, m, v, 0.9, 0.999, 1e-3, 1e-8);
        for (int i = 0; i < len; i++) {
            double mi = 0.9 * m0[i] + (1 - 0.9) * grad[i];
            double vi = 0.999 * v0[i] + (1 - 0.999) * grad[i] * grad[i];
            assertEquals(mi, m[i], 0.0);
            assertEquals(vi, v[i], 0.0);
            assertEquals(theta0[i] - 1e-3 * mi / (Math.sqrt(vi) + 1e-8), theta[i], 0.0);
        }
    }

    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @CsvSource({"1, 1, 1", "7, 5, 3", "129, 64, 4", "33, 20, 9", "16, 16, 16", "161, 128, 8", "179, 10, 17",
        "40, 3, 11"})
    void outerProductSumsAndGramsMatchNaive(int m, int n, int k) {
        SplittableRandom rng = new SplittableRandom(m * 31 + n * 7 + k);
        double[] a = random(rng, m * k);
        double[] b = random(rng, n * k);
        double[] start = random(rng, m * n);
        double[] set = new double[m * n];
        double[] added = start.clone();
        Dense.multiplyColumnMajorTransposedRight(m, n, k, a, b, set);
        Dense.addColumnMajorTransposedRight(m, n, k, a, b, added);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                double s = 0;
                for (int q = 0; q < k; q++) {
                    s += a[q * m + i] * b[q * n + j];
                }
                assertEquals(s, set[j * m + i], 1e-12 * Math.max(1, Math.abs(s)));
                assertEquals(start[j * m + i] + s, added[j * m + i], 1e-12 * Math.max(1, Math.abs(s)));
                if (Dense.kernelName().startsWith("Vector API") && i < m - m % 8) {
                    // The vector kernel promises each entry's own FMA chain, terms in order.
                    double chain = start[j * m + i];
                    for (int q = 0; q < k; q++) {
                        chain = Math.fma(a[q * m + i], b[q * n + j], chain);
                    }
                    assertEquals(chain, added[j * m + i], 0.0, "entry " + i + "," + j);
                }
            }
        }
        double[] gram = new double[k * k];
        Dense.gramColumns(m, k, a, gram, new double[Dense.gramScratchLength(k)]);
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int l = 0; l < m; l++) {
                    s += a[i * m + l] * a[j * m + l];
                }
                assertEquals(s, gram[i * k + j], 1e-12 * Math.max(1, Math.abs(s)));
            }
            double d = 0;
            for (int l = 0; l < m; l++) {
                d += a[l] * a[i * m + l];
            }
            assertEquals(d, Dense.dot(m, a, 0, a, i * m), 1e-12 * Math.max(1, Math.abs(d)));
        }
    }

    @Test
    void maxAbsFlagsNonFiniteEntries() {
        assertEquals(3.0, Dense.maxAbsOrNaN(3, new double[] {1, -3, 2, Double.NaN}));
        assertTrue(Double.isNaN(Dense.maxAbsOrNaN(2, new double[] {1, Double.NEGATIVE_INFINITY})));
        assertTrue(Double.isNaN(Dense.maxAbsOrNaN(2, new double[] {Double.NaN, 1})));
        // Long enough for the vector path: every position of the largest entry and of a non-finite one.
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int len : new int[] {16, 37, 1288}) {
            double[] x = rng.doubles(len + 1, -1, 1).toArray();
            x[len] = Double.NaN;
            for (int at = 0; at < len; at++) {
                double[] y = x.clone();
                y[at] = -7.5;
                assertEquals(7.5, Dense.maxAbsOrNaN(len, y), 0.0, "largest at " + at + " of " + len);
                y[at] = at % 2 == 0 ? Double.NaN : Double.POSITIVE_INFINITY;
                assertTrue(Double.isNaN(Dense.maxAbsOrNaN(len, y)), "non-finite at " + at + " of " + len);
            }
        }
    }

    @ParameterizedTest(name = "rows={0} cols={1}")
    @CsvSource({"1, 1", "5, 3", "9, 17"})
    void levelTwoOperationsMatchNaive(int rows, int cols) {
        SplittableRandom rng = new SplittableRandom(rows * 7 + cols);
        double[] a = random(rng, rows * cols);
        double[] x = random(rng, rows);
        double[] y = random(rng, cols);
        double[] out = new double[Math.max(rows, cols)];
        Dense.multiplyTransposedVector(rows, cols, a, x, out);
        for (int j = 0; j < cols; j++) {
            double s = 0;
            for (int i = 0; i < rows; i++) {
                s += a[i * cols + j] * x[i];
            }
            assertEquals(s, out[j], 1e-12);
        }
        Dense.multiplyVector(rows, cols, a, y, out);
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += a[i * cols + j] * y[j];
            }
            assertEquals(s, out[i], 1e-12);
        }
        double[] copy = a.clone();
        Dense.addOuter(rows, cols, 0.5, x, y, copy);
        assertEquals(a[cols - 1] + 0.5 * x[0] * y[cols - 1], copy[cols - 1], 1e-15);
    }

    private static double[] random(SplittableRandom rng, int len) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) {
            x[i] = rng.nextDouble() * 2 - 1;
        }
        return x;
    }
}
