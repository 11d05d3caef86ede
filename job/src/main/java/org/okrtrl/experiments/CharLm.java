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

/**
 * Character-level language modelling: each algorithm trains online on the training text as one
 * long stream (no truncation for the RTRL family), and validation bits per character are
 * measured on held-out text with frozen weights at fixed intervals.
 */
final class CharLm {
    /** The configuration of one comparison. */
    record Config(List<String> algorithms, String cell, int hidden, long steps, List<Long> seeds, double learningRate,
            double clip, int evalEvery, int validationChars, int streams) {}

    /** The best validation bits per character of one run. */
    record Outcome(String algorithm, long seed, double bestValidation, double finalValidation, double seconds,
            long resets) {}

    static List<Outcome> run(Config c, TextCorpus corpus, Results results, PrintStream console) throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("experiment", "charlm");
        config.put("corpus", corpus.source);
        config.put("alphabet", TextCorpus.ALPHABET);
        config.put("train_chars", corpus.train.length);
        config.put("validation_chars", corpus.validation.length);
        config.put("test_chars", corpus.test.length);
        config.put("config", c);
        int[] validation = java.util.Arrays.copyOf(corpus.validation, Math.min(c.validationChars(),
                corpus.validation.length));
        double unigram = unigramBits(corpus.train, validation, corpus.vocabulary.size());
        config.put("unigram_valid_bits", unigram);
        results.config(config);
        console.printf(java.util.Locale.ROOT, "unigram baseline: %.3f bits per character on the validation text%n",
                unigram);
        List<Outcome> outcomes = new ArrayList<>();
        List<Results.Line> lines = new ArrayList<>();
        try (PrintWriter curves = results.csv("curves.csv", "algorithm", "seed", "step", "train_bits", "valid_bits",
                "resets")) {
            for (String algorithm : c.algorithms()) {
                for (long seed : c.seeds()) {
                    LearnerSpec spec = new LearnerSpec(algorithm, c.cell(), corpus.vocabulary.size(), c.hidden(),
                            corpus.vocabulary.size(), Readout.Link.SOFTMAX, "adam", c.learningRate(), c.clip(), 1, 1.0);
                    StreamBatch learner = new StreamBatch(spec, seed, c.streams());
                    // The training text cut into B contiguous parts, one per stream.
                    int part = corpus.train.length / c.streams();
                    Progress progress = new Progress(console, "charlm " + algorithm + " s" + seed, c.steps());
                    double running = Double.NaN;
                    double best = Double.POSITIVE_INFINITY;
                    double last = Double.NaN;
                    List<Double> xs = new ArrayList<>();
                    List<Double> ys = new ArrayList<>();
                    int offset = (int) (seed * 100_003 % corpus.train.length);
                    for (long step = 1; step <= c.steps(); step++) {
                        int s = (int) ((step - 1) % c.streams());
                        long position = (step - 1) / c.streams() + 1;
                        int symbol = corpus.train[(int) ((offset + (long) s * part + position) % corpus.train.length)];
                        double loss = learner.observeSymbol(s, symbol);
                        if (Double.isFinite(loss)) {
                            double bits = loss / Math.log(2);
                            running = Double.isNaN(running) ? bits : running + 0.001 * (bits - running);
                        }
                        if (step % c.evalEvery() == 0 || step == c.steps()) {
                            last = Evaluation.bitsPerSymbol(learner.model(), validation);
                            best = Math.min(best, last);
                            curves.println(Results.row(algorithm, seed, step, running, last, learner.resets()));
                            curves.flush();
                            xs.add((double) step);
                            ys.add(last);
                        }
                        progress.update(step, running, String.format(java.util.Locale.ROOT, "valid %.3f", last));
                    }
                    progress.done();
                    outcomes.add(new Outcome(algorithm, seed, best, last, progress.seconds(), learner.resets()));
                    lines.add(new Results.Line(algorithm + " seed " + seed,
                            xs.stream().mapToDouble(Double::doubleValue).toArray(),
                            ys.stream().mapToDouble(Double::doubleValue).toArray()));
                }
            }
        }
        try (PrintWriter summary = results.csv("summary.csv", "algorithm", "seed", "best_valid_bits",
                "final_valid_bits", "seconds", "resets")) {
            for (Outcome o : outcomes) {
                summary.println(Results.row(o.algorithm(), o.seed(), o.bestValidation(), o.finalValidation(),
                        o.seconds(), o.resets()));
            }
        }
        results.chart("charlm-validation.png", "Character LM: validation bits per character (" + c.cell() + ", n = "
                + c.hidden() + ")", "training steps (characters)", "bits per character", lines, false, false);
        return outcomes;
    }

    /**
     * Bits per character of the validation text under the training text's character
     * frequencies (add-one smoothed): what a model that ignores context achieves.
     */
    static double unigramBits(int[] train, int[] validation, int vocabulary) {
        double[] counts = new double[vocabulary];
        java.util.Arrays.fill(counts, 1.0);
        for (int s : train) {
            counts[s]++;
        }
        double total = train.length + vocabulary;
        double bits = 0;
        for (int s : validation) {
            bits -= Math.log(counts[s] / total) / Math.log(2);
        }
        return bits / validation.length;
    }

    /** Redraws the figure from curves.csv (the runs themselves are not repeated). */
    static void replot(Results results, String cell, int hidden) throws java.io.IOException {
        results.chart("charlm-validation.png", "Character LM: validation bits per character (" + cell + ", n = "
                + hidden + ")", "training steps (characters)", "bits per character",
                Curves.read(results.dir().resolve("curves.csv"), "step", "valid_bits"), false, false);
    }
}
