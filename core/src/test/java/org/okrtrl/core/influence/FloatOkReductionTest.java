package org.okrtrl.core.influence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Oracle 4 with the factors A in float: the same factor sets as {@link OkReductionTest}, rounded
 * to float, so the target C is exactly what the float reduction is given. The reduction's own
 * float passes (the Gram matrix of A, the new factors) then err by a few units of float's
 * roundoff u = 2^-24 relative to ||C||, and its floors drop directions below
 * {@link Precision#FLOAT}'s (singular values under 2.2e-3 of the largest). The tolerances:
 * <ul>
 *   <li>error against the closed form: |e - f| <= 2 sqrt(f) d + d^2 with d = ROUNDING ||C||,
 *       ROUNDING = 2^10 u (about 6e-5), plus what the floors drop, (sigma floor ||C||)^2;</li>
 *   <li>the mean over every sign pattern within ROUNDING ||C|| + sigma floor ||C|| of C.</li>
 * </ul>
 * A wrong sign, weight or direction errs by a fraction of ||C|| of order one.
 */
class FloatOkReductionTest {
    private static final double UNIT_ROUNDOFF = Math.ulp(1.0f) / 2;
    private static final double ROUNDING = 1024 * UNIT_ROUNDOFF;

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.okrtrl.core.influence.OkReductionTest#factorSets")
    void squaredErrorMatchesTheClosedFormAndMeanIsCWithinFloatTolerances(OkReductionTest.Terms terms) {
        int k = terms.rank() + 1;
        int r = terms.rank();
        float[] a = new float[terms.a().length];
        double[] aRounded = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) terms.a()[i];
            aRounded[i] = a[i];
        }
        OkReduction reduction = new OkReduction(terms.lenA(), terms.lenU(), r, null, Precision.FLOAT);
        double[] target = OkReductionTest.product(aRounded, terms.u(), terms.lenA(), terms.lenU(), k);
        double targetNorm = Math.sqrt(OkReductionTest.frobenius2(target));
        double floor = Precision.FLOAT.sigmaRelativeFloor() * targetNorm;
        double d = ROUNDING * targetNorm;
        double[] mean = new double[target.length];
        float[] outA = new float[r * terms.lenA()];
        double[] outAWide = new double[outA.length];
        double[] outU = new double[r * terms.lenU()];
        int patterns = 1 << k;
        for (long signs = 0; signs < patterns; signs++) {
            reduction.reduce(a, terms.u(), outA, outU, signs);
            for (int i = 0; i < outA.length; i++) {
                outAWide[i] = outA[i];
            }
            double[] approx = OkReductionTest.product(outAWide, outU, terms.lenA(), terms.lenU(), r);
            double error = 0;
            for (int i = 0; i < target.length; i++) {
                double diff = approx[i] - target[i];
                error += diff * diff;
                mean[i] += approx[i] / patterns;
            }
            double formula = reduction.closedFormSquaredError();
            double tolerance = 2 * Math.sqrt(Math.max(formula, 0)) * d + d * d + floor * floor;
            assertEquals(formula, error, tolerance, terms + " signs=" + signs);
        }
        double bias2 = 0;
        for (int i = 0; i < target.length; i++) {
            bias2 += (mean[i] - target[i]) * (mean[i] - target[i]);
        }
        assertTrue(Math.sqrt(bias2) <= d + floor,
                terms + ": mean over all sign patterns misses C by " + Math.sqrt(bias2) / targetNorm + " of ||C||");
    }
}
