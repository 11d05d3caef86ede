package org.okrtrl.experiments;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.okrtrl.core.train.Evaluation;
import org.okrtrl.core.train.LearnerSpec;

/**
 * Character-level language modelling: each algorithm trains online on the training text as one
 * long stream (no truncation for the RTRL family), and validation bits per character are
 * measured on held-out text with frozen weights at fixed intervals.
 */
final class CharLm {
    /** The configuration of one comparison; more than one learning rate makes a grid. */
    record Config(List<String> algorithms, String cell, int hidden, long steps, List<Long> seeds,
            List<Double> learningRates, double clip, int evalEvery, int validationChars, int streams,
            Initialization init, long resetEvery, Replication replication) {}

    /**
     * One run: best and final validation bits per character, and the prequential bits (each
     * training character scored by the prediction made before the learner saw it).
     */
    record Outcome(double bestValidation, double finalValidation, double prequentialBits, double seconds,
            long resets) {}

    static List<LearningRateGrid.Run<Outcome>> run(Config c, TextCorpus corpus, Results results, PrintStream console)
            throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("experiment", "charlm");
        config.put("corpus", corpus.source);
        config.put("alphabet", TextCorpus.ALPHABET);
        config.put("train_chars", corpus.train.length);
        config.put("validation_chars", corpus.validation.length);
        config.put("test_chars", corpus.test.length);
        config.put("config", c);
        config.put("optimiser", "adam");
        config.put("adam_beta2", c.init().adamBeta2ByRun(c.algorithms(), c.learningRates(), c.hidden()));
        config.put("selection", "per algorithm, the learning rate with the lowest best validation bits on the first "
                + "seed; the other seeds run at that rate");
        config.put("compressors", "gzip -9: java.util.zip Deflater level 9; bzip2 -9: Apache Commons Compress "
                + "block size 900k; xz -9: XZ for Java LZMA2 preset 9; over the training characters of each seed, "
                + "the B streams' parts concatenated");
        int[] validation = java.util.Arrays.copyOf(corpus.validation, Math.min(c.validationChars(),
                corpus.validation.length));
        double unigram = unigramBits(corpus.train, validation, corpus.vocabulary.size());
        config.put("unigram_valid_bits", unigram);
        results.config(config);
        console.printf(java.util.Locale.ROOT, "unigram baseline: %.3f bits per character on the validation text%n",
                unigram);
        List<Results.Line> lines = new ArrayList<>();
        List<LearningRateGrid.Run<Outcome>> runs;
        try (PrintWriter curves = results.csv("curves.csv", "algorithm", "learning_rate", "seed", "step",
                "train_bits", "valid_bits", "resets");
                PrintWriter compressors = results.csv("compressors.csv", "seed", "characters", "gzip9_bits",
                        "bzip2_9_bits", "xz9_bits");
                PrintWriter finished = results.csv("runs.csv", "algorithm", "learning_rate", "seed",
                        "best_valid_bits", "final_valid_bits", "prequential_bits", "seconds", "resets");
                PrintWriter rounds = c.replication().outerLearningRate() > 0 && c.replication().replicas() > 1
                        ? results.csv("rounds.csv", RoundProbe.header()) : null) {
            Map<Long, Compressors.Bits> measured = new LinkedHashMap<>();
            runs = LearningRateGrid.run(c.algorithms(), c.learningRates(), c.seeds(), (algorithm, rate, seed) -> {
                if (!measured.containsKey(seed)) {
                    Compressors.Bits bits = Compressors.measure(trainingText(c, corpus, seed));
                    measured.put(seed, bits);
                    compressors.println(Results.row(seed, bits.characters(), bits.gzip(), bits.bzip2(), bits.xz()));
                    compressors.flush();
                    console.printf(java.util.Locale.ROOT, "seed %d: gzip -9 %.3f, bzip2 -9 %.3f, xz -9 %.3f bits per "
                            + "character over the %d training characters%n", seed, bits.gzip(), bits.bzip2(),
                            bits.xz(), bits.characters());
                }
                Outcome o = runOne(c, corpus, validation, algorithm, rate, seed, curves, rounds, lines, console);
                // Each run as it ends, so an interrupted grid keeps what it finished.
                finished.println(Results.row(algorithm, rate, seed, o.bestValidation(), o.finalValidation(),
                        o.prequentialBits(), o.seconds(), o.resets()));
                finished.flush();
                return o;
            }, Outcome::bestValidation);
        }
        try (PrintWriter summary = results.csv("summary.csv", "algorithm", "learning_rate", "seed", "selected",
                "best_valid_bits", "final_valid_bits", "prequential_bits", "seconds", "resets")) {
            for (LearningRateGrid.Run<Outcome> r : runs) {
                Outcome o = r.outcome();
                summary.println(Results.row(r.algorithm(), r.learningRate(), r.seed(), r.selected(),
                        o.bestValidation(), o.finalValidation(), o.prequentialBits(), o.seconds(), o.resets()));
            }
        }
        try (PrintWriter headline = results.csv("headline.csv", "algorithm", "learning_rate", "seeds",
                "best_valid_mean", "best_valid_sd", "final_valid_mean", "final_valid_sd", "prequential_mean",
                "prequential_sd", "resets")) {
            for (String algorithm : c.algorithms()) {
                List<Outcome> chosen = runs.stream().filter(r -> r.selected() && r.algorithm().equals(algorithm))
                        .map(LearningRateGrid.Run::outcome).toList();
                double rate = runs.stream().filter(r -> r.selected() && r.algorithm().equals(algorithm))
                        .findFirst().orElseThrow().learningRate();
                headline.println(Results.row(algorithm, rate, chosen.size(),
                        Stats.mean(chosen, Outcome::bestValidation), Stats.sd(chosen, Outcome::bestValidation),
                        Stats.mean(chosen, Outcome::finalValidation), Stats.sd(chosen, Outcome::finalValidation),
                        Stats.mean(chosen, Outcome::prequentialBits), Stats.sd(chosen, Outcome::prequentialBits),
                        chosen.stream().mapToLong(Outcome::resets).sum()));
            }
        }
        results.chart("charlm-validation.png", "Character LM: validation bits per character (" + c.cell() + ", n = "
                + c.hidden() + ", B = " + c.streams() + ")", "training steps (characters)", "bits per character",
                lines, false, false);
        return runs;
    }

    private static Outcome runOne(Config c, TextCorpus corpus, int[] validation, String algorithm, double rate,
            long seed, PrintWriter curves, PrintWriter rounds, List<Results.Line> lines, PrintStream console) {
        LearnerSpec spec = c.init().symbolSpec(algorithm, c.cell(), corpus.vocabulary.size(), c.hidden(),
                corpus.vocabulary.size(), rate, c.clip());
        StreamBatch learner = c.replication().streams(spec, seed, c.streams());
        if (rounds != null) {
            learner.probeRounds(new RoundProbe(rounds, validation, algorithm, rate, seed,
                    c.replication().syncEvery() * c.replication().replicas()));
        }
        String label = algorithm + " lr " + rate + " s" + seed;
        Progress progress = new Progress(console, "charlm " + label, c.steps());
        double running = Double.NaN;
        double best = Double.POSITIVE_INFINITY;
        double last = Double.NaN;
        double prequentialNats = 0;
        long scored = 0;
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (long step = 1; step <= c.steps(); step++) {
            int s = (int) ((step - 1) % c.streams());
            if (c.resetEvery() > 0 && step > c.streams() && ((step - 1) / c.streams()) % c.resetEvery() == 0) {
                learner.endSequence(s);
            }
            double loss = learner.observeSymbol(s, trainingSymbol(c, corpus, seed, step));
            if (Double.isFinite(loss)) {
                double bits = loss / Math.log(2);
                running = Double.isNaN(running) ? bits : running + 0.001 * (bits - running);
                prequentialNats += loss;
                scored++;
            }
            if (step % c.evalEvery() == 0 || step == c.steps()) {
                last = Evaluation.bitsPerSymbol(learner.model(), validation);
                best = Math.min(best, last);
                curves.println(Results.row(algorithm, rate, seed, step, running, last, learner.resets()));
                curves.flush();
                xs.add((double) step);
                ys.add(last);
            }
            progress.update(step, running, String.format(java.util.Locale.ROOT, "valid %.3f", last));
        }
        progress.done();
        lines.add(new Results.Line(label, xs.stream().mapToDouble(Double::doubleValue).toArray(),
                ys.stream().mapToDouble(Double::doubleValue).toArray()));
        return new Outcome(best, last, prequentialNats / Math.log(2) / Math.max(1, scored), progress.seconds(),
                learner.resets());
    }

    /**
     * The symbol stream s reads at a step: the training text cut into B contiguous parts (one per
     * stream), read from a seed-dependent offset, the streams taking turns.
     */
    private static int trainingSymbol(Config c, TextCorpus corpus, long seed, long step) {
        return trainingSymbol(corpus, c.streams(), seed, step);
    }

    /** As above for any experiment that reads the training text as B streams. */
    static int trainingSymbol(TextCorpus corpus, int streams, long seed, long step) {
        int s = (int) ((step - 1) % streams);
        long position = (step - 1) / streams + 1;
        int part = corpus.train.length / streams;
        int offset = (int) (seed * 100_003 % corpus.train.length);
        return corpus.train[(int) ((offset + (long) s * part + position) % corpus.train.length)];
    }

    /** The characters of one run's training steps, stream after stream, as the compressors get them. */
    static byte[] trainingText(Config c, TextCorpus corpus, long seed) {
        int streams = c.streams();
        long perStream = c.steps() / streams;
        long total = perStream * streams;
        byte[] text = new byte[Math.toIntExact(total)];
        for (long step = 1; step <= total; step++) {
            int s = (int) ((step - 1) % streams);
            long position = (step - 1) / streams;
            int symbol = trainingSymbol(c, corpus, seed, step);
            // The unknown symbol, outside the alphabet, is one byte of its own.
            text[Math.toIntExact(s * perStream + position)] =
                    symbol < TextCorpus.ALPHABET.length() ? (byte) TextCorpus.ALPHABET.charAt(symbol) : 0;
        }
        return text;
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
