package org.okrtrl.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.okrtrl.job.config.JobConfig;
import org.okrtrl.local.LocalPipeline;
import org.okrtrl.local.SeriesFile;
import org.okrtrl.operators.RealValued;
import picocli.CommandLine.ParseResult;
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

    @picocli.CommandLine.Mixin
    SeriesOptions seriesOptions = new SeriesOptions();

    @Option(names = "--season", defaultValue = "0", description = "With --series: the season in steps of the "
            + "seasonal-naive forecast the summary compares against (7 for daily data with a weekly pattern; 0: none).")
    int season;

    @Option(names = "--export-model", description = "When the run ends, write the model to DIR/model.json (the "
            + "self-contained file bin/okrtrl score, scripts/score.py and --initial-model read).")
    Path exportModel;

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
        SeriesFile.Series loaded = null;
        if (seriesOptions.series != null) {
            loaded = loadSeries();
        } else if (job.realInputs > 0) {
            throw new UserInputException("--real-inputs: local streams text unless --series FILE gives it a numeric "
                    + "CSV (which sets --real-inputs itself)");
        } else if (seriesOptions.givenWithoutSeries() || season != 0) {
            throw new UserInputException("--target, --inputs, --date-column and --season need --series");
        }
        if (season < 0) {
            throw new UserInputException("--season: expected >= 0");
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
        if (exportModel != null && !job.sharedModel()) {
            throw new UserInputException("--export-model: exports the shared model (--model shared)");
        }
        if (exportModel != null && job.vocabularyOrNull() != null && job.vocabularyOrNull().spec().startsWith("hash:")) {
            throw new UserInputException("--export-model: a hashed vocabulary has no symbol list to export");
        }
        LocalPipeline.Summary summary = new LocalPipeline(new LocalPipeline.Options(job, corpus, maxEvents, keys,
                charsPerRecord, badRecordRate, summaryJson, System.err, loaded, season, exportModel)).run();
        if (summary.predictionsOut() == 0) {
            spec.commandLine().getErr().println("error: the job produced no prediction; " + (summary.deadLetters() > 0
                    ? "all " + summary.deadLetters() + " records went to the dead-letter topic, the first because: "
                            + summary.firstDeadLetter()
                    : "no record came back from it"));
            return 1;
        }
        return 0;
    }

    /** Reads --series and points the job at it: real-valued forecasting steps of the series' width. */
    private SeriesFile.Series loadSeries() throws java.io.IOException {
        if (corpus != null) {
            throw new UserInputException("--series and --corpus exclude each other");
        }
        ParseResult given = spec.commandLine().getParseResult();
        if (given.hasMatchedOption("--real-inputs") || given.hasMatchedOption("--real-outputs")
                || given.hasMatchedOption("--real-task")) {
            throw new UserInputException("--series sets --real-inputs, --real-outputs and --real-task itself");
        }
        SeriesFile.Series loaded = seriesOptions.read();
        job.realInputs = loaded.inputNames().size();
        job.realOutputs = 1;
        job.realTask = RealValued.Task.FORECAST;
        if (job.targetNames == null) {
            job.targetNames = java.util.List.of(seriesOptions.target);
        }
        System.err.printf(java.util.Locale.ROOT, "series: %,d rows (%d skipped for missing values), target %s, "
                + "inputs %s%n", loaded.rows(), loaded.skippedRows(), seriesOptions.target, loaded.inputNames());
        return loaded;
    }
}
