package org.okrtrl.core.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The smaller double-only Vector API kernels (sums of outer products, Adam); the passes over the
 * influence factors, written once for double and float, are {@code DoubleSquareProductKernel},
 * {@code DoubleFactorPassKernels}, {@code DoubleGramKernel} and their float twins. Only loaded
 * when the JVM has {@code jdk.incubator.vector}; {@link Dense} falls back to BLAS or plain loops
 * otherwise.
 */
final class VectorKernels {
    static final VectorSpecies<Double> SPECIES = DoubleLanes.SPECIES;
    static final int LANES = DoubleLanes.LANES;

    private VectorKernels() {}

    /**
     * c (m x n, column-major) = sum over s < k of a_s b_s^T, with a (m x k) and b (n x k)
     * column-major: the gradient of a Kronecker sum, sum_s u_s (A_s^T delta)^T.
     */
    static void sumOfOuterProducts(int m, int n, int k, double[] a, double[] b, double[] c) {
        int vectorLen = m - m % LANES;
        for (int j = 0; j < n; j++) {
            int cj = j * m;
            for (int i = 0; i < vectorLen; i += LANES) {
                DoubleVector acc = DoubleVector.zero(SPECIES);
                for (int s = 0; s < k; s++) {
                    acc = DoubleVector.fromArray(SPECIES, a, s * m + i)
                            .fma(DoubleVector.broadcast(SPECIES, b[s * n + j]), acc);
                }
                acc.intoArray(c, cj + i);
            }
            for (int i = vectorLen; i < m; i++) {
                double sum = 0;
                for (int s = 0; s < k; s++) {
                    sum += a[s * m + i] * b[s * n + j];
                }
                c[cj + i] = sum;
            }
        }
    }

    /**
     * c (m x n, column-major) += sum over s < k of a_s b_s^T; see {@link #sumOfOuterProducts}.
     * Terms go eight at a time with sixteen rows of their a_s held in registers while every
     * column of c passes by; each entry still adds its terms in order of s, starting from c.
     */
    static void addSumOfOuterProducts(int m, int n, int k, double[] a, double[] b, double[] c) {
        int vectorLen = m - m % LANES;
        int pairedLen = m - m % (2 * LANES);
        int s0 = 0;
        for (; s0 + 8 <= k; s0 += 8) {
            for (int i = 0; i < pairedLen; i += 2 * LANES) {
                addEightOuterProducts(m, n, s0, i, a, b, c);
            }
            addOuterProducts(m, n, s0, s0 + 8, pairedLen, vectorLen, a, b, c);
        }
        if (s0 < k) {
            addOuterProducts(m, n, s0, k, 0, vectorLen, a, b, c);
        }
    }

    /** c += sum over s in [sFrom, sTo) of a_s b_s^T on rows [iFrom, m), vector rows below vectorLen. */
    private static void addOuterProducts(int m, int n, int sFrom, int sTo, int iFrom, int vectorLen, double[] a,
            double[] b, double[] c) {
        for (int j = 0; j < n; j++) {
            int cj = j * m;
            for (int i = iFrom; i < vectorLen; i += LANES) {
                DoubleVector acc = DoubleVector.fromArray(SPECIES, c, cj + i);
                for (int s = sFrom; s < sTo; s++) {
                    acc = DoubleVector.fromArray(SPECIES, a, s * m + i)
                            .fma(DoubleVector.broadcast(SPECIES, b[s * n + j]), acc);
                }
                acc.intoArray(c, cj + i);
            }
            for (int i = Math.max(iFrom, vectorLen); i < m; i++) {
                double sum = c[cj + i];
                for (int s = sFrom; s < sTo; s++) {
                    sum += a[s * m + i] * b[s * n + j];
                }
                c[cj + i] = sum;
            }
        }
    }

    private static void addEightOuterProducts(int m, int n, int s0, int i, double[] a, double[] b, double[] c) {
        int a0 = s0 * m + i;
        DoubleVector u0 = DoubleVector.fromArray(SPECIES, a, a0);
        DoubleVector v0 = DoubleVector.fromArray(SPECIES, a, a0 + LANES);
        DoubleVector u1 = DoubleVector.fromArray(SPECIES, a, a0 + m);
        DoubleVector v1 = DoubleVector.fromArray(SPECIES, a, a0 + m + LANES);
        DoubleVector u2 = DoubleVector.fromArray(SPECIES, a, a0 + 2 * m);
        DoubleVector v2 = DoubleVector.fromArray(SPECIES, a, a0 + 2 * m + LANES);
        DoubleVector u3 = DoubleVector.fromArray(SPECIES, a, a0 + 3 * m);
        DoubleVector v3 = DoubleVector.fromArray(SPECIES, a, a0 + 3 * m + LANES);
        DoubleVector u4 = DoubleVector.fromArray(SPECIES, a, a0 + 4 * m);
        DoubleVector v4 = DoubleVector.fromArray(SPECIES, a, a0 + 4 * m + LANES);
        DoubleVector u5 = DoubleVector.fromArray(SPECIES, a, a0 + 5 * m);
        DoubleVector v5 = DoubleVector.fromArray(SPECIES, a, a0 + 5 * m + LANES);
        DoubleVector u6 = DoubleVector.fromArray(SPECIES, a, a0 + 6 * m);
        DoubleVector v6 = DoubleVector.fromArray(SPECIES, a, a0 + 6 * m + LANES);
        DoubleVector u7 = DoubleVector.fromArray(SPECIES, a, a0 + 7 * m);
        DoubleVector v7 = DoubleVector.fromArray(SPECIES, a, a0 + 7 * m + LANES);
        int b0 = s0 * n;
        for (int j = 0; j < n; j++) {
            int cj = j * m + i;
            DoubleVector x = DoubleVector.fromArray(SPECIES, c, cj);
            DoubleVector y = DoubleVector.fromArray(SPECIES, c, cj + LANES);
            int bj = b0 + j;
            DoubleVector w = DoubleVector.broadcast(SPECIES, b[bj]);
            x = u0.fma(w, x);
            y = v0.fma(w, y);
            w = DoubleVector.broadcast(SPECIES, b[bj + n]);
            x = u1.fma(w, x);
            y = v1.fma(w, y);
            w = DoubleVector.broadcast(SPECIES, b[bj + 2 * n]);
            x = u2.fma(w, x);
            y = v2.fma(w, y);
            w = DoubleVector.broadcast(SPECIES, b[bj + 3 * n]);
            x = u3.fma(w, x);
            y = v3.fma(w, y);
            w = DoubleVector.broadcast(SPECIES, b[bj + 4 * n]);
            x = u4.fma(w, x);
            y = v4.fma(w, y);
            w = DoubleVector.broadcast(SPECIES, b[bj + 5 * n]);
            x = u5.fma(w, x);
            y = v5.fma(w, y);
            w = DoubleVector.broadcast(SPECIES, b[bj + 6 * n]);
            x = u6.fma(w, x);
            y = v6.fma(w, y);
            w = DoubleVector.broadcast(SPECIES, b[bj + 7 * n]);
            x = u7.fma(w, x);
            y = v7.fma(w, y);
            x.intoArray(c, cj);
            y.intoArray(c, cj + LANES);
        }
    }

    /** The vector part of {@link Dense#adamUpdate}; returns the first index it left to the caller. */
    static int adamUpdate(int len, double[] theta, double[] grad, double[] m, double[] v, double beta1, double beta2,
            double stepSize, double epsilon) {
        int vectorLen = SPECIES.loopBound(len);
        double oneMinusBeta1 = 1 - beta1;
        double oneMinusBeta2 = 1 - beta2;
        for (int i = 0; i < vectorLen; i += LANES) {
            DoubleVector g = DoubleVector.fromArray(SPECIES, grad, i);
            DoubleVector mi = DoubleVector.fromArray(SPECIES, m, i).mul(beta1).add(g.mul(oneMinusBeta1));
            // (1 - beta2) g g, multiplied left to right as the scalar loop does.
            DoubleVector vi = DoubleVector.fromArray(SPECIES, v, i).mul(beta2).add(g.mul(oneMinusBeta2).mul(g));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            DoubleVector step = mi.mul(stepSize).div(vi.sqrt().add(epsilon));
            DoubleVector.fromArray(SPECIES, theta, i).sub(step).intoArray(theta, i);
        }
        return vectorLen;
    }
}
