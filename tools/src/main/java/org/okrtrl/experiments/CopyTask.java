package org.okrtrl.experiments;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.okrtrl.core.train.LearnerSpec;

/**
 * The copy task with a curriculum (ALGORITHMS.md section 10): a random binary string of length
 * T, a marker, then the string reproduced; inputs {0, 1, marker, blank}, targets {0, 1, blank};
 * the loss counts on every step; T grows by one when the running average loss falls under the
 * threshold. Hidden state and influence reset per sequence.
 */
final class CopyTask {
    static final int MARKER = 2;
    static final int BLANK_IN = 3;
    static final int BLANK_OUT = 2;
    static final double LN2 = Math.log(2);

    /** The configuration of one comparison; more than one learning rate makes a grid. */
    record Config(List<String> algorithms, String cell, int hidden, long steps, List<Long> seeds,
            List<Double> learningRates, double clip, double threshold, int logEvery, int streams,
            Initialization init, Replication replication) {}

    /** How far one run got. */
    record Outcome(int finalLength, int maxLength, double seconds, long resets) {}

    static List<LearningRateGrid.Run<Outcome>> run(Config c, Results results, PrintStream console) throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("experiment", "copy");
        config.put("config", c);
        config.put("optimiser", "adam");
        config.put("adam_beta2", c.init().adamBeta2ByRun(c.algorithms(), c.learningRates(), c.hidden()));
        config.put("selection", "per algorithm, the learning rate with the highest final T on the first seed (the "
                + "sequences are drawn fresh, so training never repeats data); the other seeds run at that rate");
        results.config(config);
        List<Results.Line> lines = new ArrayList<>();
        List<LearningRateGrid.Run<Outcome>> runs;
        try (PrintWriter curves = results.csv("curves.csv", "algorithm", "learning_rate", "seed", "step", "length",
                "running_bits", "resets");
                PrintWriter finished = results.csv("runs.csv", "algorithm", "learning_rate", "seed", "final_length",
                        "max_length", "seconds", "resets")) {
            runs = LearningRateGrid.run(c.algorithms(), c.learningRates(), c.seeds(), (algorithm, rate, seed) -> {
                Outcome o = runOne(c, algorithm, rate, seed, curves, lines, console);
                // Each run as it ends, so an interrupted grid keeps what it finished.
                finished.println(Results.row(algorithm, rate, seed, o.finalLength(), o.maxLength(), o.seconds(),
                        o.resets()));
                finished.flush();
                return o;
            }, o -> -o.finalLength());
        }
        try (PrintWriter summary = results.csv("summary.csv", "algorithm", "learning_rate", "seed", "selected",
                "final_length", "max_length", "seconds", "resets")) {
            for (LearningRateGrid.Run<Outcome> r : runs) {
                Outcome o = r.outcome();
                summary.println(Results.row(r.algorithm(), r.learningRate(), r.seed(), r.selected(), o.finalLength(),
                        o.maxLength(), o.seconds(), o.resets()));
            }
        }
        try (PrintWriter headline = results.csv("headline.csv", "algorithm", "learning_rate", "seeds",
                "final_length_mean", "final_length_sd", "max_length_mean", "resets")) {
            for (String algorithm : c.algorithms()) {
                List<LearningRateGrid.Run<Outcome>> chosen = runs.stream()
                        .filter(r -> r.selected() && r.algorithm().equals(algorithm)).toList();
                List<Outcome> outcomes = chosen.stream().map(LearningRateGrid.Run::outcome).toList();
                headline.println(Results.row(algorithm, chosen.get(0).learningRate(), outcomes.size(),
                        Stats.mean(outcomes, Outcome::finalLength), Stats.sd(outcomes, Outcome::finalLength),
                        Stats.mean(outcomes, Outcome::maxLength), outcomes.stream().mapToLong(Outcome::resets).sum()));
            }
        }
        results.chart("copy-length.png", "Copy task: curriculum length T (" + c.cell() + ", n = " + c.hidden()
                + ", B = " + c.streams() + ")", "training steps", "T", lines, false, false);
        return runs;
    }

    /** Redraws the figure from curves.csv (the runs themselves are not repeated). */
    static void replot(Results results, String cell, int hidden) throws java.io.IOException {
        results.chart("copy-length.png", "Copy task: curriculum length T (" + cell + ", n = " + hidden + ")",
                "training steps", "T", Curves.read(results.dir().resolve("curves.csv"), "step", "length"), false,
                false);
    }

    private static Outcome runOne(Config c, String algorithm, double rate, long seed, PrintWriter curves,
            List<Results.Line> lines, PrintStream console) {
        LearnerSpec spec = c.init().symbolSpec(algorithm, c.cell(), 4, c.hidden(), 3, rate, c.clip());
        // B streams in lockstep, each with its own strings, all at the curriculum's length T.
        StreamBatch learner = c.replication().streams(spec, seed, c.streams());
        int b = learner.size();
        SplittableRandom[] data = new SplittableRandom[b];
        for (int s = 0; s < b; s++) {
            data[s] = new SplittableRandom(seed * 7919 + 13 + s);
        }
        Progress progress = new Progress(console, "copy " + algorithm + " lr " + rate + " s" + seed, c.steps());
        int length = 1;
        int maxLength = 1;
        double running = 1.0;
        long sequencesAtLength = 0;
        long step = 0;
        long nextLog = 0;
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        int[][] bits = new int[b][4096];
        double[] nats = new double[b];
        while (step < c.steps()) {
            for (int s = 0; s < b; s++) {
                for (int i = 0; i < length; i++) {
                    bits[s][i] = data[s].nextInt(2);
                }
                nats[s] = 0;
            }
            for (int i = 0; i < length; i++) {
                for (int s = 0; s < b; s++) {
                    nats[s] += learner.observe(s, bits[s][i], BLANK_OUT);
                }
            }
            for (int s = 0; s < b; s++) {
                nats[s] += learner.observe(s, MARKER, BLANK_OUT);
            }
            for (int i = 0; i < length; i++) {
                for (int s = 0; s < b; s++) {
                    nats[s] += learner.observe(s, BLANK_IN, bits[s][i]);
                }
            }
            int seqSteps = 2 * length + 1;
            step += (long) seqSteps * b;
            boolean grow = false;
            for (int s = 0; s < b; s++) {
                learner.endSequence(s);
                double bitsPerStep = nats[s] / LN2 / seqSteps;
                sequencesAtLength++;
                running += (bitsPerStep - running) / Math.min(sequencesAtLength, 100);
                grow |= sequencesAtLength >= 20 && running < c.threshold();
            }
            if (grow) {
                length++;
                maxLength = Math.max(maxLength, length);
                sequencesAtLength = 0;
                running = 1.0;
            }
            if (step >= nextLog) {
                curves.println(Results.row(algorithm, rate, seed, step, length, running, learner.resets()));
                curves.flush();
                xs.add((double) step);
                ys.add((double) length);
                nextLog = step + c.logEvery();
            }
            progress.update(step, running, "T=" + length);
        }
        progress.done();
        lines.add(new Results.Line(algorithm + " lr " + rate + " s" + seed, xs.stream().mapToDouble(Double::doubleValue).toArray(),
                ys.stream().mapToDouble(Double::doubleValue).toArray()));
        return new Outcome(length, maxLength, progress.seconds(), learner.resets());
    }
}
