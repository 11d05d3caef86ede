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
        description = "Run a named experiment (copy, charlm, quality, gradients, scaling); writes config.json, CSV and PNG "
                + "files into --out.")
public final class ExperimentCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "copy, charlm, quality, gradients or scaling")
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

    @Option(names = {"--learning-rates", "--learning-rate"}, split = ",",
            description = "copy, charlm: Adam's learning rate (default: the job's for --hidden), or a grid (e.g. 0.001,0.000316,0.0001): each rate runs "
                    + "with the first seed, the best on validation is kept for the other seeds.")
    List<Double> learningRates;

    @Option(names = "--clip", defaultValue = "" + org.okrtrl.core.train.Defaults.CLIP_NORM,
            description = "Gradient clipping by global norm (0: off); default ${DEFAULT-VALUE}.")
    double clip;

    @Option(names = "--init-scale", defaultValue = "" + org.okrtrl.core.train.Defaults.INIT_SCALE,
            converter = org.okrtrl.job.config.Choices.InitScaleConverter.class,
            description = "Standard deviation of the initial weights of W and the readout, or fan-in (uniform in "
                    + "+-sqrt(3 / fan-in)); default ${DEFAULT-VALUE}.")
    double initScale;

    @Option(names = "--adam-beta2",
            description = "Adam's second-moment decay; default: the job's for each run's algorithm and rate ("
                    + org.okrtrl.core.train.Defaults.ADAM_BETA2_WIDE + " for r-OK, RTRL, KF and UORO above --hidden "
                    + org.okrtrl.core.train.Defaults.NARROW_HIDDEN + " or a rate above "
                    + org.okrtrl.core.train.Defaults.ADAM_LEARNING_RATE + ", " + org.okrtrl.core.train.Defaults.ADAM_BETA2
                    + " otherwise and for TBPTT; config.json lists each run's).")
    Double adamBeta2;

    @Option(names = "--carry-bias", defaultValue = "" + org.okrtrl.core.train.Defaults.CARRY_BIAS,
            description = "Initial carry-gate bias of the rhn cell; default ${DEFAULT-VALUE}.")
    double carryBias;

    @Option(names = "--precision",
            description = "copy, charlm: float or double, the type r-OK keeps its influence factors in (other "
                    + "algorithms run in double); default: the job's, float.")
    String precision;

    @Option(names = "--reset-every", defaultValue = "0",
            description = "charlm: reset every stream's hidden and learning state every this many of its events "
                    + "(0: never, the default; streams stay unbounded).")
    long resetEvery;

    @Option(names = "--replicas", defaultValue = "1",
            description = "copy, charlm: simulate the job at this parallelism: replicas of the shared model, each "
                    + "with its share of the --streams, exchanging updates (1: one model, the default).")
    int replicas;

    @Option(names = "--sync-every", defaultValue = "" + org.okrtrl.job.config.JobConfig.DEFAULT_MODEL_SYNC_EVERY,
            description = "With --replicas: events of its own between a replica's publications (the job's "
                    + "--model-sync-every); default ${DEFAULT-VALUE}.")
    long syncEvery;

    @Option(names = "--ranks", split = ",", defaultValue = "8,16,32",
            description = "gradients: r of the shadow r-OK estimators compared with exact RTRL; default ${DEFAULT-VALUE}.")
    List<Integer> ranks;

    @Option(names = "--probe-streams", defaultValue = "16",
            description = "gradients: streams whose gradients are compared (the first ones); default ${DEFAULT-VALUE}.")
    int probeStreams;

    @Option(names = "--probe-from", defaultValue = "0",
            description = "gradients: events trained before the comparison starts (exact RTRL and the shadows start "
                    + "then from a zero influence; the first window is their warm-up); default ${DEFAULT-VALUE}.")
    long probeFrom;

    @Option(names = "--merge", defaultValue = "auto",
            description = "With --replicas: auto, scaled, sum, mean or sqrt (how replicas weigh their steps and scale "
                    + "their rates, as the job does), or "
                    + "nesterov (synchronous rounds with an outer Nesterov step, the DiLoCo family; simulator "
                    + "only; charlm writes rounds.csv: how much the replicas' moves agree and the validation bits "
                    + "along their mean move at every round); default ${DEFAULT-VALUE}.")
    String merge;

    @Option(names = "--outer-learning-rate", defaultValue = "0.7",
            description = "With --merge nesterov: the outer learning rate; default ${DEFAULT-VALUE}.")
    double outerLearningRate;

    @Option(names = "--outer-momentum", defaultValue = "0.9",
            description = "With --merge nesterov: the outer Nesterov momentum; default ${DEFAULT-VALUE}.")
    double outerMomentum;

    @Option(names = "--exchange-lag", defaultValue = "0",
            description = "With --replicas: exchange intervals an update takes to reach every replica, its own "
                    + "included (the job measures it as exchangeLagPublications); default ${DEFAULT-VALUE}.")
    int exchangeLag;

    @Option(names = "--hold-back", defaultValue = "true", arity = "1",
            description = "With --replicas: true (the job's way) to hold the part of its own steps a replica gives "
                    + "up until its peers' steps of the same time arrive, false to take it back at once; default "
                    + "${DEFAULT-VALUE}.")
    boolean holdBack;

    @Option(names = "--corpus", defaultValue = "data/brown/package",
            description = "charlm/quality/gradients: the unpacked Brown corpus (scripts/fetch-brown.sh), a file in the"
                    + " character-level PTB format, or any plain text file (told apart by their tokens).")
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
        if (!List.of("copy", "charlm", "quality", "gradients", "scaling").contains(name)) {
            throw new UserInputException("experiment: expected copy, charlm, quality, gradients or scaling, got " + name);
        }
        if (!replot && List.of("charlm", "quality", "gradients").contains(name) && !Files.exists(corpus)) {
            throw new UserInputException("--corpus: " + corpus + " does not exist (run scripts/fetch-brown.sh)");
        }
        if (learningRates == null) {
            learningRates = List.of(org.okrtrl.core.train.Defaults.learningRate(
                    org.okrtrl.core.train.OptimizerType.ADAM, hidden));
        }
        if (learningRates.stream().anyMatch(r -> !(r > 0) || !Double.isFinite(r))) {
            throw new UserInputException("--learning-rates: expected positive finite rates, got " + learningRates);
        }
        if (streams < 1) {
            throw new UserInputException("--streams: expected >= 1");
        }
        if (replicas < 1 || replicas > Math.max(1, streams) || (replicas > 1 && streams % replicas != 0)) {
            throw new UserInputException("--replicas: expected 1 or a divisor of --streams (" + streams + "), got "
                    + replicas);
        }
        if (syncEvery < 1 || resetEvery < 0 || exchangeLag < 0) {
            throw new UserInputException("--sync-every must be >= 1, --reset-every and --exchange-lag >= 0");
        }
        org.okrtrl.operators.replication.MergeRule mergeRule;
        boolean rounds = merge.equals("nesterov");
        try {
            mergeRule = rounds ? org.okrtrl.operators.replication.MergeRule.MEAN
                    : org.okrtrl.operators.replication.MergeRule.parse(merge);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--merge: " + e.getMessage() + " (or nesterov)");
        }
        if (rounds && (!(outerLearningRate > 0) || !(outerMomentum >= 0 && outerMomentum < 1))) {
            throw new UserInputException("--outer-learning-rate must be > 0 and --outer-momentum in [0, 1)");
        }
        parsedPrecision();
        if (adamBeta2 != null && !(adamBeta2 >= 0 && adamBeta2 < 1)) {
            throw new UserInputException("--adam-beta2 must be in [0, 1)");
        }
        Experiments.Options o = new Experiments.Options(name, out, algorithms, cell, hidden, steps, seeds, learningRates,
                clip, corpus, evalEvery, validationChars, samples, length, pretrainSteps, benchTable, replot, streams,
                initScale, carryBias, resetEvery, replicas, syncEvery, mergeRule, rounds ? outerLearningRate : 0, outerMomentum,
                exchangeLag, holdBack, ranks, probeStreams, probeFrom, parsedPrecision(),
                adamBeta2 != null ? adamBeta2 : Double.NaN);
        try {
            Experiments.run(o, System.err);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
        spec.commandLine().getOut().println("results in " + out.toAbsolutePath());
        spec.commandLine().getOut().flush();
        return 0;
    }

    private org.okrtrl.core.influence.Precision parsedPrecision() {
        if (precision == null) {
            return null;
        }
        try {
            return org.okrtrl.core.influence.Precision.parse(precision);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--precision: " + e.getMessage());
        }
    }
}
