package org.okrtrl.core.influence;

import org.okrtrl.core.random.SplitMix64;
import org.okrtrl.core.linalg.Dense;
import org.okrtrl.core.linalg.PivotedCholesky;
import org.okrtrl.core.linalg.SmallSvd;

/**
 * The optimal unbiased reduction of a Kronecker sum from k = r + 1 terms to r terms
 * (Benzing et al., "Optimal Kronecker-Sum Approximation of Real Time Recurrent Learning",
 * ICML 2019, Theorem 1; ALGORITHMS.md section 4).
 *
 * <p>The input is C = sum_s vec(A_s) u_s^T, given as the k columns vec(A_s) (each of length
 * {@code lenA}) and the k columns u_s (length {@code lenU}), both packed one column after
 * another. C is never formed. The orthonormal bases of the two column spaces come from the
 * k x k Gram matrices (the two "thin QR" factors R are their pivoted Cholesky factors, which
 * stop at the numerical rank), so the only passes over the long columns are one Gram product
 * and one final product per side, and the only k x k SVD is that of the core R_A R_U^T. The r
 * output terms are written as linear combinations of the input columns: the m largest singular
 * components are kept exactly, the remaining q + 1 are mixed into q by random signs so that
 * E[output] = C and the squared error is S_m^2 / q - sum_{j>m} sigma_j^2 for every draw, the
 * minimum over unbiased rank-r estimators.
 *
 * <p>Each output pair is balanced: ||A'_l|| = ||u'_l||. One instance owns all buffers for
 * fixed (lenA, lenU, k, r); reducing allocates nothing. The A columns may be double or float
 * ({@link Precision}); the u columns, the small matrices and the maps are always double, and the
 * floors below which Gram pivots and singular values count as rounding noise follow the A type.
 */
public final class OkReduction {
    /**
     * Directions of a Gram matrix whose remaining (Schur complement) diagonal falls below this
     * fraction of its largest diagonal entry are rounding noise and dropped
     * ({@link Precision#gramRelativeFloor()}).
     */
    private final double gramRelativeFloor;
    /**
     * A smallest singular value below this fraction of the largest is treated as zero, so the
     * top r are kept exactly. Together with the Gram floor this bounds the reduction's bias
     * by this fraction of ||C|| per step (1e-7 in double), far below its own sampling noise.
     */
    private final double sigmaRelativeFloor;
    private final Precision precision;

    private final int lenU;
    private final int k;
    private final int r;

    private final double[] gramA;
    private final double[] gramU;
    private final double[] gramScratch;
    private final PivotedCholesky cholA;
    private final PivotedCholesky cholU;
    private final SmallSvd coreSvd;
    private final double[] core;
    /** R_U with its columns back in input order (k x k row-major). */
    private final double[] unpivotedU;
    private final double[] coefL;
    private final double[] coefR;
    private final double[] mixingWeights;
    private final double[] householder;
    private final double[] basisTimesCoef;
    private final double[] mapA;
    private final double[] mapU;
    /** The passes over the A columns (in A's precision). */
    private final FactorColumnPasses columns;

    private double closedFormSquaredError;
    private int keptExactly;

    /**
     * @param lenA length of each vec(A_s)
     * @param lenU length of each u_s
     * @param rank r, the number of output terms (the input has r + 1)
     */
    public OkReduction(int lenA, int lenU, int rank) {
        this(lenA, lenU, rank, null);
    }

    /**
     * As {@link #OkReduction(int, int, int)} for inputs whose last A column is zero outside
     * lastColumnSupport (r-OK's D_t: one non-zero per column of an n x g n block); the passes
     * over the A columns then touch that column only there. Results equal the dense
     * reduction's up to rounding.
     */
    public OkReduction(int lenA, int lenU, int rank, int[] lastColumnSupport) {
        this(lenA, lenU, rank, lastColumnSupport, Precision.DOUBLE);
    }

    /**
     * As {@link #OkReduction(int, int, int, int[])} for A columns of the given precision: float
     * reductions take {@code float[]} A columns and use float's floors.
     */
    public OkReduction(int lenA, int lenU, int rank, int[] lastColumnSupport, Precision precision) {
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be >= 1, got " + rank);
        }
        this.lenU = lenU;
        this.r = rank;
        this.k = rank + 1;
        this.gramA = new double[k * k];
        this.gramU = new double[k * k];
        this.gramScratch = new double[Dense.gramScratchLength(k)];
        this.cholA = new PivotedCholesky(k);
        this.cholU = new PivotedCholesky(k);
        this.coreSvd = new SmallSvd(k);
        this.core = new double[k * k];
        this.unpivotedU = new double[k * k];
        this.coefL = new double[k * r];
        this.coefR = new double[k * r];
        this.mixingWeights = new double[k];
        this.householder = new double[k * k];
        this.basisTimesCoef = new double[k * r];
        this.mapA = new double[k * r];
        this.mapU = new double[k * r];
        this.columns = new FactorColumnPasses(lenA, rank, lastColumnSupport, precision);
        this.precision = precision;
        this.gramRelativeFloor = precision.gramRelativeFloor();
        this.sigmaRelativeFloor = precision.sigmaRelativeFloor();
    }

    /** The type of the A columns this reduction takes. */
    public Precision precision() {
        return precision;
    }

    public int rank() {
        return r;
    }

    /**
     * Reduces the k input terms to r, drawing the mixing signs from rng.
     *
     * @param a k columns vec(A_s), packed (not modified)
     * @param u k columns u_s, packed (not modified)
     * @param outA receives r columns vec(A'_l), packed (modified; must not alias a)
     * @param outU receives r columns u'_l, packed (modified; must not alias u)
     */
    public void reduce(double[] a, double[] u, double[] outA, double[] outU, SplitMix64 rng) {
        reduce(a, u, outA, outU, rng.nextLong());
    }

    /**
     * As {@link #reduce(double[], double[], double[], double[], SplitMix64)} with the
     * sign of mixed component j (0-based among the mixed ones) given by bit j of signBits
     * (set = -1). Lets tests enumerate every sign pattern.
     */
    void reduce(double[] a, double[] u, double[] outA, double[] outU, long signBits) {
        requirePrecision(Precision.DOUBLE);
        columns.gram(a, gramA);
        decomposeAndMap(u, signBits);
        columns.combine(a, mapA, outA);
        Dense.multiplyTallBySmall(lenU, k, r, u, mapU, outU);
    }

    /**
     * As {@link #reduce(double[], double[], double[], double[], SplitMix64)} with the A columns
     * in float (a reduction constructed for {@link Precision#FLOAT}).
     */
    public void reduce(float[] a, double[] u, float[] outA, double[] outU, SplitMix64 rng) {
        reduce(a, u, outA, outU, rng.nextLong());
    }

    /** As {@link #reduce(double[], double[], double[], double[], long)} with float A columns. */
    void reduce(float[] a, double[] u, float[] outA, double[] outU, long signBits) {
        requirePrecision(Precision.FLOAT);
        columns.gram(a, gramA);
        decomposeAndMap(u, signBits);
        columns.combine(a, mapA, outA);
        Dense.multiplyTallBySmall(lenU, k, r, u, mapU, outU);
    }

    private void requirePrecision(Precision expected) {
        if (precision != expected) {
            throw new IllegalStateException("this reduction takes " + precision.label() + " A columns, got "
                    + expected.label());
        }
    }

    /** From gramA and u: the decompositions, the coefficients and the two maps (mapA, mapU). */
    private void decomposeAndMap(double[] u, long signBits) {
        Dense.gramColumns(lenU, k, u, gramU, gramScratch);
        int rankA = cholA.decompose(gramA, gramRelativeFloor);
        int rankU = cholU.decompose(gramU, gramRelativeFloor);
        double[] ra = cholA.upperFactor();
        double[] ru = cholU.upperFactor();
        int[] pivotA = cholA.pivots();
        int[] pivotU = cholU.pivots();

        // A P_A = Q_A R_A and U P_U = Q_U R_U, so C = A U^T = Q_A (R_A P_A^T P_U R_U^T) Q_U^T:
        // core = R_A P_A^T P_U R_U^T, rows beyond rank A and columns beyond rank U zero.
        java.util.Arrays.fill(unpivotedU, 0.0);
        for (int j = 0; j < rankU; j++) {
            for (int m = 0; m < k; m++) {
                unpivotedU[j * k + pivotU[m]] = ru[j * k + m];
            }
        }
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double s = 0;
                if (i < rankA && j < rankU) {
                    for (int m = i; m < k; m++) {
                        s += ra[i * k + m] * unpivotedU[j * k + pivotA[m]];
                    }
                }
                core[i * k + j] = s;
            }
        }
        coreSvd.decompose(core);
        double[] sigma = coreSvd.singularValues();
        chooseCoefficients(sigma, signBits);

        // Left singular vectors L = Q_A X = A P_A1 R_A11^{-1} X; fold everything into mapA.
        composeMap(cholA, coreSvd.left(), coefL, mapA);
        composeMap(cholU, coreSvd.right(), coefR, mapU);
    }

    /**
     * map (k x r, column-major) = P_1 R_11^{-1} basis coef: the output terms as combinations of
     * the input columns, through the orthonormal basis Q = (input columns) P_1 R_11^{-1}.
     */
    private void composeMap(PivotedCholesky chol, double[] basis, double[] coef, double[] map) {
        int rank = chol.rank();
        // Row by row with the l loop innermost (contiguous, so C2 vectorises it); every entry is
        // still the sum over j in order from zero.
        java.util.Arrays.fill(basisTimesCoef, 0.0);
        for (int i = 0; i < rank; i++) {
            int row = i * r;
            for (int j = 0; j < k; j++) {
                double b = basis[i * k + j];
                int cj = j * r;
                for (int l = 0; l < r; l++) {
                    basisTimesCoef[row + l] += b * coef[cj + l];
                }
            }
        }
        chol.solveLeading(basisTimesCoef, r);
        java.util.Arrays.fill(map, 0.0);
        int[] pivot = chol.pivots();
        for (int i = 0; i < rank; i++) {
            for (int l = 0; l < r; l++) {
                map[pivot[i] + l * k] = basisTimesCoef[i * r + l];
            }
        }
    }

    /**
     * Fills coefL, coefR (k x r row-major): output term l is sum_j coefL[j][l] L_j (x)
     * sum_j coefR[j][l] R_j, and records the closed-form squared error.
     */
    private void chooseCoefficients(double[] sigma, long signBits) {
        java.util.Arrays.fill(coefL, 0.0);
        java.util.Arrays.fill(coefR, 0.0);
        double floor = sigma[0] * sigmaRelativeFloor;
        if (sigma[k - 1] <= floor) {
            // The input already has rank <= r: keeping the top r is exact.
            keepExactly(sigma, r);
            closedFormSquaredError = sigma[k - 1] * sigma[k - 1];
            return;
        }
        double tail = 0;
        for (int j = 0; j < k; j++) {
            tail += sigma[j];
        }
        int m = 0;
        while ((r - m) * sigma[m] > tail) {
            tail -= sigma[m];
            m++;
        }
        keepExactly(sigma, m);
        int q = r - m;
        double c = tail / q;
        double sumSquares = 0;
        for (int j = 0; j <= q; j++) {
            double p = Math.min(1.0, q * sigma[m + j] / tail);
            double sign = ((signBits >>> j) & 1L) == 0 ? 1.0 : -1.0;
            mixingWeights[j] = sign * Math.sqrt(Math.max(0.0, 1.0 - p));
            sumSquares += sigma[m + j] * sigma[m + j];
        }
        closedFormSquaredError = tail * tail / q - sumSquares;
        complementBasis(q + 1);
        double scale = Math.sqrt(c);
        for (int j = 0; j <= q; j++) {
            for (int l = 0; l < q; l++) {
                double b = householder[j * k + l + 1];
                coefL[(m + j) * r + m + l] = scale * b;
                coefR[(m + j) * r + m + l] = scale * b;
            }
        }
    }

    private void keepExactly(double[] sigma, int count) {
        keptExactly = count;
        for (int i = 0; i < count; i++) {
            double root = Math.sqrt(sigma[i]);
            coefL[i * r + i] = root;
            coefR[i * r + i] = root;
        }
    }

    /**
     * Householder reflection Q (size x size, stored in householder with row stride k) with
     * Q v = -+e_1 for the unit vector v = mixingWeights[0..size): columns 2..size of Q are an
     * orthonormal basis of the complement of v.
     */
    private void complementBasis(int size) {
        double norm = 0;
        for (int j = 0; j < size; j++) {
            norm += mixingWeights[j] * mixingWeights[j];
        }
        norm = Math.sqrt(norm);
        // v is a unit vector up to rounding; renormalise so Q v stays exactly aligned with e_1.
        double lead = mixingWeights[0] / norm;
        double shift = lead >= 0 ? 1.0 : -1.0;
        double wNorm2 = 0;
        for (int j = 0; j < size; j++) {
            double w = mixingWeights[j] / norm + (j == 0 ? shift : 0.0);
            mixingWeights[j] = w;
            wNorm2 += w * w;
        }
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                householder[i * k + j] = (i == j ? 1.0 : 0.0) - 2.0 * mixingWeights[i] * mixingWeights[j] / wNorm2;
            }
        }
    }

    /**
     * The closed-form squared Frobenius error of the last reduction:
     * S_m^2 / q - sum_{j>m} sigma_j^2 (or the dropped sigma^2 when the input had rank <= r).
     */
    public double closedFormSquaredError() {
        return closedFormSquaredError;
    }

    /** m, the number of singular components the last reduction kept exactly. */
    public int keptExactly() {
        return keptExactly;
    }

    /** The singular values of the last reduction's input, descending (a view). */
    public double[] singularValues() {
        return coreSvd.singularValues();
    }
}
