package org.okrtrl.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.okrtrl.job.config.JobConfig;
import org.okrtrl.local.LocalPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the whole pipeline on this machine: Kafka broker, MiniCluster, producer, progress. */
@Command(name = "local", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the pipeline locally: an in-process Kafka broker, Flink's MiniCluster, a corpus "
                + "producer across several keys, and a live progress line.")
public final class LocalCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--corpus", description = "Stream this text file (default: a built-in generator of learnable text).")
    Path corpus;

    @Option(names = "--max-events", defaultValue = "30000", description = "Stop after this many input steps (0: run until stopped).")
    long maxEvents;

    @Option(names = "--keys", defaultValue = "4", description = "Stream keys to spread the corpus over.")
    int keys;

    @Option(names = "--chars-per-record", defaultValue = "40", description = "Characters per input record.")
    int charsPerRecord;

    @Option(names = "--bad-record-rate", defaultValue = "0.01",
            description = "Fraction of records followed by a malformed one (shows the dead-letter path).")
    double badRecordRate;

    @Option(names = "--summary-json", description = "Write the final figures here.")
    Path summaryJson;

    @Mixin
    JobConfig job = new JobConfig();

    @Override
    public Integer call() throws Exception {
        if (corpus != null && !Files.isReadable(corpus)) {
            throw new UserInputException("--corpus: cannot read " + corpus);
        }
        if (keys < 1) {
            throw new UserInputException("--keys: expected >= 1");
        }
        if (charsPerRecord < 1) {
            throw new UserInputException("--chars-per-record: expected >= 1");
        }
        if (maxEvents < 0) {
            throw new UserInputException("--max-events: expected >= 0");
        }
        if (!(badRecordRate >= 0 && badRecordRate < 1)) {
            throw new UserInputException("--bad-record-rate: expected a fraction in [0, 1)");
        }
        if (!spec.commandLine().getParseResult().hasMatchedOption("--checkpoint-interval")) {
            // Exactly-once output becomes visible at each checkpoint: keep a local run lively.
            job.checkpointInterval = java.time.Duration.ofSeconds(2);
        }
        try {
            job.validate();
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
        new LocalPipeline(new LocalPipeline.Options(job, corpus, maxEvents, keys, charsPerRecord, badRecordRate,
                summaryJson, System.err)).run();
        return 0;
    }
}
