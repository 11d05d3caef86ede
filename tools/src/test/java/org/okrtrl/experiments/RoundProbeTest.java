package org.okrtrl.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.Evaluation;
import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.core.train.Model;

/** The round probe's agreement figures and the points it scores, on moves whose answers are known. */
class RoundProbeTest {
    private final Model model = new LearnerSpec("ok:2", "rhn", 5, 6, 5, Readout.Link.SOFTMAX, "adam", 1e-3, 1, 1, 0,
            0.3).create(7).model();
    private final int[] validation = new SplittableRandom(3).ints(200, 0, 5).toArray();

    @Test
    void identicalMovesAgreeFullyAndTheirMeanIsEachOne() {
        double[] moveW = random(model.w.length, 1);
        double[] moveV = random(model.v.length, 2);
        String[] row = probe(new double[][] {moveW, moveW.clone(), moveW.clone()},
                new double[][] {moveV, moveV.clone(), moveV.clone()});
        assertEquals(1.0, value(row, "norm_ratio"), 1e-12);
        assertEquals(1.0, value(row, "mean_pairwise_cosine"), 1e-12);
        assertEquals(value(row, "bits_replicas_mean"), value(row, "bits_mean_move_x1.0"), 1e-12);
        assertEquals(value(row, "bits_replicas_best"), value(row, "bits_mean_move_x1.0"), 1e-12);
        assertEquals(Evaluation.bitsPerSymbol(model, validation), value(row, "bits_start"), 1e-5, "six digits written");
        assertEquals(scored(moveW, moveV, 4), value(row, "bits_mean_move_x4.0"), 1e-5);
        assertNotEquals(value(row, "bits_start"), value(row, "bits_mean_move_x4.0"));
    }

    @Test
    void oppositeMovesCancelInTheirMean() {
        double[] moveW = random(model.w.length, 1);
        double[] moveV = random(model.v.length, 2);
        String[] row = probe(new double[][] {moveW, negated(moveW)}, new double[][] {moveV, negated(moveV)});
        assertEquals(0.0, value(row, "norm_ratio"), 1e-12);
        assertEquals(-1.0, value(row, "mean_pairwise_cosine"), 1e-12);
        assertEquals(value(row, "bits_start"), value(row, "bits_mean_move_x8.0"), 1e-12);
        assertEquals(2, value(row, "round"));
        assertEquals(2 * 500, value(row, "events"));
    }

    private String[] probe(double[][] movesW, double[][] movesV) {
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            new RoundProbe(out, validation, "ok:2", 1e-3, 1, 500).roundEnded(2, model, model.w, model.v, movesW,
                    movesV);
        }
        return text.toString().trim().split(",");
    }

    private static double value(String[] row, String column) {
        return Double.parseDouble(row[java.util.Arrays.asList(RoundProbe.header()).indexOf(column)]);
    }

    private double scored(double[] moveW, double[] moveV, double k) {
        Model at = new Model(model.cell, model.readout);
        for (int i = 0; i < at.w.length; i++) {
            at.w[i] = model.w[i] + k * moveW[i];
        }
        for (int i = 0; i < at.v.length; i++) {
            at.v[i] = model.v[i] + k * moveV[i];
        }
        return Evaluation.bitsPerSymbol(at, validation);
    }

    private static double[] random(int length, long seed) {
        return new SplittableRandom(seed).doubles(length, -0.1, 0.1).toArray();
    }

    private static double[] negated(double[] x) {
        double[] y = x.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] = -y[i];
        }
        return y;
    }
}
