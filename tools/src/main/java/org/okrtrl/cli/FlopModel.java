package org.okrtrl.cli;

/**
 * Floating-point operations of one training step (multiply and add counted separately), from
 * the dominant dense products of each algorithm plus the work every algorithm shares (forward
 * pass, Jacobians, readout, Adam). Used only to turn a measured time into GFLOP/s.
 */
final class FlopModel {
    private FlopModel() {}

    static double perStep(String algo, int blocks, int n, int vocab) {
        double gn = (double) blocks * n;
        double p = vocab + n + 1.0;
        double o = vocab;
        double shared = 2 * gn * p + 4 * o * (n + 1) + 2 * blocks * (double) n * n + 10 * (gn * p + o * (n + 1));
        double specific;
        org.okrtrl.core.Algorithm algorithm = org.okrtrl.core.Algorithm.parse(algo);
        if (algorithm.kind() == org.okrtrl.core.Algorithm.Kind.OK) {
            double r = algorithm.parameter();
            double k = r + 1;
            double lenA = n * gn;
            specific = 2.0 * n * n * r * gn // H_t [A_1 ... A_r]
                    + 2 * (lenA + p) * k * k // the two Gram matrices
                    + 2 * (lenA + p) * k * r // the new factors
                    + 2 * r * (lenA + gn * p); // the gradient
        } else if (algorithm.kind() == org.okrtrl.core.Algorithm.Kind.KF) {
            specific = 2.0 * n * n * gn + 8 * n * gn + 4 * p + 2 * (n * gn + gn * p);
        } else if (algorithm.kind() == org.okrtrl.core.Algorithm.Kind.UORO) {
            specific = 2.0 * n * n + 5 * gn * p;
        } else if (algorithm.kind() == org.okrtrl.core.Algorithm.Kind.RTRL) {
            specific = 2.0 * n * n * gn * p + 2 * gn * p + 2 * n * gn * p;
        } else {
            specific = 2 * gn * p + 2.0 * n * n + 2 * gn; // TBPTT
        }
        return shared + specific;
    }
}
