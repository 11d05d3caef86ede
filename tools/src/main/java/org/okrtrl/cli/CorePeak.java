package org.okrtrl.cli;

import java.util.Arrays;
import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.okrtrl.core.linalg.Dense;

/**
 * This core's floating-point peak, measured in the run that reports against it: a
 * register-resident Vector API FMA loop (12 independent accumulators, enough to hide the FMA
 * latency on two FMA ports) in double and in float, and the best GFLOP/s the project's own
 * square-times-many-columns kernel reaches on the r-OK shapes.
 */
final class CorePeak {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int ROUNDS = 7;

    /** The three measurements, GFLOP/s. */
    record Peak(double doubleFma, double floatFma, double squareProduct, String squareShape) {}

    private CorePeak() {}

    static Peak measure() {
        double d = best(CorePeak::doubleLoop);
        double f = best(CorePeak::floatLoop);
        double bestSquare = 0;
        String shape = "";
        for (int[] s : new int[][] {{128, 1024}, {256, 512}, {64, 512}}) {
            double g = squareProduct(s[0], s[1]);
            if (g > bestSquare) {
                bestSquare = g;
                shape = s[0] + " x " + s[0] + " times " + s[0] + " x " + s[1];
            }
        }
        return new Peak(d, f, bestSquare, shape);
    }

    private interface Loop {
        /** Runs the loop, returns the FLOPs done (and keeps the result alive through sink). */
        double run(long iterations);
    }

    private static double sink;

    private static double best(Loop loop) {
        loop.run(2_000_000); // warm-up: compile the loop
        double[] g = new double[ROUNDS];
        long iterations = 20_000_000;
        for (int i = 0; i < ROUNDS; i++) {
            long t = System.nanoTime();
            double flops = loop.run(iterations);
            g[i] = flops / (System.nanoTime() - t);
        }
        Arrays.sort(g);
        return g[ROUNDS - 1];
    }

    private static double doubleLoop(long iterations) {
        DoubleVector m = DoubleVector.broadcast(D, 0.999999);
        DoubleVector a = DoubleVector.broadcast(D, 1e-6);
        DoubleVector s0 = DoubleVector.broadcast(D, 1.0);
        DoubleVector s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0, s8 = s0, s9 = s0, s10 = s0,
                s11 = s0;
        for (long i = 0; i < iterations; i++) {
            s0 = s0.fma(m, a);
            s1 = s1.fma(m, a);
            s2 = s2.fma(m, a);
            s3 = s3.fma(m, a);
            s4 = s4.fma(m, a);
            s5 = s5.fma(m, a);
            s6 = s6.fma(m, a);
            s7 = s7.fma(m, a);
            s8 = s8.fma(m, a);
            s9 = s9.fma(m, a);
            s10 = s10.fma(m, a);
            s11 = s11.fma(m, a);
        }
        sink += s0.add(s1).add(s2).add(s3).add(s4).add(s5).add(s6).add(s7).add(s8).add(s9).add(s10).add(s11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        return 2.0 * 12 * D.length() * iterations;
    }

    private static double floatLoop(long iterations) {
        FloatVector m = FloatVector.broadcast(F, 0.99999f);
        FloatVector a = FloatVector.broadcast(F, 1e-5f);
        FloatVector s0 = FloatVector.broadcast(F, 1.0f);
        FloatVector s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0, s8 = s0, s9 = s0, s10 = s0,
                s11 = s0;
        for (long i = 0; i < iterations; i++) {
            s0 = s0.fma(m, a);
            s1 = s1.fma(m, a);
            s2 = s2.fma(m, a);
            s3 = s3.fma(m, a);
            s4 = s4.fma(m, a);
            s5 = s5.fma(m, a);
            s6 = s6.fma(m, a);
            s7 = s7.fma(m, a);
            s8 = s8.fma(m, a);
            s9 = s9.fma(m, a);
            s10 = s10.fma(m, a);
            s11 = s11.fma(m, a);
        }
        sink += s0.add(s1).add(s2).add(s3).add(s4).add(s5).add(s6).add(s7).add(s8).add(s9).add(s10).add(s11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        return 2.0 * 12 * F.length() * iterations;
    }

    /** GFLOP/s of Dense.multiplySquareLeft on (n x n) times (n x cols), best of several rounds. */
    static double squareProduct(int n, int cols) {
        SplittableRandom random = new SplittableRandom(n);
        double[] h = random.doubles((long) n * n, -1, 1).toArray();
        double[] x = random.doubles((long) n * cols, -1, 1).toArray();
        double[] c = new double[n * cols];
        double flops = 2.0 * n * n * cols;
        int reps = (int) Math.max(3, 2e9 / flops / 10);
        for (int i = 0; i < reps; i++) {
            Dense.multiplySquareLeft(n, cols, h, x, c);
        }
        double best = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long t = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                Dense.multiplySquareLeft(n, cols, h, x, c);
            }
            best = Math.max(best, flops * reps / (System.nanoTime() - t));
        }
        sink += c[0];
        return best;
    }
}
