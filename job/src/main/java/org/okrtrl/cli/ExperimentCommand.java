package org.okrtrl.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.okrtrl.experiments.Experiments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Offline experiments of the paper: copy task, character LM, estimator quality, scaling. */
@Command(name = "experiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a named experiment (copy, charlm, quality, scaling); writes config.json, CSV and PNG "
                + "files into --out.")
public final class ExperimentCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "copy, charlm, quality or scaling")
    String name;

    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--algos", split = ",", description = "Algorithms (default depends on the experiment).")
    List<String> algorithms;

    @Option(names = "--cell", defaultValue = "rhn", description = "rnn or rhn.")
    String cell;

    @Option(names = "--hidden", defaultValue = "32", description = "Hidden units n.")
    int hidden;

    @Option(names = "--steps", defaultValue = "100000", description = "Training steps per run.")
    long steps;

    @Option(names = "--seeds", split = ",", defaultValue = "1", description = "Seeds, e.g. 1,2,3.")
    List<Long> seeds;

    @Option(names = {"--learning-rates", "--learning-rate"}, split = ",", defaultValue = "0.001",
            description = "copy, charlm: Adam's learning rate, or a grid (e.g. 0.001,0.000316,0.0001): each rate runs "
                    + "with the first seed, the best on validation is kept for the other seeds.")
    List<Double> learningRates;

    @Option(names = "--clip", defaultValue = "1.0", description = "Gradient clipping by global norm.")
    double clip;

    @Option(names = "--corpus", defaultValue = "data/brown/package",
            description = "charlm/quality: the unpacked Brown corpus (scripts/fetch-brown.sh) or a PTB character file.")
    Path corpus;

    @Option(names = "--eval-every", defaultValue = "10000", description = "charlm: steps between validations.")
    int evalEvery;

    @Option(names = "--validation-chars", defaultValue = "20000", description = "charlm: validation characters used.")
    int validationChars;

    @Option(names = "--samples", defaultValue = "50", description = "quality: sign draws per estimator.")
    int samples;

    @Option(names = "--length", defaultValue = "200", description = "quality: steps along the sequence.")
    int length;

    @Option(names = "--pretrain-steps", defaultValue = "50000", description = "quality: pretraining steps.")
    long pretrainSteps;

    @Option(names = "--bench-table", defaultValue = "docs/PERFORMANCE.md", description = "scaling: a bench table.")
    Path benchTable;

    @Option(names = "--streams", defaultValue = "1",
            description = "copy, charlm: B streams sharing one model, one optimiser step per B events (the paper's "
                    + "batch); --steps counts events over all streams.")
    int streams;

    @Option(names = "--replot", description = "copy, charlm: redraw the figure from --out's curves.csv only.")
    boolean replot;

    @Override
    public Integer call() throws Exception {
        if (!List.of("copy", "charlm", "quality", "scaling").contains(name)) {
            throw new UserInputException("experiment: expected copy, charlm, quality or scaling, got " + name);
        }
        if (!replot && (name.equals("charlm") || name.equals("quality")) && !Files.exists(corpus)) {
            throw new UserInputException("--corpus: " + corpus + " does not exist (run scripts/fetch-brown.sh)");
        }
        if (learningRates.stream().anyMatch(r -> !(r > 0) || !Double.isFinite(r))) {
            throw new UserInputException("--learning-rates: expected positive finite rates, got " + learningRates);
        }
        if (streams < 1) {
            throw new UserInputException("--streams: expected >= 1");
        }
        Experiments.Options o = new Experiments.Options(name, out, algorithms, cell, hidden, steps, seeds, learningRates,
                clip, corpus, evalEvery, validationChars, samples, length, pretrainSteps, benchTable, replot, streams);
        try {
            Experiments.run(o, System.err);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
        spec.commandLine().getOut().println("results in " + out.toAbsolutePath());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
