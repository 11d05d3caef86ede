package org.okrtrl.experiments;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.Evaluation;
import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.core.train.SequenceLearner;

/**
 * Character-level language modelling: each algorithm trains online on the training text as one
 * long stream (no truncation for the RTRL family), and validation bits per character are
 * measured on held-out text with frozen weights at fixed intervals.
 */
final class CharLm {
    /** The configuration of one comparison. */
    record Config(List<String> algorithms, String cell, int hidden, long steps, List<Long> seeds, double learningRate,
            double clip, int evalEvery, int validationChars) {}

    /** The best validation bits per character of one run. */
    record Outcome(String algorithm, long seed, double bestValidation, double finalValidation, double seconds) {}

    static List<Outcome> run(Config c, TextCorpus corpus, Results results, PrintStream console) throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("experiment", "charlm");
        config.put("corpus", corpus.source);
        config.put("alphabet", TextCorpus.ALPHABET);
        config.put("train_chars", corpus.train.length);
        config.put("validation_chars", corpus.validation.length);
        config.put("test_chars", corpus.test.length);
        config.put("config", c);
        results.config(config);
        int[] validation = java.util.Arrays.copyOf(corpus.validation, Math.min(c.validationChars(),
                corpus.validation.length));
        List<Outcome> outcomes = new ArrayList<>();
        List<Results.Line> lines = new ArrayList<>();
        try (PrintWriter curves = results.csv("curves.csv", "algorithm", "seed", "step", "train_bits", "valid_bits")) {
            for (String algorithm : c.algorithms()) {
                for (long seed : c.seeds()) {
                    LearnerSpec spec = new LearnerSpec(algorithm, c.cell(), corpus.vocabulary.size(), c.hidden(),
                            corpus.vocabulary.size(), Readout.Link.SOFTMAX, "adam", c.learningRate(), c.clip(), 1, 1.0);
                    SequenceLearner learner = spec.create(seed);
                    Progress progress = new Progress(console, "charlm " + algorithm + " s" + seed, c.steps());
                    double running = Double.NaN;
                    double best = Double.POSITIVE_INFINITY;
                    double last = Double.NaN;
                    List<Double> xs = new ArrayList<>();
                    List<Double> ys = new ArrayList<>();
                    int offset = (int) (seed * 100_003 % corpus.train.length);
                    for (long step = 1; step <= c.steps(); step++) {
                        int symbol = corpus.train[(int) ((offset + step) % corpus.train.length)];
                        double loss = learner.observeSymbol(symbol);
                        if (!learner.healthy()) {
                            learner = spec.create(seed + step);
                        }
                        if (Double.isFinite(loss)) {
                            double bits = loss / Math.log(2);
                            running = Double.isNaN(running) ? bits : running + 0.001 * (bits - running);
                        }
                        if (step % c.evalEvery() == 0 || step == c.steps()) {
                            last = Evaluation.bitsPerSymbol(learner.model(), validation);
                            best = Math.min(best, last);
                            curves.println(Results.row(algorithm, seed, step, running, last));
                            curves.flush();
                            xs.add((double) step);
                            ys.add(last);
                        }
                        progress.update(step, running, String.format(java.util.Locale.ROOT, "valid %.3f", last));
                    }
                    progress.done();
                    outcomes.add(new Outcome(algorithm, seed, best, last, progress.seconds()));
                    lines.add(new Results.Line(algorithm + " seed " + seed,
                            xs.stream().mapToDouble(Double::doubleValue).toArray(),
                            ys.stream().mapToDouble(Double::doubleValue).toArray()));
                }
            }
        }
        try (PrintWriter summary = results.csv("summary.csv", "algorithm", "seed", "best_valid_bits",
                "final_valid_bits", "seconds")) {
            for (Outcome o : outcomes) {
                summary.println(Results.row(o.algorithm(), o.seed(), o.bestValidation(), o.finalValidation(),
                        o.seconds()));
            }
        }
        results.chart("charlm-validation.png", "Character LM: validation bits per character (" + c.cell() + ", n = "
                + c.hidden() + ")", "training steps (characters)", "bits per character", lines, false, false);
        return outcomes;
    }

    /** Redraws the figure from curves.csv (the runs themselves are not repeated). */
    static void replot(Results results, String cell, int hidden) throws java.io.IOException {
        results.chart("charlm-validation.png", "Character LM: validation bits per character (" + cell + ", n = "
                + hidden + ")", "training steps (characters)", "bits per character",
                Curves.read(results.dir().resolve("curves.csv"), "step", "valid_bits"), false, false);
    }
}
