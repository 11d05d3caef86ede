package org.okrtrl.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.okrtrl.job.export.ModelExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes every key's model from a savepoint as JSON. */
@Command(name = "export-model", mixinStandardHelpOptions = true,
        description = "Read every key's model from a savepoint (State Processor API) and write it as JSON.")
public final class ExportModelCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--savepoint", required = true, description = "Savepoint directory (path or URI).")
    String savepoint;

    @Option(names = "--out", required = true, description = "Output directory: one JSON file per key and index.json.")
    Path out;

    @Override
    public Integer call() throws Exception {
        String location = savepoint.contains("://") ? savepoint : Path.of(savepoint).toAbsolutePath().toUri().toString();
        if (!savepoint.contains("://") && !Files.isDirectory(Path.of(savepoint))) {
            throw new UserInputException("--savepoint: no such directory " + savepoint);
        }
        int keys = ModelExport.export(location, out);
        spec.commandLine().getOut().println("exported " + keys + " key models to " + out.toAbsolutePath());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
