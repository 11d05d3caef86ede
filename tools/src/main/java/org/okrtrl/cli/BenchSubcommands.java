package org.okrtrl.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The subcommands of {@code bench}, one measurement each; {@link BenchCommand} does the work. */
final class BenchSubcommands {
    private BenchSubcommands() {}

    @Command(name = "step", mixinStandardHelpOptions = true,
            description = "Per-step time of a full training step, one thread, against this core's peak measured in the "
                    + "same run (the default of bench).")
    static final class Step implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        BenchModelOptions model = new BenchModelOptions();

        @Mixin
        BenchCommand.StepOptions step = new BenchCommand.StepOptions();

        @Override
        public Integer call() throws Exception {
            model.validate();
            step.validate();
            return BenchCommand.sweep(model, step, spec.commandLine().getOut());
        }
    }

    @Command(name = "pipeline", mixinStandardHelpOptions = true,
            description = "The whole pipeline (in-process broker, MiniCluster with one task slot, exactly-once sinks, "
                    + "shared model) against the learner alone: throughput and prediction latency.")
    static final class Pipeline implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        BenchModelOptions model = new BenchModelOptions();

        @ArgGroup(exclusive = false, heading = "Whole pipeline%n")
        PipelineBenchOptions pipeline = new PipelineBenchOptions();

        @Option(names = "--json", description = "Print the result as one line of JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            model.validate();
            return pipeline.run(model.algo, model.cell, model.hidden, model.precision, json, spec.commandLine().getOut());
        }
    }

    @Command(name = "peak", mixinStandardHelpOptions = true,
            description = "This core's peak: FMA loops in double and float, and the best own square product.")
    static final class Peak implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--json", description = "Print the result as one line of JSON.")
        boolean json;

        @Override
        public Integer call() {
            BenchCommand.printPeak(spec.commandLine().getOut(), json);
            return 0;
        }
    }

    @Command(name = "state-bytes", mixinStandardHelpOptions = true,
            description = "The serialised keyed state per key, shared and per-key models, by the job's own serializers.")
    static final class StateBytes implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        BenchModelOptions model = new BenchModelOptions();

        @Override
        public Integer call() throws Exception {
            model.validate();
            BenchCommand.printStateBytes(model, spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "decompositions", mixinStandardHelpOptions = true,
            description = "The OK reduction's small k x k decompositions: the core's Jacobi solver against EJML's "
                    + "symmetric eigen and SVD (median ns and bytes allocated per call).")
    static final class Decompositions implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--json", description = "Print one JSON object per configuration.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            DecompositionBench.run(out, json);
            return 0;
        }
    }
}
