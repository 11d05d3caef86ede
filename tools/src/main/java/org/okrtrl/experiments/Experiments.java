package org.okrtrl.experiments;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.okrtrl.core.train.Algorithms;
import org.okrtrl.operators.replication.MergeRule;

/** Entry point of {@code bin/okrtrl experiment}: chooses the experiment and its defaults. */
public final class Experiments {
    private Experiments() {}

    /** Everything the command line says. */
    public record Options(String name, Path out, List<String> algorithms, String cell, int hidden, long steps,
            List<Long> seeds, List<Double> learningRates, double clip, Path corpus, int evalEvery, int validationChars,
            int samples, int length, long pretrainSteps, Path benchTable, boolean replot, int streams,
            double initScale, double carryBias, long resetEvery, int replicas, long syncEvery, MergeRule merge,
            double outerLearningRate, double outerMomentum, int exchangeLag, boolean holdBack, List<Integer> ranks,
            int probeStreams, long probeFrom, org.okrtrl.core.influence.Precision precision, double adamBeta2) {}

    public static void run(Options o, PrintStream console) throws Exception {
        Results results = new Results(o.out());
        if (o.replot()) {
            switch (o.name()) {
                case "copy" -> CopyTask.replot(results, o.cell(), o.hidden());
                case "charlm" -> CharLm.replot(results, o.cell(), o.hidden());
                default -> throw new IllegalArgumentException("--replot applies to copy and charlm");
            }
            return;
        }
        Initialization init = new Initialization(o.initScale(), o.carryBias(), o.precision(), o.adamBeta2());
        Replication replication = new Replication(o.replicas(), o.syncEvery(), o.merge(), o.outerLearningRate(),
                o.outerMomentum(), o.exchangeLag(), o.holdBack());
        switch (o.name()) {
            case "copy" -> CopyTask.run(new CopyTask.Config(algorithms(o, "ok:1,ok:8,ok:16,kf,uoro,tbptt:5,tbptt:20"),
                    o.cell(), o.hidden(), o.steps(), o.seeds(), o.learningRates(), o.clip(), 0.15, 2000, o.streams(),
                    init, replication), results, console);
            case "charlm" -> CharLm.run(new CharLm.Config(algorithms(o, "ok:8,kf,uoro,tbptt:5,tbptt:25"), o.cell(),
                    o.hidden(), o.steps(), o.seeds(), o.learningRates(), o.clip(), o.evalEvery(), o.validationChars(),
                    o.streams(), init, o.resetEvery(), replication), corpus(o.corpus()), results, console);
            case "quality" -> EstimatorQuality.run(new EstimatorQuality.Config(
                    algorithms(o, "ok:1,ok:2,ok:4,ok:8,kf,uoro"), o.cell(), o.hidden(), o.pretrainSteps(), o.length(),
                    o.samples(), o.seeds().get(0)), corpus(o.corpus()), results, console);
            case "gradients" -> GradientTrajectory.run(new GradientTrajectory.Config(
                    algorithms(o, "ok:8").get(0), o.cell(), o.hidden(), o.steps(), o.seeds().get(0),
                    o.learningRates().get(0), o.clip(), o.streams(), o.probeStreams(), o.probeFrom(), o.ranks(),
                    o.evalEvery(), init),
                    corpus(o.corpus()), results, console);
            case "scaling" -> Scaling.run(o.benchTable(), o.cell(), 32, results);
            default -> throw new IllegalArgumentException("unknown experiment " + o.name());
        }
    }

    private static List<String> algorithms(Options o, String defaults) {
        List<String> list = o.algorithms() != null ? o.algorithms() : List.of(defaults.split(","));
        for (String a : list) {
            Algorithms.validate(a);
        }
        return list;
    }

    private static TextCorpus corpus(Path path) throws java.io.IOException {
        return Files.isDirectory(path) ? TextCorpus.brown(path) : TextCorpus.file(path);
    }
}
