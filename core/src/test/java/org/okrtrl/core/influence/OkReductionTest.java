package org.okrtrl.core.influence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Oracle 4: for every sign pattern the r-OK reduction's squared error equals
 * S_m^2 / q - sum_{j>m} sigma_j^2, and the exact average over all sign patterns is the input.
 */
class OkReductionTest {

    /** A factor set: k packed columns of length lenA and of length lenU. */
    record Terms(String label, int lenA, int lenU, int rank, double[] a, double[] u, double[] spectrum) {
        @Override
        public String toString() {
            return label + " lenA=" + lenA + " lenU=" + lenU + " r=" + rank;
        }
    }

    static Stream<Arguments> factorSets() {
        Stream.Builder<Arguments> cases = Stream.builder();
        int[][] shapes = {{20, 7}, {12, 30}, {48, 9}, {64, 64}};
        int[] ranks = {1, 2, 3, 5};
        long seed = 1;
        for (int[] shape : shapes) {
            for (int r : ranks) {
                if (r + 1 > Math.min(shape[0], shape[1])) {
                    continue;
                }
                cases.add(Arguments.of(gaussian(shape[0], shape[1], r, seed++)));
                cases.add(Arguments.of(withZeroFactors(shape[0], shape[1], r, seed++)));
                cases.add(Arguments.of(dependent(shape[0], shape[1], r, seed++)));
                cases.add(Arguments.of(spectrum("repeated-top", shape[0], shape[1], r, seed++, repeatedTop(r + 1))));
                cases.add(Arguments.of(spectrum("all-equal", shape[0], shape[1], r, seed++, constant(r + 1))));
                cases.add(Arguments.of(spectrum("steep", shape[0], shape[1], r, seed++, geometric(r + 1, 0.1))));
                cases.add(Arguments.of(spectrum("flat-tail", shape[0], shape[1], r, seed++, flatTail(r + 1))));
                cases.add(Arguments.of(spectrum("zero-last", shape[0], shape[1], r, seed++, zeroLast(r + 1))));
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("factorSets")
    void squaredErrorEqualsClosedFormForEverySignAndMeanIsExact(Terms terms) {
        int k = terms.rank + 1;
        int r = terms.rank;
        OkReduction reduction = new OkReduction(terms.lenA, terms.lenU, r);
        double[] target = product(terms.a, terms.u, terms.lenA, terms.lenU, k);
        double targetNorm2 = frobenius2(target);
        double[] mean = new double[target.length];
        double[] outA = new double[r * terms.lenA];
        double[] outU = new double[r * terms.lenU];
        int patterns = 1 << k;
        for (long signs = 0; signs < patterns; signs++) {
            reduction.reduce(terms.a, terms.u, outA, outU, signs);
            double[] approx = product(outA, outU, terms.lenA, terms.lenU, r);
            double error = 0;
            for (int i = 0; i < target.length; i++) {
                double d = approx[i] - target[i];
                error += d * d;
                mean[i] += approx[i] / patterns;
            }
            double formula = reduction.closedFormSquaredError();
            // Relative 1e-9; an input of rank <= r has formula ~0, compared against ||C||^2.
            double tolerance = 1e-9 * formula + 1e-13 * targetNorm2;
            assertEquals(formula, error, tolerance, terms + " signs=" + signs);
            for (int l = 0; l < r; l++) {
                double na = norm(outA, l * terms.lenA, terms.lenA);
                double nu = norm(outU, l * terms.lenU, terms.lenU);
                // Balance keeps float ranges healthy; it need not be exact to the last digit.
                assertEquals(na, nu, 1e-6 * (na + nu) + 1e-300, "balanced factor norms");
            }
        }
        double bias2 = 0;
        for (int i = 0; i < target.length; i++) {
            bias2 += (mean[i] - target[i]) * (mean[i] - target[i]);
        }
        assertTrue(Math.sqrt(bias2) <= 1e-12 * Math.sqrt(targetNorm2),
                terms + ": mean over all sign patterns misses C by " + Math.sqrt(bias2 / targetNorm2));
        if (terms.spectrum != null) {
            assertEquals(independentClosedForm(terms.spectrum, r), reduction.closedFormSquaredError(),
                    1e-9 * targetNorm2, "closed form from the known singular values");
        }
    }

    @Test
    void aKnownSparseLastColumnGivesTheDenseReductionsResult() {
        // r-OK's D_t: one non-zero per column of an n x gn block; the reduction told where they
        // are must produce what the dense reduction produces, for every sign pattern.
        int n = 12;
        int gn = 24;
        int lenA = n * gn;
        int lenU = 37;
        int r = 4;
        SplittableRandom rng = new SplittableRandom(7);
        double[] a = new double[(r + 1) * lenA];
        for (int i = 0; i < r * lenA; i++) {
            a[i] = rng.nextGaussian();
        }
        int[] support = new int[gn];
        for (int i = 0; i < gn; i++) {
            support[i] = i * n + (i % n);
            a[r * lenA + support[i]] = rng.nextGaussian();
        }
        double[] u = new double[(r + 1) * lenU];
        for (int i = 0; i < u.length; i++) {
            u[i] = rng.nextGaussian();
        }
        OkReduction dense = new OkReduction(lenA, lenU, r);
        OkReduction sparse = new OkReduction(lenA, lenU, r, support);
        for (long signs = 0; signs < 8; signs++) {
            double[] denseA = new double[r * lenA];
            double[] denseU = new double[r * lenU];
            double[] sparseA = new double[r * lenA];
            double[] sparseU = new double[r * lenU];
            dense.reduce(a, u, denseA, denseU, signs);
            sparse.reduce(a, u, sparseA, sparseU, signs);
            for (int i = 0; i < denseA.length; i++) {
                assertEquals(denseA[i], sparseA[i], 1e-12 * Math.max(1, Math.abs(denseA[i])), "A entry " + i);
            }
            for (int i = 0; i < denseU.length; i++) {
                assertEquals(denseU[i], sparseU[i], 1e-12 * Math.max(1, Math.abs(denseU[i])), "u entry " + i);
            }
            assertEquals(dense.closedFormSquaredError(), sparse.closedFormSquaredError(),
                    1e-12 * Math.max(1, dense.closedFormSquaredError()));
        }
    }

    @Test
    void mixingIsRandomWhenItMustBe() {
        // A flat spectrum of k equal values cannot be reduced exactly: every draw errs, and
        // different sign draws give different outputs.
        Terms terms = spectrum("all-equal", 16, 8, 3, 99, constant(4));
        OkReduction reduction = new OkReduction(16, 8, 3);
        double[] a1 = new double[3 * 16];
        double[] u1 = new double[3 * 8];
        double[] a2 = a1.clone();
        double[] u2 = u1.clone();
        reduction.reduce(terms.a, terms.u, a1, u1, 0b0000L);
        double error = reduction.closedFormSquaredError();
        reduction.reduce(terms.a, terms.u, a2, u2, 0b0101L);
        double[] c1 = product(a1, u1, 16, 8, 3);
        double[] c2 = product(a2, u2, 16, 8, 3);
        assertTrue(error > 0.1, "equal singular values force an error");
        double diff = 0;
        for (int i = 0; i < c1.length; i++) {
            diff += (c1[i] - c2[i]) * (c1[i] - c2[i]);
        }
        assertTrue(diff > 1e-3, "different signs must give different estimates");
    }

    /** S_m^2/q - sum sigma_j^2 straight from the definition in ALGORITHMS.md section 4. */
    static double independentClosedForm(double[] sigmaUnsorted, int r) {
        double[] sigma = sigmaUnsorted.clone();
        java.util.Arrays.sort(sigma);
        for (int i = 0; i < sigma.length / 2; i++) {
            double t = sigma[i];
            sigma[i] = sigma[sigma.length - 1 - i];
            sigma[sigma.length - 1 - i] = t;
        }
        for (int m = 0; m < r; m++) {
            double tail = 0;
            double squares = 0;
            for (int j = m; j < sigma.length; j++) {
                tail += sigma[j];
                squares += sigma[j] * sigma[j];
            }
            if ((r - m) * sigma[m] <= tail) {
                return tail == 0 ? 0 : tail * tail / (r - m) - squares;
            }
        }
        throw new AssertionError("no m found");
    }

    static Terms gaussian(int lenA, int lenU, int r, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Terms("gaussian", lenA, lenU, r, gauss(rng, (r + 1) * lenA), gauss(rng, (r + 1) * lenU), null);
    }

    /** All A_s but the last are zero: the state right after a sequence reset. */
    static Terms withZeroFactors(int lenA, int lenU, int r, long seed) {
        Terms g = gaussian(lenA, lenU, r, seed);
        java.util.Arrays.fill(g.a, 0, r * lenA, 0.0);
        return new Terms("zero-factors", lenA, lenU, r, g.a, g.u, null);
    }

    /** The last u is a combination of the others: rank r, one singular value zero. */
    static Terms dependent(int lenA, int lenU, int r, long seed) {
        Terms g = gaussian(lenA, lenU, r, seed);
        for (int j = 0; j < lenU; j++) {
            double s = 0;
            for (int t = 0; t < r; t++) {
                s += (t + 1) * 0.3 * g.u[t * lenU + j];
            }
            g.u[r * lenU + j] = s;
        }
        return new Terms("dependent", lenA, lenU, r, g.a, g.u, null);
    }

    /** C = Qa diag(sigma) Qu^T, spread over k terms by a random rotation. */
    static Terms spectrum(String label, int lenA, int lenU, int r, long seed, double[] sigma) {
        SplittableRandom rng = new SplittableRandom(seed);
        int k = r + 1;
        double[] qa = orthonormalColumns(gauss(rng, k * lenA), lenA, k);
        double[] qu = orthonormalColumns(gauss(rng, k * lenU), lenU, k);
        double[] rot = orthonormalColumns(gauss(rng, k * k), k, k);
        double[] a = new double[k * lenA];
        double[] u = new double[k * lenU];
        for (int s = 0; s < k; s++) {
            for (int j = 0; j < k; j++) {
                double w = rot[s * k + j];
                for (int i = 0; i < lenA; i++) {
                    a[s * lenA + i] += sigma[j] * qa[j * lenA + i] * w;
                }
                for (int i = 0; i < lenU; i++) {
                    u[s * lenU + i] += qu[j * lenU + i] * w;
                }
            }
        }
        return new Terms(label + java.util.Arrays.toString(sigma), lenA, lenU, r, a, u, sigma);
    }

    static double[] repeatedTop(int k) {
        double[] s = new double[k];
        for (int i = 0; i < k; i++) {
            s[i] = i < 2 ? 3.0 : 1.0 / (i + 1);
        }
        return s;
    }

    static double[] constant(int k) {
        double[] s = new double[k];
        java.util.Arrays.fill(s, 2.0);
        return s;
    }

    static double[] geometric(int k, double ratio) {
        double[] s = new double[k];
        for (int i = 0; i < k; i++) {
            s[i] = Math.pow(ratio, i);
        }
        return s;
    }

    static double[] flatTail(int k) {
        double[] s = new double[k];
        for (int i = 0; i < k; i++) {
            s[i] = i == 0 ? 5.0 : 0.7;
        }
        return s;
    }

    static double[] zeroLast(int k) {
        double[] s = new double[k];
        for (int i = 0; i < k; i++) {
            s[i] = i == k - 1 ? 0.0 : 1.0 + i;
        }
        return s;
    }

    static double[] gauss(SplittableRandom rng, int len) {
        double[] x = new double[len];
        for (int i = 0; i < len; i += 2) {
            double u1 = 1 - rng.nextDouble();
            double u2 = rng.nextDouble();
            double radius = Math.sqrt(-2 * Math.log(u1));
            x[i] = radius * Math.cos(2 * Math.PI * u2);
            if (i + 1 < len) {
                x[i + 1] = radius * Math.sin(2 * Math.PI * u2);
            }
        }
        return x;
    }

    /** Modified Gram-Schmidt, twice, over k packed columns of length len. */
    static double[] orthonormalColumns(double[] x, int len, int k) {
        for (int pass = 0; pass < 2; pass++) {
            for (int j = 0; j < k; j++) {
                for (int i = 0; i < j; i++) {
                    double d = 0;
                    for (int t = 0; t < len; t++) {
                        d += x[i * len + t] * x[j * len + t];
                    }
                    for (int t = 0; t < len; t++) {
                        x[j * len + t] -= d * x[i * len + t];
                    }
                }
                double nrm = norm(x, j * len, len);
                for (int t = 0; t < len; t++) {
                    x[j * len + t] /= nrm;
                }
            }
        }
        return x;
    }

    /** sum_s a_s u_s^T as a lenA x lenU row-major matrix. */
    static double[] product(double[] a, double[] u, int lenA, int lenU, int terms) {
        double[] c = new double[lenA * lenU];
        for (int s = 0; s < terms; s++) {
            for (int i = 0; i < lenA; i++) {
                double ai = a[s * lenA + i];
                for (int j = 0; j < lenU; j++) {
                    c[i * lenU + j] += ai * u[s * lenU + j];
                }
            }
        }
        return c;
    }

    static double frobenius2(double[] c) {
        double s = 0;
        for (double x : c) {
            s += x * x;
        }
        return s;
    }

    static double norm(double[] x, int offset, int len) {
        double s = 0;
        for (int i = offset; i < offset + len; i++) {
            s += x[i] * x[i];
        }
        return Math.sqrt(s);
    }
}
