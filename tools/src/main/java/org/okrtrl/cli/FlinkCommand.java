package org.okrtrl.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.okrtrl.local.StandaloneCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Flink's own command-line frontend ({@code org.apache.flink.client.cli.CliFrontend}, what the
 * {@code flink} script runs) against a cluster started with {@code bin/okrtrl cluster start}:
 * {@code bin/okrtrl flink --cluster DIR -- run -d job.jar --bootstrap-servers ...}.
 */
@Command(name = "flink", mixinStandardHelpOptions = true,
        description = "Run Flink's command-line frontend (run, stop, cancel, list, savepoint) against a local cluster.")
public final class FlinkCommand implements Callable<Integer> {
    @Option(names = "--cluster", defaultValue = Okrtrl.STATE_DIR + "/flink-cluster",
            description = "Cluster directory (default: ${DEFAULT-VALUE}).")
    Path cluster;

    @Parameters(description = "Arguments for the flink command line, after --, e.g. -- run -d job.jar")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        try {
            return StandaloneCluster.flink(cluster.toAbsolutePath(), args, System.out).exitCode();
        } catch (java.io.IOException e) {
            throw new UserInputException("--cluster: " + e.getMessage());
        }
    }
}
