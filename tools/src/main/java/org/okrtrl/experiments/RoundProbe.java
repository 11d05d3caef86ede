package org.okrtrl.experiments;

import java.io.PrintWriter;
import org.okrtrl.core.train.Evaluation;
import org.okrtrl.core.train.Model;

/**
 * What one synchronous round of P replicas moved, measured where the outer step is taken
 * ({@link OuterNesterov}): how much the replicas' moves agree, and the validation bits along the
 * line from the round's common point through their mean move. Scaling the mean by k = 1 is
 * model averaging, k = P is the sum of the moves; the bits at k = 2, 4, ... show how far an outer
 * step along the mean direction can go before it overshoots. Each replica's own end point
 * (theta + Delta_i, what it reached alone) is scored too.
 *
 * <p>The question it answers: when the replicas exchange rarely, are their moves mostly noise
 * that an average cancels (then a larger outer step, or a larger rate, recovers the progress of
 * one learner seeing every event), or mostly the same move (then the average is one replica's
 * progress and any larger step along it overshoots)?
 */
final class RoundProbe {
    /** The multiples of the mean move scored. */
    static final double[] SCALES = {0.5, 1, 2, 4, 8};

    private final PrintWriter out;
    private final int[] validation;
    private final String algorithm;
    private final double learningRate;
    private final long seed;
    private final long eventsPerRound;
    private Model scratch;

    /**
     * @param eventsPerRound events of all replicas per round (P x E)
     */
    RoundProbe(PrintWriter out, int[] validation, String algorithm, double learningRate, long seed,
            long eventsPerRound) {
        this.out = out;
        this.validation = validation;
        this.algorithm = algorithm;
        this.learningRate = learningRate;
        this.seed = seed;
        this.eventsPerRound = eventsPerRound;
    }

    static String[] header() {
        String[] fixed = {"algorithm", "learning_rate", "seed", "round", "events", "replica_move_norm",
            "mean_move_norm", "norm_ratio", "mean_pairwise_cosine", "bits_start", "bits_replicas_mean",
            "bits_replicas_best"};
        String[] all = java.util.Arrays.copyOf(fixed, fixed.length + SCALES.length);
        for (int i = 0; i < SCALES.length; i++) {
            all[fixed.length + i] = "bits_mean_move_x" + SCALES[i];
        }
        return all;
    }

    /**
     * Called once a round's moves are all in, before the outer step changes theta; reads every
     * argument and modifies none.
     *
     * @param like a model whose cell and readout the scored points share
     * @param thetaW the round's common point (cell weights)
     * @param thetaV the round's common point (readout)
     * @param movesW each replica's move of the round (cell weights), one row per replica
     * @param movesV each replica's move of the round (readout)
     */
    void roundEnded(long round, Model like, double[] thetaW, double[] thetaV, double[][] movesW, double[][] movesV) {
        if (scratch == null) {
            scratch = new Model(like.cell, like.readout);
        }
        int p = movesW.length;
        double[] meanW = mean(movesW);
        double[] meanV = mean(movesV);
        double[] norms = new double[p];
        double normSum = 0;
        for (int r = 0; r < p; r++) {
            norms[r] = Math.sqrt(dot(movesW[r], movesW[r]) + dot(movesV[r], movesV[r]));
            normSum += norms[r];
        }
        double cosineSum = 0;
        int pairs = 0;
        for (int a = 0; a < p; a++) {
            for (int b = a + 1; b < p; b++) {
                cosineSum += (dot(movesW[a], movesW[b]) + dot(movesV[a], movesV[b])) / (norms[a] * norms[b]);
                pairs++;
            }
        }
        double meanNorm = Math.sqrt(dot(meanW, meanW) + dot(meanV, meanV));
        double start = bitsAt(thetaW, thetaV, null, null, 0);
        double replicasSum = 0;
        double replicasBest = Double.POSITIVE_INFINITY;
        for (int r = 0; r < p; r++) {
            double bits = bitsAt(thetaW, thetaV, movesW[r], movesV[r], 1);
            replicasSum += bits;
            replicasBest = Math.min(replicasBest, bits);
        }
        Object[] row = new Object[12 + SCALES.length];
        row[0] = algorithm;
        row[1] = learningRate;
        row[2] = seed;
        row[3] = round;
        row[4] = round * eventsPerRound;
        row[5] = normSum / p;
        row[6] = meanNorm;
        row[7] = meanNorm / (normSum / p);
        row[8] = pairs == 0 ? Double.NaN : cosineSum / pairs;
        row[9] = start;
        row[10] = replicasSum / p;
        row[11] = replicasBest;
        for (int i = 0; i < SCALES.length; i++) {
            row[12 + i] = bitsAt(thetaW, thetaV, meanW, meanV, SCALES[i]);
        }
        out.println(Results.row(row));
        out.flush();
    }

    /** Validation bits at theta + k move (theta alone when move is null). */
    private double bitsAt(double[] thetaW, double[] thetaV, double[] moveW, double[] moveV, double k) {
        for (int i = 0; i < thetaW.length; i++) {
            scratch.w[i] = thetaW[i] + (moveW == null ? 0 : k * moveW[i]);
        }
        for (int i = 0; i < thetaV.length; i++) {
            scratch.v[i] = thetaV[i] + (moveV == null ? 0 : k * moveV[i]);
        }
        return Evaluation.bitsPerSymbol(scratch, validation);
    }

    private static double[] mean(double[][] rows) {
        double[] m = new double[rows[0].length];
        for (double[] row : rows) {
            for (int i = 0; i < m.length; i++) {
                m[i] += row[i] / rows.length;
            }
        }
        return m;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
