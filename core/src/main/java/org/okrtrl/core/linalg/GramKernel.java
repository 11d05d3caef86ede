package org.okrtrl.core.linalg;

import static jdk.incubator.vector.VectorOperators.ADD;

import jdk.incubator.vector.DoubleVector;

/**
 * The Gram matrix of k long columns (r-OK's reduction forms one of the r factors' vec(H A_s)
 * every step) for the Java Vector API. The columns are read in chunks that fit L1 together, in
 * blocks of four columns: a diagonal block forms its ten distinct pairs from four loads, an
 * off-diagonal block its sixteen from eight, so for k = 8 a position costs 36 FMAs (the pairs
 * themselves) where square 3 x 4 blocks over the whole matrix spent 60. Each pair's accumulator
 * vector is parked between chunks, so every column is streamed once while each entry stays the
 * FMA chain of {@link VectorKernels#dot} (lane sum, then the scalar ends).
 */
final class GramKernel {
    private static final int LANES = VectorKernels.LANES;
    private static final jdk.incubator.vector.VectorSpecies<Double> SPECIES = VectorKernels.SPECIES;
    /** Doubles per column per chunk: 8 columns of 4 KB sit in L1 together. */
    private static final int CHUNK = 512;

    private GramKernel() {}

    /** Doubles of scratch {@link #gram} needs for k columns: one accumulator vector per pair. */
    static int scratchLength(int k) {
        return k * k * LANES;
    }

    /**
     * c (k x k) = a^T a for the k columns of a, each of length len. Modifies c and partial.
     * Where an index past k repeats the last column, the repeated pair is computed from the
     * same partial sum and stores the same value.
     */
    static void gram(int len, int k, double[] a, double[] c, double[] partial) {
        int head = VectorKernels.vectorHead(len);
        int end = VectorKernels.vectorEnd(len);
        java.util.Arrays.fill(partial, 0, k * k * LANES, 0.0);
        for (int l0 = head; l0 < end; l0 += CHUNK) {
            int l1 = Math.min(end, l0 + CHUNK);
            for (int i0 = 0; i0 < k; i0 += 4) {
                diagonalBlock(len, k, i0, l0, l1, a, partial);
                for (int j0 = i0 + 4; j0 < k; j0 += 4) {
                    offDiagonalBlock(len, k, i0, j0, l0, l1, a, partial);
                }
            }
        }
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                double d = VectorKernels.scalarEnds(len, head, end, a, i * len, a, j * len,
                        DoubleVector.fromArray(SPECIES, partial, (i * k + j) * LANES).reduceLanes(ADD));
                c[i * k + j] = d;
                c[j * k + i] = d;
            }
        }
    }

    // Loads and stores of the parked sums are written out, not in helpers: a helper per store
    // ran into C2's inlining node cutoff and boxed the last vectors on every call.

    /** The ten pairs among columns i0..i0 + 3 (indices past k repeat the last one). */
    private static void diagonalBlock(int len, int k, int i0, int l0, int l1, double[] a, double[] partial) {
        int last = k - 1;
        int c0 = i0;
        int c1 = Math.min(i0 + 1, last);
        int c2 = Math.min(i0 + 2, last);
        int c3 = Math.min(i0 + 3, last);
        int o0 = c0 * len;
        int o1 = c1 * len;
        int o2 = c2 * len;
        int o3 = c3 * len;
        DoubleVector s00 = DoubleVector.fromArray(SPECIES, partial, (c0 * k + c0) * LANES);
        DoubleVector s01 = DoubleVector.fromArray(SPECIES, partial, (c0 * k + c1) * LANES);
        DoubleVector s02 = DoubleVector.fromArray(SPECIES, partial, (c0 * k + c2) * LANES);
        DoubleVector s03 = DoubleVector.fromArray(SPECIES, partial, (c0 * k + c3) * LANES);
        DoubleVector s11 = DoubleVector.fromArray(SPECIES, partial, (c1 * k + c1) * LANES);
        DoubleVector s12 = DoubleVector.fromArray(SPECIES, partial, (c1 * k + c2) * LANES);
        DoubleVector s13 = DoubleVector.fromArray(SPECIES, partial, (c1 * k + c3) * LANES);
        DoubleVector s22 = DoubleVector.fromArray(SPECIES, partial, (c2 * k + c2) * LANES);
        DoubleVector s23 = DoubleVector.fromArray(SPECIES, partial, (c2 * k + c3) * LANES);
        DoubleVector s33 = DoubleVector.fromArray(SPECIES, partial, (c3 * k + c3) * LANES);
        for (int l = l0; l < l1; l += LANES) {
            DoubleVector x0 = DoubleVector.fromArray(SPECIES, a, o0 + l);
            DoubleVector x1 = DoubleVector.fromArray(SPECIES, a, o1 + l);
            DoubleVector x2 = DoubleVector.fromArray(SPECIES, a, o2 + l);
            DoubleVector x3 = DoubleVector.fromArray(SPECIES, a, o3 + l);
            s00 = x0.fma(x0, s00);
            s01 = x0.fma(x1, s01);
            s02 = x0.fma(x2, s02);
            s03 = x0.fma(x3, s03);
            s11 = x1.fma(x1, s11);
            s12 = x1.fma(x2, s12);
            s13 = x1.fma(x3, s13);
            s22 = x2.fma(x2, s22);
            s23 = x2.fma(x3, s23);
            s33 = x3.fma(x3, s33);
        }
        s00.intoArray(partial, (c0 * k + c0) * LANES);
        s01.intoArray(partial, (c0 * k + c1) * LANES);
        s02.intoArray(partial, (c0 * k + c2) * LANES);
        s03.intoArray(partial, (c0 * k + c3) * LANES);
        s11.intoArray(partial, (c1 * k + c1) * LANES);
        s12.intoArray(partial, (c1 * k + c2) * LANES);
        s13.intoArray(partial, (c1 * k + c3) * LANES);
        s22.intoArray(partial, (c2 * k + c2) * LANES);
        s23.intoArray(partial, (c2 * k + c3) * LANES);
        s33.intoArray(partial, (c3 * k + c3) * LANES);
    }

    /** The sixteen pairs of columns i0..i0 + 3 with j0..j0 + 3 (indices past k repeat the last one). */
    private static void offDiagonalBlock(int len, int k, int i0, int j0, int l0, int l1, double[] a,
            double[] partial) {
        int last = k - 1;
        int r0 = Math.min(i0 + 0, last);
        int r1 = Math.min(i0 + 1, last);
        int r2 = Math.min(i0 + 2, last);
        int r3 = Math.min(i0 + 3, last);
        int c0 = Math.min(j0 + 0, last);
        int c1 = Math.min(j0 + 1, last);
        int c2 = Math.min(j0 + 2, last);
        int c3 = Math.min(j0 + 3, last);
        int or0 = r0 * len;
        int or1 = r1 * len;
        int or2 = r2 * len;
        int or3 = r3 * len;
        int oc0 = c0 * len;
        int oc1 = c1 * len;
        int oc2 = c2 * len;
        int oc3 = c3 * len;
        DoubleVector s00 = DoubleVector.fromArray(SPECIES, partial, (r0 * k + c0) * LANES);
        DoubleVector s01 = DoubleVector.fromArray(SPECIES, partial, (r0 * k + c1) * LANES);
        DoubleVector s02 = DoubleVector.fromArray(SPECIES, partial, (r0 * k + c2) * LANES);
        DoubleVector s03 = DoubleVector.fromArray(SPECIES, partial, (r0 * k + c3) * LANES);
        DoubleVector s10 = DoubleVector.fromArray(SPECIES, partial, (r1 * k + c0) * LANES);
        DoubleVector s11 = DoubleVector.fromArray(SPECIES, partial, (r1 * k + c1) * LANES);
        DoubleVector s12 = DoubleVector.fromArray(SPECIES, partial, (r1 * k + c2) * LANES);
        DoubleVector s13 = DoubleVector.fromArray(SPECIES, partial, (r1 * k + c3) * LANES);
        DoubleVector s20 = DoubleVector.fromArray(SPECIES, partial, (r2 * k + c0) * LANES);
        DoubleVector s21 = DoubleVector.fromArray(SPECIES, partial, (r2 * k + c1) * LANES);
        DoubleVector s22 = DoubleVector.fromArray(SPECIES, partial, (r2 * k + c2) * LANES);
        DoubleVector s23 = DoubleVector.fromArray(SPECIES, partial, (r2 * k + c3) * LANES);
        DoubleVector s30 = DoubleVector.fromArray(SPECIES, partial, (r3 * k + c0) * LANES);
        DoubleVector s31 = DoubleVector.fromArray(SPECIES, partial, (r3 * k + c1) * LANES);
        DoubleVector s32 = DoubleVector.fromArray(SPECIES, partial, (r3 * k + c2) * LANES);
        DoubleVector s33 = DoubleVector.fromArray(SPECIES, partial, (r3 * k + c3) * LANES);
        for (int l = l0; l < l1; l += LANES) {
            DoubleVector x0 = DoubleVector.fromArray(SPECIES, a, or0 + l);
            DoubleVector x1 = DoubleVector.fromArray(SPECIES, a, or1 + l);
            DoubleVector x2 = DoubleVector.fromArray(SPECIES, a, or2 + l);
            DoubleVector x3 = DoubleVector.fromArray(SPECIES, a, or3 + l);
            DoubleVector y0 = DoubleVector.fromArray(SPECIES, a, oc0 + l);
            s00 = x0.fma(y0, s00);
            s10 = x1.fma(y0, s10);
            s20 = x2.fma(y0, s20);
            s30 = x3.fma(y0, s30);
            DoubleVector y1 = DoubleVector.fromArray(SPECIES, a, oc1 + l);
            s01 = x0.fma(y1, s01);
            s11 = x1.fma(y1, s11);
            s21 = x2.fma(y1, s21);
            s31 = x3.fma(y1, s31);
            DoubleVector y2 = DoubleVector.fromArray(SPECIES, a, oc2 + l);
            s02 = x0.fma(y2, s02);
            s12 = x1.fma(y2, s12);
            s22 = x2.fma(y2, s22);
            s32 = x3.fma(y2, s32);
            DoubleVector y3 = DoubleVector.fromArray(SPECIES, a, oc3 + l);
            s03 = x0.fma(y3, s03);
            s13 = x1.fma(y3, s13);
            s23 = x2.fma(y3, s23);
            s33 = x3.fma(y3, s33);
        }
        s00.intoArray(partial, (r0 * k + c0) * LANES);
        s01.intoArray(partial, (r0 * k + c1) * LANES);
        s02.intoArray(partial, (r0 * k + c2) * LANES);
        s03.intoArray(partial, (r0 * k + c3) * LANES);
        s10.intoArray(partial, (r1 * k + c0) * LANES);
        s11.intoArray(partial, (r1 * k + c1) * LANES);
        s12.intoArray(partial, (r1 * k + c2) * LANES);
        s13.intoArray(partial, (r1 * k + c3) * LANES);
        s20.intoArray(partial, (r2 * k + c0) * LANES);
        s21.intoArray(partial, (r2 * k + c1) * LANES);
        s22.intoArray(partial, (r2 * k + c2) * LANES);
        s23.intoArray(partial, (r2 * k + c3) * LANES);
        s30.intoArray(partial, (r3 * k + c0) * LANES);
        s31.intoArray(partial, (r3 * k + c1) * LANES);
        s32.intoArray(partial, (r3 * k + c2) * LANES);
        s33.intoArray(partial, (r3 * k + c3) * LANES);
    }
}
