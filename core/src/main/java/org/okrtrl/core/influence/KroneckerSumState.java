package org.okrtrl.core.influence;

import org.okrtrl.core.cell.Cell;
import org.okrtrl.core.cell.StepTrace;
import org.okrtrl.core.linalg.Dense;
import org.okrtrl.core.linalg.FloatDense;
import org.okrtrl.core.linalg.OuterProductAccumulator;

/**
 * The shared bookkeeping of the Kronecker-sum estimators (ALGORITHMS.md section 3):
 * G ~ sum_s A_s (x) u_s with A_s (n x g n) and u_s (length p). Each A_s is stored
 * column-major and the r of them side by side, so [A_1 ... A_r] is one n x (r g n)
 * column-major matrix and H_t [A_1 ... A_r] is a single matrix product.
 *
 * <p>Work buffers hold the r + 1 terms of one step: H_t A_s for s < r and D_t in slot r, with
 * u_s and a_t beside them.
 *
 * <p>In {@link Precision#FLOAT} the A side (factors and terms) is float and its passes run in the
 * float kernels, with H_t and delta rounded to float on the way in; the u side stays double.
 * Exactly one of the double and float A arrays is in use; the other is empty.
 */
final class KroneckerSumState {
    final int n;
    final int gn;
    final int p;
    final int rank;
    final Precision precision;
    /** Length of vec(A_s): n g n. */
    final int lengthA;
    /** [A_1 ... A_r], column-major blocks. */
    double[] factorsA;
    /** [A_1 ... A_r] in float (float precision only). */
    float[] factorsAFloat;
    /** [u_1 ... u_r], packed. */
    double[] factorsU;
    /** [H A_1 ... H A_r, D], column-major blocks. */
    final double[] termsA;
    /** [H A_1 ... H A_r, D] in float (float precision only). */
    final float[] termsAFloat;
    /** [u_1 ... u_r, a], packed. */
    final double[] termsU;
    private final double[] projected;
    private final double[] jacobianColumnMajor;
    private final float[] jacobianFloat;
    private final float[] deltaFloat;
    private final float[] projectedFloat;

    KroneckerSumState(Cell cell, int rank) {
        this(cell, rank, Precision.DOUBLE);
    }

    KroneckerSumState(Cell cell, int rank, Precision precision) {
        this.n = cell.hiddenSize();
        this.gn = cell.blocks() * n;
        this.p = cell.affineSize();
        this.rank = rank;
        this.precision = precision;
        this.lengthA = n * gn;
        boolean single = precision == Precision.FLOAT;
        this.factorsA = new double[single ? 0 : rank * lengthA];
        this.termsA = new double[single ? 0 : (rank + 1) * lengthA];
        this.factorsAFloat = new float[single ? rank * lengthA : 0];
        this.termsAFloat = new float[single ? (rank + 1) * lengthA : 0];
        this.factorsU = new double[rank * p];
        this.termsU = new double[(rank + 1) * p];
        this.projected = new double[rank * gn];
        this.jacobianColumnMajor = new double[single ? 0 : n * n];
        this.jacobianFloat = new float[single ? n * n : 0];
        this.deltaFloat = new float[single ? n : 0];
        this.projectedFloat = new float[single ? rank * gn : 0];
    }

    boolean isFloat() {
        return precision == Precision.FLOAT;
    }

    /** Makes {A, u} (double) the live factors. */
    void bind(double[][] arrays) {
        if (isFloat() || arrays.length != 2 || arrays[0].length != factorsA.length
                || arrays[1].length != factorsU.length) {
            throw new IllegalArgumentException("Kronecker-sum state must be {A (" + factorsA.length + "), u ("
                    + factorsU.length + ")}" + (isFloat() ? " with A in float" : ""));
        }
        factorsA = arrays[0];
        factorsU = arrays[1];
    }

    /** Makes {u} (double) and {A} (float) the live factors (float precision). */
    void bind(double[][] arrays, float[][] floatArrays) {
        if (!isFloat()) {
            if (floatArrays.length != 0) {
                throw new IllegalArgumentException("double Kronecker-sum state has no float arrays");
            }
            bind(arrays);
            return;
        }
        if (arrays.length != 1 || floatArrays.length != 1 || arrays[0].length != factorsU.length
                || floatArrays[0].length != factorsAFloat.length) {
            throw new IllegalArgumentException("float Kronecker-sum state must be {u (" + factorsU.length
                    + ")} and {A (" + factorsAFloat.length + ", float)}");
        }
        factorsU = arrays[0];
        factorsAFloat = floatArrays[0];
    }

    void reset() {
        java.util.Arrays.fill(factorsA, 0.0);
        java.util.Arrays.fill(factorsAFloat, 0f);
        java.util.Arrays.fill(factorsU, 0.0);
    }

    /** Fills the r + 1 terms of H_t G_{t-1} + D_t (x) a_t. */
    void expand(StepTrace step) {
        if (isFloat()) {
            FloatDense.transposeRounded(n, step.jacobian, jacobianFloat);
            FloatDense.multiplySquareLeft(n, rank * gn, jacobianFloat, factorsAFloat, termsAFloat);
            int offset = rank * lengthA;
            for (int i = 0; i < gn; i++) {
                termsAFloat[offset + i * n + (i % n)] = (float) step.dDiag[i];
            }
        } else {
            Dense.transposeSquare(n, step.jacobian, jacobianColumnMajor);
            Dense.multiplySquareLeft(n, rank * gn, jacobianColumnMajor, factorsA, termsA);
            writeImmediateJacobianDiagonal(step, termsA, rank * lengthA);
        }
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
        if (!projectSafely(delta)) {
            return false;
        }
        Dense.addColumnMajorTransposedRight(p, gn, rank, factorsU, projected, accumulator);
        return true;
    }

    /** As {@link #addGradient(double[], double[])}, the r outer products handed to a late sum. */
    boolean addGradient(double[] delta, OuterProductAccumulator accumulator) {
        if (!projectSafely(delta)) {
            return false;
        }
        accumulator.add(p, gn, rank, factorsU, projected);
        return true;
    }

    /** Forms A^T delta; false when the r outer products could overflow or are not finite. */
    private boolean projectSafely(double[] delta) {
        project(delta);
        double maxProjected = Dense.maxAbsOrNaN(rank * gn, projected);
        double maxU = Dense.maxAbsOrNaN(rank * p, factorsU);
        // NaN fails the comparison; the bound keeps every partial sum far from overflow.
        return maxProjected * maxU * rank < 1e300;
    }

    /** gradW (g n x p row-major) = sum_s (A_s^T delta) u_s^T. */
    void gradient(double[] delta, double[] gradW) {
        project(delta);
        Dense.multiplyColumnMajorTransposedRight(p, gn, rank, factorsU, projected, gradW);
    }

    /** projected = [A_1 ... A_r]^T delta (in float and widened, for float factors). */
    private void project(double[] delta) {
        if (isFloat()) {
            FloatDense.round(n, delta, deltaFloat);
            FloatDense.multiplyTransposedVectorColumnMajor(n, rank * gn, factorsAFloat, deltaFloat, projectedFloat);
            FloatDense.widen(rank * gn, projectedFloat, projected);
        } else {
            Dense.multiplyTransposedVectorColumnMajor(n, rank * gn, factorsA, delta, projected);
        }
    }
}
