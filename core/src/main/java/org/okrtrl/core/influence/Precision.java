package org.okrtrl.core.influence;

import java.util.Locale;

/**
 * The number type r-OK keeps its influence factors A_s in, and runs their passes (the product
 * H_t [A_1 ... A_r], the Gram matrix, the new factors, A^T delta) in. Everything else (hidden
 * state, parameters, optimiser, the u_s, the reduction's small decompositions, gradient
 * accumulation) stays double. Float halves the state per key and doubles the vector lanes; its
 * rounding (unit roundoff 2^-24, about 6e-8) is far below the estimator's own sampling noise.
 */
public enum Precision {
    DOUBLE(Double.BYTES, 1e-14),
    /** Floors scaled with the unit roundoff: 2^-24 / 2^-53 = 2^29 times double's, rounded to 5e-6. */
    FLOAT(Float.BYTES, 5e-6);

    private final int bytes;
    private final double gramRelativeFloor;

    Precision(int bytes, double gramRelativeFloor) {
        this.bytes = bytes;
        this.gramRelativeFloor = gramRelativeFloor;
    }

    /** Bytes per factor entry. */
    public int bytes() {
        return bytes;
    }

    /**
     * Directions of a Gram matrix of the factors whose pivoted Cholesky pivot (the diagonal of
     * what is left after the earlier directions) falls below this fraction of the largest diagonal
     * entry are rounding noise (the Gram product carries absolute errors near the unit roundoff
     * times the largest):
     * 1e-14 in double (about 45 units of 2^-53), 5e-6 in float (about 42 units of 2^-24).
     */
    double gramRelativeFloor() {
        return gramRelativeFloor;
    }

    /**
     * A smallest singular value below this fraction of the largest is treated as zero: the
     * square root of {@link #gramRelativeFloor()}, since singular values are square roots of the
     * Gram eigenvalues (1e-7 in double, 2.2e-3 in float).
     */
    double sigmaRelativeFloor() {
        return Math.sqrt(gramRelativeFloor);
    }

    /** "float" or "double". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "float" or "double" (any case). */
    public static Precision parse(String text) {
        for (Precision p : values()) {
            if (p.label().equalsIgnoreCase(text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("precision must be float or double, got '" + text + "'");
    }
}
