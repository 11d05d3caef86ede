package org.okrtrl.core.cell;

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
}
