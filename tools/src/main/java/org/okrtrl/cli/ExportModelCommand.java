package org.okrtrl.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.okrtrl.job.export.ModelExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes every key's model from a savepoint as JSON, and the shared model as one self-contained model file. */
@Command(name = "export-model", mixinStandardHelpOptions = true,
        description = "Read every key's model from a savepoint (State Processor API) and write it as JSON; a shared "
                + "model also as OUT/model.json, the self-contained file of bin/okrtrl score, scripts/score.py and "
                + "--initial-model, when the job's flags (the ones that shape the model: --algo, --cell, --hidden, "
                + "--vocab or --real-inputs/--real-outputs, --model-id, --seed) are given as they were.")
public final class ExportModelCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--savepoint", required = true, description = "Savepoint directory (path or URI).")
    String savepoint;

    @Option(names = "--out", required = true, description = "Output directory: one JSON file per key and index.json.")
    Path out;

    @picocli.CommandLine.Mixin
    org.okrtrl.job.config.JobConfig job = new org.okrtrl.job.config.JobConfig();

    /**
     * The savepoint as Flink reads it: a local path (also the {@code file:/...} form that Flink
     * prints when a savepoint completes) becomes a file URI of an existing directory; any other
     * scheme (s3://, hdfs://) is passed on.
     */
    static String savepointLocation(String savepoint) {
        Path local = null;
        if (savepoint.startsWith("file:")) {
            try {
                local = Path.of(java.net.URI.create(savepoint.startsWith("file://") || !savepoint.startsWith("file:/")
                        ? savepoint : "file://" + savepoint.substring("file:".length())));
            } catch (IllegalArgumentException e) {
                throw new UserInputException("--savepoint: not a file URI: " + savepoint);
            }
        } else if (!savepoint.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            local = Path.of(savepoint);
        }
        if (local == null) {
            return savepoint;
        }
        if (!Files.isDirectory(local)) {
            throw new UserInputException("--savepoint: no such directory " + local);
        }
        return local.toAbsolutePath().toUri().toString();
    }

    @Override
    public Integer call() throws Exception {
        String location = savepointLocation(savepoint);
        int keys = ModelExport.export(location, out);
        spec.commandLine().getOut().println("exported " + keys + " key models to " + out.toAbsolutePath());
        try {
            job.validate();
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
        String notWritten = ModelExport.exportModelFile(location, job, out.resolve("model.json"));
        spec.commandLine().getOut().println(notWritten == null ? "model file: " + out.resolve("model.json").toAbsolutePath()
                : "model.json not written: " + notWritten);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
