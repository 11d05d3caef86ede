package org.okrtrl.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.okrtrl.core.linalg.Dense;

/**
 * How much float storage and kernels could speed up r-OK, measured: the product H_t [A_1 ... A_r]
 * (n x n times n x r g n) and the new factors (a tall matrix of the k = r + 1 terms times a k x r
 * map), each in the project's double kernels and in float kernels with register tiles of the
 * same shape in bytes (4 x 4 tiles of 16-lane vectors for the product, 8 outputs per pass for the
 * new factors); then the whole step in float, projected from the measured double step and the
 * measured savings of its four passes over the factors. A study for docs/PERFORMANCE.md; the
 * learning core stays in double.
 */
final class FloatStudy {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = F.length();
    private static float floatSink;
    private static double doubleSink;

    private FloatStudy() {}

    static void run(PrintWriter out) {
        out.println("| pass | n | r | double ms | float ms | float speed-up |");
        out.println("|---|---:|---:|---:|---:|---:|");
        for (int n : new int[] {64, 128}) {
            int r = 8;
            int cols = r * n; // vanilla cell: g = 1
            SplittableRandom random = new SplittableRandom(n);
            double[] h = random.doubles((long) n * n, -1, 1).toArray();
            double[] x = random.doubles((long) n * cols, -1, 1).toArray();
            double[] c = new double[n * cols];
            float[] hf = toFloat(h);
            float[] xf = toFloat(x);
            float[] cf = new float[n * cols];
            double dp = time(() -> Dense.multiplySquareLeft(n, cols, h, x, c));
            double fp = time(() -> squareLeft(n, cols, hf, xf, cf));
            doubleSink += c[1];
            floatSink += cf[1];
            out.printf(Locale.ROOT, "| H_t [A_1 ... A_r] | %d | %d | %.3f | %.3f | %.2fx |%n", n, r, dp, fp, dp / fp);
            int len = n * n + n + 50 + 1;
            int k = r + 1;
            double[] t = random.doubles((long) len * k, -1, 1).toArray();
            double[] m = random.doubles((long) k * r, -1, 1).toArray();
            double[] o = new double[len * r];
            float[] tf = toFloat(t);
            float[] mf = toFloat(m);
            float[] of = new float[len * r];
            double dt = time(() -> Dense.multiplyTallBySmall(len, k, r, t, m, o));
            double ft = time(() -> tallBySmall(len, k, r, tf, mf, of));
            out.printf(Locale.ROOT, "| new factors (len x k times k x r) | %d | %d | %.3f | %.3f | %.2fx |%n", n, r, dt,
                    ft, dt / ft);
        }
        out.println();
        wholeStep(out);
        out.flush();
    }

    /**
     * The whole r-OK step in float, projected from measurements of one run: the measured double
     * step minus what each pass over the factors would save. The product and the new factors are
     * timed in float kernels; the Gram and A^T delta passes are timed as double passes over half
     * the length (a float pass does the same vector instructions on half the bytes).
     */
    private static void wholeStep(PrintWriter out) {
        out.println("| configuration | double step ms (median) | four factor passes, double ms |"
                + " the same in float ms | projected float step ms | projected speed-up |");
        out.println("|---|---:|---:|---:|---:|---:|");
        String[][] configs = {{"rnn", "128", "50", "1"}, {"rhn", "64", "96", "16"}, {"rhn", "128", "96", "16"}};
        for (String[] config : configs) {
            String cell = config[0];
            int n = Integer.parseInt(config[1]);
            int vocab = Integer.parseInt(config[2]);
            int streams = Integer.parseInt(config[3]);
            int r = 8;
            int k = r + 1;
            int gn = ("rhn".equals(cell) ? 2 : 1) * n;
            int cols = r * gn;
            int len = n * gn;
            double step = BenchCommand.measure("ok:" + r, cell, n, vocab, streams, 2000, 2.0).medianMs();
            SplittableRandom random = new SplittableRandom(n);
            double[] h = random.doubles((long) n * n, -1, 1).toArray();
            double[] x = random.doubles((long) n * cols, -1, 1).toArray();
            double[] c = new double[n * cols];
            double[] t = random.doubles((long) len * k, -1, 1).toArray();
            double[] m = random.doubles((long) k * r, -1, 1).toArray();
            double[] o = new double[len * r];
            double[] gram = new double[k * k];
            double[] gramScratch = new double[Dense.gramScratchLength(k)];
            double[] delta = random.doubles(n, -1, 1).toArray();
            double[] projected = new double[cols];
            float[] hf = toFloat(h);
            float[] xf = toFloat(x);
            float[] cf = new float[n * cols];
            float[] tf = toFloat(t);
            float[] mf = toFloat(m);
            float[] of = new float[len * r];
            double passesDouble = time(() -> Dense.multiplySquareLeft(n, cols, h, x, c))
                    + time(() -> Dense.multiplyTallBySmall(len, k, r, t, m, o))
                    + time(() -> Dense.gramColumns(len, k, t, gram, gramScratch))
                    + time(() -> Dense.multiplyTransposedVectorColumnMajor(n, cols, x, delta, projected));
            double passesFloat = time(() -> squareLeft(n, cols, hf, xf, cf))
                    + time(() -> tallBySmall(len, k, r, tf, mf, of))
                    + time(() -> Dense.gramColumns(len / 2, k, t, gram, gramScratch))
                    + time(() -> Dense.multiplyTransposedVectorColumnMajor(n / 2, cols, x, delta, projected));
            doubleSink += c[1] + o[1] + gram[1] + projected[1];
            floatSink += cf[1] + of[1];
            double projectedStep = step - passesDouble + passesFloat;
            out.printf(Locale.ROOT, "| 8-OK %s n=%d V=%d, %d stream%s | %.3f | %.3f | %.3f | %.3f | %.2fx |%n", cell, n,
                    vocab, streams, streams == 1 ? "" : "s", step, passesDouble, passesFloat, projectedStep,
                    step / projectedStep);
        }
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    /** Median milliseconds of one call over 9 rounds, after a warm-up. */
    private static double time(Runnable call) {
        for (int i = 0; i < 200; i++) {
            call.run();
        }
        double[] ms = new double[9];
        for (int round = 0; round < ms.length; round++) {
            long t = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                call.run();
            }
            ms[round] = (System.nanoTime() - t) / 1e6 / 50;
        }
        java.util.Arrays.sort(ms);
        return ms[ms.length / 2];
    }

    /** c = h x in float: 4-vector x 4-column tiles over j in order (the double kernel's tiling). */
    static void squareLeft(int n, int cols, float[] h, float[] x, float[] c) {
        int block = 4 * LANES;
        if (n % block != 0 || cols % 4 != 0) {
            throw new IllegalArgumentException("the study uses n a multiple of " + block + " and cols of 4");
        }
        for (int row = 0; row < n; row += block) {
            for (int col = 0; col < cols; col += 4) {
                int x0 = col * n;
                int x1 = x0 + n;
                int x2 = x1 + n;
                int x3 = x2 + n;
                FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00,
                        a12 = a00, a13 = a00, a20 = a00, a21 = a00, a22 = a00, a23 = a00, a30 = a00, a31 = a00,
                        a32 = a00, a33 = a00;
                for (int j = 0; j < n; j++) {
                    int hj = j * n + row;
                    FloatVector h0 = FloatVector.fromArray(F, h, hj);
                    FloatVector h1 = FloatVector.fromArray(F, h, hj + LANES);
                    FloatVector h2 = FloatVector.fromArray(F, h, hj + 2 * LANES);
                    FloatVector h3 = FloatVector.fromArray(F, h, hj + 3 * LANES);
                    FloatVector b = FloatVector.broadcast(F, x[x0 + j]);
                    a00 = h0.fma(b, a00);
                    a10 = h1.fma(b, a10);
                    a20 = h2.fma(b, a20);
                    a30 = h3.fma(b, a30);
                    b = FloatVector.broadcast(F, x[x1 + j]);
                    a01 = h0.fma(b, a01);
                    a11 = h1.fma(b, a11);
                    a21 = h2.fma(b, a21);
                    a31 = h3.fma(b, a31);
                    b = FloatVector.broadcast(F, x[x2 + j]);
                    a02 = h0.fma(b, a02);
                    a12 = h1.fma(b, a12);
                    a22 = h2.fma(b, a22);
                    a32 = h3.fma(b, a32);
                    b = FloatVector.broadcast(F, x[x3 + j]);
                    a03 = h0.fma(b, a03);
                    a13 = h1.fma(b, a13);
                    a23 = h2.fma(b, a23);
                    a33 = h3.fma(b, a33);
                }
                a00.intoArray(c, x0 + row);
                a10.intoArray(c, x0 + row + LANES);
                a20.intoArray(c, x0 + row + 2 * LANES);
                a30.intoArray(c, x0 + row + 3 * LANES);
                a01.intoArray(c, x1 + row);
                a11.intoArray(c, x1 + row + LANES);
                a21.intoArray(c, x1 + row + 2 * LANES);
                a31.intoArray(c, x1 + row + 3 * LANES);
                a02.intoArray(c, x2 + row);
                a12.intoArray(c, x2 + row + LANES);
                a22.intoArray(c, x2 + row + 2 * LANES);
                a32.intoArray(c, x2 + row + 3 * LANES);
                a03.intoArray(c, x3 + row);
                a13.intoArray(c, x3 + row + LANES);
                a23.intoArray(c, x3 + row + 2 * LANES);
                a33.intoArray(c, x3 + row + 3 * LANES);
            }
        }
    }

    /** out = t m in float, eight outputs per pass over t (the double kernel's tiling). */
    static void tallBySmall(int len, int k, int r, float[] t, float[] m, float[] out) {
        int vectorLen = len - len % LANES;
        for (int l0 = 0; l0 + 8 <= r; l0 += 8) {
            int m0 = l0 * k;
            for (int i = 0; i < vectorLen; i += LANES) {
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
                for (int j = 0; j < k; j++) {
                    FloatVector v = FloatVector.fromArray(F, t, j * len + i);
                    int mj = m0 + j;
                    a0 = v.fma(FloatVector.broadcast(F, m[mj]), a0);
                    a1 = v.fma(FloatVector.broadcast(F, m[mj + k]), a1);
                    a2 = v.fma(FloatVector.broadcast(F, m[mj + 2 * k]), a2);
                    a3 = v.fma(FloatVector.broadcast(F, m[mj + 3 * k]), a3);
                    a4 = v.fma(FloatVector.broadcast(F, m[mj + 4 * k]), a4);
                    a5 = v.fma(FloatVector.broadcast(F, m[mj + 5 * k]), a5);
                    a6 = v.fma(FloatVector.broadcast(F, m[mj + 6 * k]), a6);
                    a7 = v.fma(FloatVector.broadcast(F, m[mj + 7 * k]), a7);
                }
                int o = l0 * len + i;
                a0.intoArray(out, o);
                a1.intoArray(out, o + len);
                a2.intoArray(out, o + 2 * len);
                a3.intoArray(out, o + 3 * len);
                a4.intoArray(out, o + 4 * len);
                a5.intoArray(out, o + 5 * len);
                a6.intoArray(out, o + 6 * len);
                a7.intoArray(out, o + 7 * len);
            }
        }
    }
}
