package org.okrtrl.experiments;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.okrtrl.core.readout.Readout;
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

    /** The configuration of one comparison. */
    record Config(List<String> algorithms, String cell, int hidden, long steps, List<Long> seeds,
            double learningRate, double clip, double threshold, int logEvery, int streams) {}

    /** How far one run got. */
    record Outcome(String algorithm, long seed, int finalLength, int maxLength, double seconds, long resets) {}

    static List<Outcome> run(Config c, Results results, PrintStream console) throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("experiment", "copy");
        config.put("config", c);
        results.config(config);
        List<Outcome> outcomes = new ArrayList<>();
        List<Results.Line> lines = new ArrayList<>();
        try (PrintWriter curves = results.csv("curves.csv", "algorithm", "seed", "step", "length", "running_bits",
                "resets")) {
            for (String algorithm : c.algorithms()) {
                for (long seed : c.seeds()) {
                    Outcome o = runOne(c, algorithm, seed, curves, lines, console);
                    outcomes.add(o);
                }
            }
        }
        try (PrintWriter summary = results.csv("summary.csv", "algorithm", "seed", "final_length", "max_length",
                "seconds", "resets")) {
            for (Outcome o : outcomes) {
                summary.println(Results.row(o.algorithm(), o.seed(), o.finalLength(), o.maxLength(), o.seconds(),
                        o.resets()));
            }
        }
        results.chart("copy-length.png", "Copy task: curriculum length T (" + c.cell() + ", n = " + c.hidden() + ")",
                "training steps", "T", lines, false, false);
        return outcomes;
    }

    /** Redraws the figure from curves.csv (the runs themselves are not repeated). */
    static void replot(Results results, String cell, int hidden) throws java.io.IOException {
        results.chart("copy-length.png", "Copy task: curriculum length T (" + cell + ", n = " + hidden + ")",
                "training steps", "T", Curves.read(results.dir().resolve("curves.csv"), "step", "length"), false,
                false);
    }

    private static Outcome runOne(Config c, String algorithm, long seed, PrintWriter curves, List<Results.Line> lines,
            PrintStream console) {
        LearnerSpec spec = new LearnerSpec(algorithm, c.cell(), 4, c.hidden(), 3, Readout.Link.SOFTMAX, "adam",
                c.learningRate(), c.clip(), 1, 1.0);
        // B streams in lockstep, each with its own strings, all at the curriculum's length T.
        StreamBatch learner = new StreamBatch(spec, seed, c.streams());
        int b = learner.size();
        SplittableRandom[] data = new SplittableRandom[b];
        for (int s = 0; s < b; s++) {
            data[s] = new SplittableRandom(seed * 7919 + 13 + s);
        }
        Progress progress = new Progress(console, "copy " + algorithm + " s" + seed, c.steps());
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
                curves.println(Results.row(algorithm, seed, step, length, running, learner.resets()));
                xs.add((double) step);
                ys.add((double) length);
                nextLog = step + c.logEvery();
            }
            progress.update(step, running, "T=" + length);
        }
        progress.done();
        lines.add(new Results.Line(algorithm + " seed " + seed, xs.stream().mapToDouble(Double::doubleValue).toArray(),
                ys.stream().mapToDouble(Double::doubleValue).toArray()));
        return new Outcome(algorithm, seed, length, maxLength, progress.seconds(), learner.resets());
    }
}
