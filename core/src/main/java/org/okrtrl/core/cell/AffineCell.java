package org.okrtrl.core.cell;

import java.util.SplittableRandom;

/** The sizes every cell has: m inputs and n hidden units, checked once. */
abstract class AffineCell implements Cell {
    final int m;
    final int n;

    AffineCell(int inputSize, int hiddenSize) {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("input and hidden sizes must be >= 1");
        }
        this.m = inputSize;
        this.n = hiddenSize;
    }

    @Override
    public int inputSize() {
        return m;
    }

    @Override
    public int hiddenSize() {
        return n;
    }

    /**
     * Writes W (modified) with every input and recurrent weight drawn from N(0, scale^2) and
     * each row's bias set to {@link #initialBias(int)}: the initialisation of the OK-RTRL
     * authors' released code (scale 0.01, no carry bias).
     */
    @Override
    public void initializeNormal(double[] w, SplittableRandom rng, double scale) {
        int p = affineSize();
        for (int row = 0; row < blocks() * n; row++) {
            for (int j = 0; j < p - 1; j++) {
                w[row * p + j] = scale * rng.nextGaussian();
            }
            w[row * p + p - 1] = initialBias(row);
        }
    }

    /** The initial bias of one row of W (0 unless a cell says otherwise). */
    double initialBias(int row) {
        return 0.0;
    }
}
