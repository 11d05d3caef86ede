package org.okrtrl.core.influence;

import org.okrtrl.core.linalg.Dense;
import org.okrtrl.core.linalg.FloatDense;

/**
 * The two passes of the {@link OkReduction} over the long A columns, in double or in float: their
 * Gram matrix, and the new columns as combinations of the old. When the last column is known to
 * be zero outside a support (r-OK's D_t: one non-zero per column of an n x g n block), both read
 * it there only. One instance owns its buffers for fixed (lenA, k, r); no pass allocates.
 */
final class FactorColumnPasses {
    private final int lenA;
    private final int k;
    private final int r;
    /** Positions in the last A column outside which it is known to be zero, or null. */
    private final int[] lastColumnSupport;
    private final double[] scratch;
    private final double[] leadingGram;
    private final double[] leadingMap;
    /** Float A only: the Gram scratch and the maps rounded to float. */
    private final float[] scratchFloat;
    private final float[] mapAFloat;
    private final float[] leadingMapFloat;

    FactorColumnPasses(int lenA, int rank, int[] lastColumnSupport, Precision precision) {
        this.lenA = lenA;
        this.r = rank;
        this.k = rank + 1;
        this.lastColumnSupport = lastColumnSupport == null ? null : lastColumnSupport.clone();
        boolean single = precision == Precision.FLOAT;
        this.scratch = new double[single ? 0 : Dense.gramScratchLength(k)];
        this.leadingGram = new double[r * r];
        this.leadingMap = new double[r * r];
        this.scratchFloat = new float[single ? FloatDense.gramScratchLength(k) : 0];
        this.mapAFloat = new float[single ? k * r : 0];
        this.leadingMapFloat = new float[single ? r * r : 0];
    }

    /** gramA (k x k, modified) = a^T a, the last column read only on its support when one is known. */
    void gram(double[] a, double[] gramA) {
        if (lastColumnSupport == null) {
            Dense.gramColumns(lenA, k, a, gramA, scratch);
            return;
        }
        Dense.gramColumns(lenA, r, a, leadingGram, scratch);
        for (int i = 0; i < r; i++) {
            System.arraycopy(leadingGram, i * r, gramA, i * k, r);
        }
        int last = r * lenA;
        for (int s = 0; s < k; s++) {
            int column = s * lenA;
            double d = 0;
            for (int position : lastColumnSupport) {
                d += a[column + position] * a[last + position];
            }
            gramA[s * k + r] = d;
            gramA[r * k + s] = d;
        }
    }

    /** outA = a mapA, the last column of a read only on its support when one is known. */
    void combine(double[] a, double[] mapA, double[] outA) {
        if (lastColumnSupport == null) {
            Dense.multiplyTallBySmall(lenA, k, r, a, mapA, outA);
            return;
        }
        for (int l = 0; l < r; l++) {
            System.arraycopy(mapA, l * k, leadingMap, l * r, r);
        }
        Dense.multiplyTallBySmall(lenA, r, r, a, leadingMap, outA);
        int last = r * lenA;
        for (int l = 0; l < r; l++) {
            double weight = mapA[r + l * k];
            int column = l * lenA;
            for (int position : lastColumnSupport) {
                outA[column + position] = Math.fma(a[last + position], weight, outA[column + position]);
            }
        }
    }

    /** gramA from float columns: the products summed in float, D_t's row in double. */
    void gram(float[] a, double[] gramA) {
        if (lastColumnSupport == null) {
            FloatDense.gramColumns(lenA, k, a, gramA, scratchFloat);
            return;
        }
        FloatDense.gramColumns(lenA, r, a, leadingGram, scratchFloat);
        for (int i = 0; i < r; i++) {
            System.arraycopy(leadingGram, i * r, gramA, i * k, r);
        }
        int last = r * lenA;
        for (int s = 0; s < k; s++) {
            int column = s * lenA;
            double d = 0;
            for (int position : lastColumnSupport) {
                d += (double) a[column + position] * a[last + position];
            }
            gramA[s * k + r] = d;
            gramA[r * k + s] = d;
        }
    }

    /** outA = a mapA in float (the map rounded to float), D_t's column read on its support only. */
    void combine(float[] a, double[] mapA, float[] outA) {
        if (lastColumnSupport == null) {
            FloatDense.round(k * r, mapA, mapAFloat);
            FloatDense.multiplyTallBySmall(lenA, k, r, a, mapAFloat, outA);
            return;
        }
        for (int l = 0; l < r; l++) {
            for (int j = 0; j < r; j++) {
                leadingMapFloat[l * r + j] = (float) mapA[l * k + j];
            }
        }
        FloatDense.multiplyTallBySmall(lenA, r, r, a, leadingMapFloat, outA);
        int last = r * lenA;
        for (int l = 0; l < r; l++) {
            float weight = (float) mapA[r + l * k];
            int column = l * lenA;
            for (int position : lastColumnSupport) {
                outA[column + position] = Math.fma(a[last + position], weight, outA[column + position]);
            }
        }
    }
}
