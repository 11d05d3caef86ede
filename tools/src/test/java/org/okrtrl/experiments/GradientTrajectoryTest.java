package org.okrtrl.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.okrtrl.core.influence.OkReduction;
import org.okrtrl.core.random.SplitMix64;

/** The trajectory tool's columns: the reduction's relative error and the shadows' gradient error. */
class GradientTrajectoryTest {
    @TempDir
    Path tmp;

    @Test
    void relativeReductionErrorIsTheClosedFormOverTheInputNorm() {
        // C = 3 e1 e1^T + 1 e2 e2^T reduced to one term: nothing is kept exactly (1 x 3 < 4), q = 1,
        // squared error 4^2 / 1 - (9 + 1) = 6 against ||C||_F^2 = 10.
        OkReduction reduction = new OkReduction(2, 2, 1);
        double[] a = {3, 0, 0, 1};
        double[] u = {1, 0, 0, 1};
        reduction.reduce(a, u, new double[2], new double[2], new SplitMix64(7));
        assertEquals(Math.sqrt(0.6), GradientTrajectory.relativeReductionError(reduction), 1e-12);
        // Rank 1 already: the reduction is exact.
        double[] rankOne = {3, 0, 0, 0};
        reduction.reduce(rankOne, u, new double[2], new double[2], new SplitMix64(7));
        assertEquals(0.0, GradientTrajectory.relativeReductionError(reduction), 1e-12);
    }

    @Test
    void shadowsOfARankThatHoldsTheWholeInfluenceAreExactAndReduceWithoutError() throws Exception {
        TextCorpus corpus = TwoWordText.write(tmp, 5, 2000);
        int hidden = 2;
        // An rnn cell's influence is a sum of Kronecker products of n x n and (n + v + 1)-long factors,
        // so at most n^2 = 4 terms are ever needed: 4-OK is exact and 1-OK is not.
        var config = new GradientTrajectory.Config("ok:1", "rnn", hidden, 600, 1, 0.01, 1.0, 2, 1, 0, List.of(1, 4),
                300, new Initialization(0.5, 0.0));
        GradientTrajectory.run(config, corpus, new Results(tmp.resolve("out")), new PrintStream(new ByteArrayOutputStream()));
        List<String> rows = Files.readAllLines(tmp.resolve("out/trajectory.csv"));
        assertEquals("step,train_bits,influence_norm,probed_events,cos_ok1,rel_err_ok1,cos_ok4,rel_err_ok4,"
                + "reduction_err_ok1,reduction_err_ok4", rows.get(0));
        assertEquals(3, rows.size(), "a header and a row every 300 steps");
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            assertTrue(Double.parseDouble(f[3]) > 100, "the probed stream is every second event: " + row);
            assertEquals(1.0, Double.parseDouble(f[6]), 1e-9, "4-OK's cosine: " + row);
            assertTrue(Double.parseDouble(f[7]) < 1e-6, "4-OK's relative error: " + row);
            assertTrue(Double.parseDouble(f[9]) < 1e-6, "4-OK's reduction drops nothing: " + row);
            assertTrue(Double.parseDouble(f[5]) > 1e-3, "1-OK is an estimate: " + row);
            double oneOk = Double.parseDouble(f[8]);
            assertTrue(oneOk > 1e-3 && oneOk < 1, "1-OK's reduction error is between 0 and ||C||: " + row);
        }
    }

    @Test
    void probesStartAfterProbeFromAndTheTrainingPathIsTheSame() throws Exception {
        TextCorpus corpus = TwoWordText.write(tmp, 5, 2000);
        var from0 = new GradientTrajectory.Config("ok:1", "rnn", 2, 600, 1, 0.01, 1.0, 2, 1, 0, List.of(4), 300,
                new Initialization(0.5, 0.0));
        var from300 = new GradientTrajectory.Config("ok:1", "rnn", 2, 600, 1, 0.01, 1.0, 2, 1, 300, List.of(4), 300,
                new Initialization(0.5, 0.0));
        GradientTrajectory.run(from0, corpus, new Results(tmp.resolve("a")), new PrintStream(new ByteArrayOutputStream()));
        GradientTrajectory.run(from300, corpus, new Results(tmp.resolve("b")), new PrintStream(new ByteArrayOutputStream()));
        List<String> all = Files.readAllLines(tmp.resolve("a/trajectory.csv"));
        List<String> late = Files.readAllLines(tmp.resolve("b/trajectory.csv"));
        String[] first = late.get(1).split(",");
        String[] second = late.get(2).split(",");
        assertEquals("0", first[3], "nothing probed before step 300: " + late.get(1));
        assertTrue(Double.parseDouble(second[3]) > 100, "probed after it: " + late.get(2));
        assertEquals(1.0, Double.parseDouble(second[4]), 1e-9, "4-OK started late is still exact: " + late.get(2));
        for (int row = 1; row <= 2; row++) {
            assertEquals(all.get(row).split(",")[1], late.get(row).split(",")[1], "the learner's own training bits");
        }
    }

    @Test
    void theLearnerKeepsItsFactorsInTheDefaultPrecisionAsExperimentCharlmDoes() throws Exception {
        TextCorpus corpus = TwoWordText.write(tmp, 5, 2000);
        java.util.Map<String, List<String>> bits = new java.util.HashMap<>();
        for (var precision : new org.okrtrl.core.influence.Precision[] {null,
                org.okrtrl.core.influence.Precision.FLOAT, org.okrtrl.core.influence.Precision.DOUBLE}) {
            String name = String.valueOf(precision);
            var config = new GradientTrajectory.Config("ok:2", "rnn", 4, 900, 1, 0.01, 1.0, 2, 1, 900, List.of(2), 300,
                    new Initialization(0.5, 0.0, precision));
            GradientTrajectory.run(config, corpus, new Results(tmp.resolve(name)),
                    new PrintStream(new ByteArrayOutputStream()));
            bits.put(name, Files.readAllLines(tmp.resolve(name + "/trajectory.csv")).stream().skip(1)
                    .map(line -> line.split(",")[1]).toList());
        }
        assertEquals(bits.get("FLOAT"), bits.get("null"), "the default is the job's: float factors for r-OK");
        org.junit.jupiter.api.Assertions.assertNotEquals(bits.get("FLOAT"), bits.get("DOUBLE"),
                "double factors round differently");
    }
}
