package org.okrtrl.core.influence;

import org.okrtrl.core.cell.Cell;
import org.okrtrl.core.cell.StepTrace;
import org.okrtrl.core.linalg.Dense;

/**
 * The shared bookkeeping of the Kronecker-sum estimators (ALGORITHMS.md section 3):
 * G ~ sum_s A_s (x) u_s with A_s (n x g n) and u_s (length p). Each A_s is stored
 * column-major and the r of them side by side, so [A_1 ... A_r] is one n x (r g n)
 * column-major matrix and H_t [A_1 ... A_r] is a single matrix product.
 *
 * <p>Work buffers hold the r + 1 terms of one step: H_t A_s for s < r and D_t in slot r, with
 * u_s and a_t beside them.
 */
final class KroneckerSumState {
    final int n;
    final int gn;
    final int p;
    final int rank;
    /** Length of vec(A_s): n g n. */
    final int lengthA;
    /** [A_1 ... A_r], column-major blocks. */
    double[] factorsA;
    /** [u_1 ... u_r], packed. */
    double[] factorsU;
    /** [H A_1 ... H A_r, D], column-major blocks. */
    final double[] termsA;
    /** [u_1 ... u_r, a], packed. */
    final double[] termsU;
    private final double[] projected;
    private final double[] jacobianColumnMajor;

    KroneckerSumState(Cell cell, int rank) {
        this.n = cell.hiddenSize();
        this.gn = cell.blocks() * n;
        this.p = cell.affineSize();
        this.rank = rank;
        this.lengthA = n * gn;
        this.factorsA = new double[rank * lengthA];
        this.factorsU = new double[rank * p];
        this.termsA = new double[(rank + 1) * lengthA];
        this.termsU = new double[(rank + 1) * p];
        this.projected = new double[rank * gn];
        this.jacobianColumnMajor = new double[n * n];
    }

    /** Makes {A, u} (shaped like the factors) the live factors. */
    void bind(double[][] arrays) {
        if (arrays.length != 2 || arrays[0].length != factorsA.length || arrays[1].length != factorsU.length) {
            throw new IllegalArgumentException("Kronecker-sum state must be {A (" + factorsA.length + "), u ("
                    + factorsU.length + ")}");
        }
        factorsA = arrays[0];
        factorsU = arrays[1];
    }

    void reset() {
        java.util.Arrays.fill(factorsA, 0.0);
        java.util.Arrays.fill(factorsU, 0.0);
    }

    /** Fills the r + 1 terms of H_t G_{t-1} + D_t (x) a_t. */
    void expand(StepTrace step) {
        Dense.transposeSquare(n, step.jacobian, jacobianColumnMajor);
        Dense.multiplySquareLeft(n, rank * gn, jacobianColumnMajor, factorsA, termsA);
        writeImmediateJacobianDiagonal(step, termsA, rank * lengthA);
        System.arraycopy(factorsU, 0, termsU, 0, rank * p);
        System.arraycopy(step.affineInput, 0, termsU, rank * p, p);
    }

    /** Positions within D_t's n x g n block that can be non-zero: (i mod n, i) for i < g n. */
    int[] immediateJacobianSupport() {
        int[] support = new int[gn];
        for (int i = 0; i < gn; i++) {
            support[i] = i * n + (i % n);
        }
        return support;
    }

    /**
     * Writes the non-zero entries of D_t, a column-major n x g n block at offset (modified)
     * whose other entries are zero: nothing else writes that slot of termsA, so they stay zero
     * from construction.
     */
    private void writeImmediateJacobianDiagonal(StepTrace step, double[] target, int offset) {
        for (int i = 0; i < gn; i++) {
            target[offset + i * n + (i % n)] = step.dDiag[i];
        }
    }

    /**
     * accumulator (g n x p row-major) += sum_s (A_s^T delta) u_s^T in one pass over the
     * accumulator, when the factors are finite and small enough that no product can overflow
     * (then the sum is finite too); returns false, adding nothing, otherwise.
     */
    boolean addGradient(double[] delta, double[] accumulator) {
        Dense.multiplyTransposedVectorColumnMajor(n, rank * gn, factorsA, delta, projected);
        double maxProjected = Dense.maxAbsOrNaN(rank * gn, projected);
        double maxU = Dense.maxAbsOrNaN(rank * p, factorsU);
        // NaN fails the comparison; the bound keeps every partial sum far from overflow.
        if (!(maxProjected * maxU * rank < 1e300)) {
            return false;
        }
        Dense.addColumnMajorTransposedRight(p, gn, rank, factorsU, projected, accumulator);
        return true;
    }

    /** gradW (g n x p row-major) = sum_s (A_s^T delta) u_s^T. */
    void gradient(double[] delta, double[] gradW) {
        Dense.multiplyTransposedVectorColumnMajor(n, rank * gn, factorsA, delta, projected);
        Dense.multiplyColumnMajorTransposedRight(p, gn, rank, factorsU, projected, gradW);
    }
}
