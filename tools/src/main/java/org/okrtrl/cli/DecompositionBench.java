package org.okrtrl.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.okrtrl.core.linalg.PivotedCholesky;
import org.okrtrl.core.linalg.SmallSvd;

/**
 * The small decompositions of the OK reduction (an R factor of each of two symmetric k x k Gram
 * matrices and one k x k SVD per step, k = r + 1) timed with the core's solvers (pivoted Cholesky,
 * which the reduction uses for the Gram matrices, and one-sided Jacobi, which it used before and
 * uses for the core) and with EJML's decompositions (symmetric QR eigen, and its SVD), each
 * instance reused across calls as the reduction would. Reports the median nanoseconds per call and the bytes each call allocates.
 */
final class DecompositionBench {
    private static final int CALLS = 20_000;
    private static final int ROUNDS = 9;

    private DecompositionBench() {}

    interface Solver {
        void decompose(double[] m);
    }

    record Row(int k, String problem, String solver, double medianNanos, double bytesPerCall) {}

    static void run(PrintWriter out, boolean json) {
        if (!json) {
            out.println("| k | problem | solver | median ns per call | bytes allocated per call |");
            out.println("|---:|---|---|---:|---:|");
        }
        for (int k : new int[] {2, 3, 5, 9, 17}) {
            double[][] grams = new double[64][];
            double[][] cores = new double[64][];
            SplittableRandom random = new SplittableRandom(k);
            for (int i = 0; i < grams.length; i++) {
                grams[i] = gram(k, 4 * k, random);
                cores[i] = new double[k * k];
                for (int j = 0; j < k * k; j++) {
                    cores[i][j] = random.nextGaussian();
                }
            }
            PivotedCholesky cholesky = new PivotedCholesky(k);
            SmallSvd jacobiGram = new SmallSvd(k);
            SmallSvd jacobiCore = new SmallSvd(k);
            EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(k, true, true);
            SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(k, k, true, true, false);
            DMatrixRMaj matrix = new DMatrixRMaj(k, k);
            DMatrixRMaj u = new DMatrixRMaj(k, k);
            DMatrixRMaj v = new DMatrixRMaj(k, k);
            print(out, json, measure(k, "Gram R factor", "PivotedCholesky", grams, m -> cholesky.decompose(m, 1e-14)));
            print(out, json, measure(k, "Gram eigen", "SmallSvd (Jacobi)", grams, jacobiGram::decompose));
            print(out, json, measure(k, "Gram eigen", "EJML symmetric QR eig", grams, m -> {
                System.arraycopy(m, 0, matrix.data, 0, k * k);
                eig.decompose(matrix);
                for (int i = 0; i < k; i++) {
                    eig.getEigenVector(i);
                }
            }));
            print(out, json, measure(k, "core SVD", "SmallSvd (Jacobi)", cores, jacobiCore::decompose));
            print(out, json, measure(k, "core SVD", "EJML SVD (QR)", cores, m -> {
                System.arraycopy(m, 0, matrix.data, 0, k * k);
                svd.decompose(matrix);
                svd.getU(u, false);
                svd.getV(v, false);
                svd.getSingularValues();
            }));
        }
        out.flush();
    }

    private static double[] gram(int k, int rows, SplittableRandom random) {
        double[] x = new double[rows * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        double[] g = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int l = 0; l < rows; l++) {
                    s += x[l * k + i] * x[l * k + j];
                }
                g[i * k + j] = s;
            }
        }
        return g;
    }

    private static Row measure(int k, String problem, String name, double[][] inputs, Solver solver) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < CALLS; i++) {
            solver.decompose(inputs[i % inputs.length]);
        }
        double[] nanos = new double[ROUNDS];
        long allocated = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long bytesBefore = threads.getCurrentThreadAllocatedBytes();
            long start = System.nanoTime();
            for (int i = 0; i < CALLS; i++) {
                solver.decompose(inputs[i % inputs.length]);
            }
            nanos[round] = (System.nanoTime() - start) / (double) CALLS;
            allocated += threads.getCurrentThreadAllocatedBytes() - bytesBefore;
        }
        Arrays.sort(nanos);
        return new Row(k, problem, name, nanos[ROUNDS / 2], allocated / (double) (ROUNDS * (long) CALLS));
    }

    private static void print(PrintWriter out, boolean json, Row row) {
        if (json) {
            out.printf(Locale.ROOT, "{\"k\": %d, \"problem\": \"%s\", \"solver\": \"%s\", \"median_ns\": %.1f, "
                    + "\"bytes_per_call\": %.1f}%n", row.k(), row.problem(), row.solver(), row.medianNanos(),
                    row.bytesPerCall());
        } else {
            out.printf(Locale.ROOT, "| %d | %s | %s | %.0f | %.0f |%n", row.k(), row.problem(), row.solver(),
                    row.medianNanos(), row.bytesPerCall());
        }
    }
}
