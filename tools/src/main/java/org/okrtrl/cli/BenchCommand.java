package org.okrtrl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.okrtrl.core.train.Algorithms;
import org.okrtrl.core.cell.Cell;
import org.okrtrl.core.influence.Precision;
import org.okrtrl.core.linalg.Dense;
import org.okrtrl.core.readout.Readout;
import org.okrtrl.core.train.Adam;
import org.okrtrl.core.train.Model;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.operators.KeyState;
import org.okrtrl.operators.KeyStateSerializer;
import org.okrtrl.operators.StreamKeyState;
import org.okrtrl.operators.StreamKeyStateSerializer;
import org.okrtrl.operators.replication.Replica;
import org.okrtrl.core.train.SequenceLearner;
import org.okrtrl.core.train.SharedLearner;
import org.okrtrl.core.train.StreamState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: the project's own measurements. Subcommands: {@code step} (per-step wall time of
 * a full training step: score the previous prediction, form the gradient, Adam update, advance
 * the cell and the influence state, predict; one thread, median over many individually timed
 * steps after a warm-up, against this core's peak measured in the same run), {@code pipeline},
 * {@code peak}, {@code state-bytes}, {@code decompositions} and {@code kernels} (the JMH kernel
 * microbenchmarks). Without a subcommand it runs {@code step}; the flags {@code --pipeline},
 * {@code --peak}, {@code --state-bytes} and {@code --decompositions} select the other
 * measurements as the subcommands do. {@code --precision float|double} chooses the type of r-OK's
 * influence factors for the step, pipeline and state-bytes measurements.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure per-step time and GFLOP/s of the learning algorithms (one thread), or, with a "
                + "subcommand, the pipeline, this core's peak, state sizes, small decompositions or "
                + "the JMH kernel microbenchmarks.",
        subcommands = {BenchSubcommands.Step.class, BenchSubcommands.Pipeline.class, BenchSubcommands.Peak.class,
                BenchSubcommands.StateBytes.class, BenchSubcommands.Decompositions.class, KernelBenchCommand.class})
public final class BenchCommand implements Callable<Integer> {
    static final int[] SWEEP_HIDDEN = {16, 32, 64, 128, 256};
    static final String[] SWEEP_ALGOS = {"ok:1", "ok:2", "ok:4", "ok:8", "ok:16", "kf", "uoro", "rtrl", "tbptt:20"};
    /** Exact RTRL costs n^4 per step: beyond this it would take minutes per configuration. */
    static final int RTRL_MAX_HIDDEN = 64;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    BenchModelOptions model = new BenchModelOptions();

    @Mixin
    StepOptions step = new StepOptions();

    @Option(names = "--state-bytes",
            description = "Instead of timing, print the serialised keyed state per key, shared and per-key models "
                    + "(as bench state-bytes).")
    boolean stateBytes;

    @picocli.CommandLine.ArgGroup(exclusive = false, heading = "Whole pipeline%n")
    PipelineBenchOptions pipeline = new PipelineBenchOptions();

    @Option(names = "--peak", description = "Only measure and print this core's peak (as bench peak).")
    boolean peakOnly;

    @Option(names = "--decompositions", description = "As bench decompositions.")
    boolean decompositions;

    /** The options of a timed sweep (bench step). */
    static final class StepOptions {
        @Option(names = "--steps", defaultValue = "1000", description = "Least timed steps per configuration (>= 1000).")
        int steps;

        @Option(names = "--timed-seconds", defaultValue = "3",
                description = "Timing goes on until at least this long has been timed (and --steps steps): a "
                        + "shared host's slower phases last seconds, and a median over a fraction of a second "
                        + "reports whichever phase it fell into.")
        double timedSeconds;

        @Option(names = "--warmup-seconds", defaultValue = "2",
                description = "Least warm-up per configuration; it goes on until the JIT compiler has been quiet for "
                        + "a second (at most 30 s), so the timed steps run compiled code.")
        double warmupSeconds;

        @Option(names = "--streams", defaultValue = "1",
                description = "Streams sharing one model (shared mode; one optimiser step per this many events). "
                        + "1: one stream with a model of its own.")
        int streams;

        @Option(names = "--json", description = "Print one JSON object per configuration (or result) instead of a table.")
        boolean json;

        @Option(names = "--out", description = "Also write the Markdown table to this file.")
        Path out;

        void validate() {
            if (steps < 1000) {
                throw new UserInputException("--steps: at least 1000 steps are timed, got " + steps);
            }
            if (streams < 1) {
                throw new UserInputException("--streams: expected >= 1, got " + streams);
            }
            if (!(timedSeconds >= 0 && timedSeconds <= 3600)) {
                throw new UserInputException("--timed-seconds: expected 0 to 3600, got " + timedSeconds);
            }
        }
    }

    /** One measured configuration. */
    record Measurement(String algo, String cell, int hidden, int vocab, int streams, Precision precision,
            double medianMs, double p90Ms, double meanMs, double gflops, double warmupSeconds, int timedSteps) {
        double eventsPerSecond() {
            return 1000.0 / meanMs;
        }
    }

    @Override
    public Integer call() throws Exception {
        model.validate();
        PrintWriter stdout = spec.commandLine().getOut();
        if (pipeline != null && pipeline.pipeline) {
            return pipeline.run(model.algo, model.cell, model.hidden, model.precision, step.json, stdout);
        }
        if (decompositions) {
            DecompositionBench.run(stdout, step.json);
            return 0;
        }
        if (peakOnly) {
            printPeak(stdout, step.json);
            return 0;
        }
        if (stateBytes) {
            printStateBytes(model, stdout);
            return 0;
        }
        step.validate();
        return sweep(model, step, stdout);
    }

    /** Measures and prints this core's peak. */
    static void printPeak(PrintWriter stdout, boolean json) {
        CorePeak.Peak p = CorePeak.measure();
        stdout.printf(java.util.Locale.ROOT, json
                ? "{\"peak_double_gflops\": %.2f, \"peak_float_gflops\": %.2f, \"best_square_product_gflops\": %.2f, "
                        + "\"best_square_product_shape\": \"%s\"}%n"
                : "double FMA loop %.1f GFLOP/s, float FMA loop %.1f GFLOP/s, best own square product %.1f GFLOP/s "
                        + "(%s)%n", p.doubleFma(), p.floatFma(), p.squareProduct(), p.squareShape());
        stdout.flush();
    }

    /** The timed sweep: every selected configuration against the peak measured first. */
    static int sweep(BenchModelOptions model, StepOptions step, PrintWriter stdout) throws IOException {
        String algo = model.algo;
        String cell = model.cell;
        Integer hidden = model.hidden;
        boolean json = step.json;
        // The limit every row is compared with, measured now on this core.
        peak = CorePeak.measure();
        if (!json) {
            stdout.printf(java.util.Locale.ROOT, "peak of this core (this run): double FMA loop %.1f GFLOP/s, float FMA "
                    + "loop %.1f GFLOP/s, best own square product %.1f GFLOP/s (%s)%n", peak.doubleFma(),
                    peak.floatFma(), peak.squareProduct(), peak.squareShape());
        }
        List<Measurement> results = new ArrayList<>();
        for (String a : algo != null ? new String[] {algo} : SWEEP_ALGOS) {
            for (String c : cell != null ? new String[] {cell} : algo != null ? new String[] {"rnn"} : new String[] {"rnn", "rhn"}) {
                int[] sizes = hidden != null ? new int[] {hidden} : algo != null ? new int[] {128} : SWEEP_HIDDEN;
                for (int n : sizes) {
                    if (algo == null && a.equals("rtrl") && n > RTRL_MAX_HIDDEN) {
                        continue;
                    }
                    // Float is r-OK's; a sweep measures the other algorithms in double.
                    Precision p = model.precisionFor(a);
                    Measurement m = measure(a, c, n, model.vocab, step.streams, p, step.steps, step.timedSeconds,
                            step.warmupSeconds);
                    results.add(m);
                    if (json) {
                        stdout.println(toJson(m));
                    } else {
                        stdout.printf("%-9s %-4s n=%-4d V=%-4d B=%-3d median %9.4f ms/step  p90 %9.4f  mean %9.4f  "
                                + "%6.2f GFLOP/s (%4.1f%% of peak)  %,9.0f events/s  median %.2fx the FLOP floor  %s%n",
                                m.algo, m.cell, m.hidden, m.vocab, m.streams, m.medianMs, m.p90Ms, m.meanMs, m.gflops,
                                100 * m.gflops / peak.doubleFma(), m.eventsPerSecond(), m.medianMs / floorMs(m),
                                m.precision.label());
                    }
                    stdout.flush();
                }
            }
        }
        String table = table(results);
        if (!json) {
            stdout.println();
            stdout.print(table);
        }
        if (step.out != null) {
            Files.writeString(step.out, table);
        }
        stdout.flush();
        return 0;
    }

    /** The JIT compiler must be idle this long before timing starts. */
    private static final long QUIET_NANOS = 1_000_000_000L;
    /** Warm-up never runs longer than this, compiler or not. */
    private static final long MAX_WARMUP_NANOS = 30_000_000_000L;

    static Measurement measure(String algo, String cellName, int n, int vocab, int streams, Precision precision,
            int minSteps, double timedSeconds, double warmupSeconds) {
        Cell cell = org.okrtrl.core.cell.CellType.parse(cellName).create(vocab, n, 1.0);
        java.util.function.IntConsumer event;
        if (streams == 1) {
            Model model = Model.initialized(cell, new Readout(Readout.Link.SOFTMAX, n, vocab), 1);
            SequenceLearner learner = Algorithms.learner(org.okrtrl.core.Algorithm.parse(algo), model,
                    new Adam(Adam.DEFAULT_LEARNING_RATE, model.w.length, model.v.length), 1.0, 1, 1, precision);
            event = learner::observeSymbol;
        } else {
            LearnerSpec spec = new LearnerSpec(algo, cellName, vocab, n, vocab, Readout.Link.SOFTMAX, "adam",
                    Adam.DEFAULT_LEARNING_RATE, 1.0, 1, 1.0).withPrecision(precision);
            SharedLearner learner = spec.createShared(1, streams, false);
            StreamState[] states = new StreamState[streams];
            for (int s = 0; s < streams; s++) {
                states[s] = learner.newStream(s);
            }
            int[] next = {0};
            event = symbol -> {
                learner.observeSymbol(states[next[0]], symbol);
                next[0] = next[0] + 1 == streams ? 0 : next[0] + 1;
            };
        }
        int[] data = new SplittableRandom(5).ints(4096, 0, vocab).toArray();
        long warmupStart = System.nanoTime();
        long warmupEnd = warmupStart + (long) (warmupSeconds * 1e9);
        int t = 0;
        while (System.nanoTime() < warmupEnd || t < 100) {
            event.accept(data[t++ & 4095]);
        }
        // Steps timed while C2 still compiles the step's methods measure the compiler, not the step
        // (with a fixed 2 s the last hot methods were compiled during the timed window): warm on
        // until the compiler has been idle for QUIET_NANOS.
        java.lang.management.CompilationMXBean compiler = java.lang.management.ManagementFactory.getCompilationMXBean();
        if (compiler != null && compiler.isCompilationTimeMonitoringSupported()) {
            long compiled = compiler.getTotalCompilationTime();
            long quietSince = System.nanoTime();
            long limit = warmupStart + MAX_WARMUP_NANOS;
            while (System.nanoTime() - quietSince < QUIET_NANOS && System.nanoTime() < limit) {
                for (int i = 0; i < 64; i++) {
                    event.accept(data[t++ & 4095]);
                }
                long now = compiler.getTotalCompilationTime();
                if (now != compiled) {
                    compiled = now;
                    quietSince = System.nanoTime();
                }
            }
        }
        double warmedSeconds = (System.nanoTime() - warmupStart) / 1e9;
        long[] times = new long[minSteps];
        long total = 0;
        long timedNanos = (long) (timedSeconds * 1e9);
        int steps = 0;
        while (steps < minSteps || total < timedNanos) {
            if (steps == times.length) {
                times = Arrays.copyOf(times, 2 * steps);
            }
            int symbol = data[t++ & 4095];
            long start = System.nanoTime();
            event.accept(symbol);
            times[steps] = System.nanoTime() - start;
            total += times[steps++];
        }
        times = Arrays.copyOf(times, steps);
        Arrays.sort(times);
        double median = times[steps / 2] / 1e6;
        double p90 = times[(int) (steps * 0.9)] / 1e6;
        double mean = total / 1e6 / steps;
        // GFLOP/s from the mean: the FLOP model counts amortised work (TBPTT's window update
        // happens on one step in T, which the median does not see).
        double flops = FlopModel.perStep(algo, cell.blocks(), n, vocab);
        return new Measurement(algo, cellName, n, vocab, streams, precision, median, p90, mean,
                flops / (mean * 1e-3) / 1e9, warmedSeconds, steps);
    }

    /** Serialised bytes of one key's state in both modes, by the job's own serializers. */
    static void printStateBytes(BenchModelOptions model, PrintWriter stdout) throws IOException {
        String a = model.algo != null ? model.algo : "ok:8";
        String c = model.cell != null ? model.cell : "rhn";
        int vocab = model.vocab;
        int[] sizes = model.hidden != null ? new int[] {model.hidden} : new int[] {32, 64, 128};
        stdout.println("| algorithm | cell | n | V | shared model: bytes per key | per-key model: bytes per key |"
                + " shared model: bytes per replica |");
        stdout.println("|---|---|---:|---:|---:|---:|---:|");
        for (int n : sizes) {
            LearnerSpec s = new LearnerSpec(a, c, vocab, n, vocab, Readout.Link.SOFTMAX, "adam",
                    Adam.DEFAULT_LEARNING_RATE, 1.0, 1, 1.0).withPrecision(model.precisionFor(a));
            SharedLearner learner = s.createShared(1, 16, true);
            DataOutputSerializer shared = new DataOutputSerializer(1 << 16);
            new StreamKeyStateSerializer(s).serialize(new StreamKeyState(1, learner.newStream(1)), shared);
            DataOutputSerializer perKey = new DataOutputSerializer(1 << 16);
            KeyStateSerializer.INSTANCE.serialize(KeyState.fresh(s, 1), perKey);
            int replica = Replica.fresh(learner, "sizing", 0).snapshot().length;
            stdout.printf("| %s | %s | %d | %d | %,d | %,d | %,d |%n", a, c, n, vocab, shared.length(), perKey.length(),
                    replica);
        }
        stdout.flush();
    }

    static String toJson(Measurement m) throws IOException {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("algo", m.algo);
        o.put("cell", m.cell);
        o.put("hidden", m.hidden);
        o.put("vocab", m.vocab);
        o.put("streams", m.streams);
        o.put("precision", m.precision.label());
        o.put("events_per_second", m.eventsPerSecond());
        o.put("median_ms_per_step", m.medianMs);
        o.put("p90_ms_per_step", m.p90Ms);
        o.put("mean_ms_per_step", m.meanMs);
        o.put("gflops", m.gflops);
        o.put("warmup_seconds", m.warmupSeconds);
        o.put("timed_steps", m.timedSteps);
        if (peak != null) {
            o.put("peak_double_gflops", peak.doubleFma());
            o.put("best_square_product_gflops", peak.squareProduct());
            o.put("gflops_fraction_of_peak", m.gflops / peak.doubleFma());
            o.put("flop_floor_ms", floorMs(m));
            o.put("median_over_floor", m.medianMs / floorMs(m));
        }
        o.put("kernel", Dense.kernelName());
        return new ObjectMapper().writeValueAsString(o);
    }

    /** The peak measured in this run (null before a sweep starts). */
    static CorePeak.Peak peak;

    /** The step's FLOPs (from the mean time and GFLOP/s) at the measured double peak, in ms. */
    static double floorMs(Measurement m) {
        double flops = m.gflops * 1e9 * m.meanMs / 1e3;
        return flops / (peak.doubleFma() * 1e9) * 1e3;
    }

    static String table(List<Measurement> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| algorithm | cell | n | V | factors | median ms/step | p90 ms/step | mean ms/step | GFLOP/s (mean) | "
                + "% of peak | median / FLOP floor |\n");
        sb.append("|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (Measurement m : results) {
            sb.append(String.format(java.util.Locale.ROOT, "| %s | %s | %d | %d | %s | %.4f | %.4f | %.4f | %.2f | %.1f | %.2f |%n",
                    m.algo, m.cell, m.hidden, m.vocab, m.precision.label(), m.medianMs, m.p90Ms, m.meanMs, m.gflops,
                    100 * m.gflops / peak.doubleFma(), m.medianMs / floorMs(m)));
        }
        sb.append(String.format(java.util.Locale.ROOT, "%nKernel: %s, one thread, Java %s. Peak of this "
                + "core measured in the same run: double FMA loop %.1f GFLOP/s, float %.1f, best own square product "
                + "%.1f (%s).%n", Dense.kernelName(), System.getProperty("java.version"), peak.doubleFma(),
                peak.floatFma(), peak.squareProduct(), peak.squareShape()));
        return sb.toString();
    }
}
