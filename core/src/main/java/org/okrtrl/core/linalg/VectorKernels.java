package org.okrtrl.core.linalg;

import static jdk.incubator.vector.VectorOperators.ADD;

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

    /**
     * y (rows) = a x for a (rows x cols) row-major, four rows per pass over x so four independent
     * FMA chains hide the latency; each entry is the chain, lane sum and scalar ends of
     * {@link DoubleLanes#dot}, so results equal row-by-row dots. Modifies y.
     */
    static void multiplyVector(int rows, int cols, double[] a, double[] x, double[] y) {
        multiplyVector(rows, cols, cols, a, x, y);
    }

    /**
     * As {@link #multiplyVector(int, int, double[], double[], double[])} for rows of len entries
     * that start rowStride apart (the leading len columns of a wider row-major matrix).
     */
    static void multiplyVector(int rows, int len, int rowStride, double[] a, double[] x, double[] y) {
        int cols = len;
        int head = DoubleLanes.vectorHead(cols);
        int end = DoubleLanes.vectorEnd(cols);
        int i = 0;
        for (; i + 3 < rows; i += 4) {
            int r0 = i * rowStride;
            int r1 = r0 + rowStride;
            int r2 = r1 + rowStride;
            int r3 = r2 + rowStride;
            DoubleVector s0 = DoubleVector.zero(SPECIES);
            DoubleVector s1 = s0;
            DoubleVector s2 = s0;
            DoubleVector s3 = s0;
            for (int l = head; l < end; l += LANES) {
                DoubleVector v = DoubleVector.fromArray(SPECIES, x, l);
                s0 = DoubleVector.fromArray(SPECIES, a, r0 + l).fma(v, s0);
                s1 = DoubleVector.fromArray(SPECIES, a, r1 + l).fma(v, s1);
                s2 = DoubleVector.fromArray(SPECIES, a, r2 + l).fma(v, s2);
                s3 = DoubleVector.fromArray(SPECIES, a, r3 + l).fma(v, s3);
            }
            y[i] = DoubleLanes.scalarEnds(cols, head, end, a, r0, x, 0, s0.reduceLanes(ADD));
            y[i + 1] = DoubleLanes.scalarEnds(cols, head, end, a, r1, x, 0, s1.reduceLanes(ADD));
            y[i + 2] = DoubleLanes.scalarEnds(cols, head, end, a, r2, x, 0, s2.reduceLanes(ADD));
            y[i + 3] = DoubleLanes.scalarEnds(cols, head, end, a, r3, x, 0, s3.reduceLanes(ADD));
        }
        for (; i < rows; i++) {
            y[i] = DoubleLanes.dot(cols, a, i * rowStride, x, 0);
        }
    }

    /** The largest |x_i| of the first len entries: NaN if any is NaN, infinite if any is infinite. */
    static double maxAbs(int len, double[] x) {
        int vectorLen = len - len % LANES;
        DoubleVector max = DoubleVector.zero(SPECIES);
        for (int i = 0; i < vectorLen; i += LANES) {
            max = max.max(DoubleVector.fromArray(SPECIES, x, i).abs());
        }
        double m = max.reduceLanes(jdk.incubator.vector.VectorOperators.MAX);
        for (int i = vectorLen; i < len; i++) {
            m = Math.max(m, Math.abs(x[i]));
        }
        return m;
    }

    /**
     * The readout's backward pass over the leading len columns of a (rows x rowStride row-major):
     * y (len) = sum_i a_i x_i and, for every row with x_i != 0, c_i += x_i z (the rows of c as laid
     * out in a). Rows with x_i = 0 are skipped; each entry is the scalar loop's: a product rounded,
     * then added, rows in order. Modifies y and c.
     */
    static void transposedProductAndOuterUpdate(int rows, int len, int rowStride, double[] a, double[] x, double[] z,
            double[] y, double[] c) {
        int vectorLen = len - len % LANES;
        for (int k = 0; k < vectorLen; k += LANES) {
            DoubleVector acc = DoubleVector.zero(SPECIES);
            DoubleVector zk = DoubleVector.fromArray(SPECIES, z, k);
            for (int i = 0; i < rows; i++) {
                double g = x[i];
                if (g == 0.0) {
                    continue;
                }
                int at = i * rowStride + k;
                acc = acc.add(DoubleVector.fromArray(SPECIES, a, at).mul(g));
                DoubleVector.fromArray(SPECIES, c, at).add(zk.mul(g)).intoArray(c, at);
            }
            acc.intoArray(y, k);
        }
        for (int k = vectorLen; k < len; k++) {
            double acc = 0.0;
            for (int i = 0; i < rows; i++) {
                double g = x[i];
                if (g == 0.0) {
                    continue;
                }
                int at = i * rowStride + k;
                acc += a[at] * g;
                c[at] += g * z[k];
            }
            y[k] = acc;
        }
    }

    /** len rounded up to whole vectors. */
    static int paddedLength(int len) {
        return (len + LANES - 1) / LANES * LANES;
    }

    /** Dot product of two columns of a of paddedLength entries each, at offsets po and qo. */
    static double columnDot(int paddedLength, double[] a, int po, int qo) {
        DoubleVector sum = DoubleVector.zero(SPECIES);
        for (int i = 0; i < paddedLength; i += LANES) {
            sum = DoubleVector.fromArray(SPECIES, a, po + i).fma(DoubleVector.fromArray(SPECIES, a, qo + i), sum);
        }
        return sum.reduceLanes(ADD);
    }

    /** (a_p, a_q) = (c a_p - s a_q, s a_p + c a_q) on two columns of paddedLength entries. Modifies a. */
    static void rotateColumns(int paddedLength, double[] a, int po, int qo, double c, double s) {
        DoubleVector cosine = DoubleVector.broadcast(SPECIES, c);
        DoubleVector sine = DoubleVector.broadcast(SPECIES, s);
        for (int i = 0; i < paddedLength; i += LANES) {
            DoubleVector ap = DoubleVector.fromArray(SPECIES, a, po + i);
            DoubleVector aq = DoubleVector.fromArray(SPECIES, a, qo + i);
            ap.mul(cosine).sub(aq.mul(sine)).intoArray(a, po + i);
            ap.mul(sine).add(aq.mul(cosine)).intoArray(a, qo + i);
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
