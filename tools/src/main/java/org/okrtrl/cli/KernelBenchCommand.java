package org.okrtrl.cli;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.okrtrl.benchmarks.KernelBenchmarks;
import org.okrtrl.core.linalg.Dense;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench kernels}: the JMH microbenchmarks of the r-OK step's kernels ({@link KernelBenchmarks}). */
@Command(name = "kernels", mixinStandardHelpOptions = true,
        description = "JMH microbenchmarks of the r-OK step's kernels (influence product, Gram matrix, new factors, "
                + "small SVD, the whole reduction) at n = 64 and 128, r = 8, in a forked JVM.")
final class KernelBenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--include", defaultValue = ".*",
            description = "Only the benchmarks whose method name matches this regular expression (default all).")
    String include;

    @Option(names = "--hidden", split = ",", description = "Hidden sizes n (default 64,128).")
    String[] hidden;

    @Option(names = "--rank", split = ",", description = "Ranks r (default 8).")
    String[] rank;

    @Option(names = "--forks", defaultValue = "1", description = "Forked JVMs per benchmark (default ${DEFAULT-VALUE}).")
    int forks;

    @Option(names = "--warmup-iterations", defaultValue = "5",
            description = "Warm-up iterations of 2 s (default ${DEFAULT-VALUE}; the Vector API kernels run interpreted, "
                    + "hundreds of times slower, until C2 has compiled them).")
    int warmupIterations;

    @Option(names = "--iterations", defaultValue = "5", description = "Measured iterations of 1 s (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--json", description = "Also write JMH's JSON result to this file.")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (forks < 1 || warmupIterations < 0 || iterations < 1) {
            throw new UserInputException("kernels: expected --forks >= 1, --warmup-iterations >= 0, --iterations >= 1");
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(KernelBenchmarks.class.getName() + "\\." + include)
                .forks(forks)
                .warmupIterations(warmupIterations)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(1))
                .shouldFailOnError(true);
        if (hidden != null) {
            options.param("n", hidden);
        }
        if (rank != null) {
            options.param("r", rank);
        }
        if (json != null) {
            options.resultFormat(ResultFormatType.JSON).result(json.toString());
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        var out = spec.commandLine().getOut();
        out.println();
        out.println("| kernel | n | r | microseconds per call (mean +- 99.9% error) |");
        out.println("|---|---:|---:|---:|");
        for (RunResult r : results) {
            var p = r.getParams();
            var s = r.getPrimaryResult();
            String name = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.') + 1);
            // JMH gives no error bar for a single iteration.
            String error = Double.isNaN(s.getScoreError()) ? "" : String.format(Locale.ROOT, " +- %.3f", s.getScoreError());
            out.printf(Locale.ROOT, "| %s | %s | %s | %.3f%s |%n", name, p.getParam("n"), p.getParam("r"), s.getScore(),
                    error);
        }
        out.printf(Locale.ROOT, "%nKernels: %s, Java %s.%n", Dense.kernelName(), System.getProperty("java.version"));
        out.flush();
        return 0;
    }
}
