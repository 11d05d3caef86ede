package org.okrtrl.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.okrtrl.local.JavaProcess;
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
    @Option(names = "--cluster", defaultValue = "target/flink-cluster", description = "Cluster directory.")
    Path cluster;

    @Parameters(description = "Arguments for the flink command line, after --, e.g. -- run -d job.jar")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Path conf = cluster.toAbsolutePath().resolve("conf");
        if (!Files.isRegularFile(conf.resolve("config.yaml"))) {
            throw new UserInputException("--cluster: no cluster configuration in " + conf + " (bin/okrtrl cluster start)");
        }
        List<String> jvm = new ArrayList<>(List.of("-Xmx512m"));
        jvm.addAll(List.of("--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "-Dlog4j2.configurationFile=" + conf.resolve("log4j-cli.properties").toUri()));
        Files.write(conf.resolve("log4j-cli.properties"), List.of("rootLogger.level = WARN",
                "rootLogger.appenderRef.console.ref = console", "appender.console.type = Console",
                "appender.console.name = console", "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = %-5p %c{1} - %m%n"));
        Process p = JavaProcess.start(JavaProcess.flinkClassPath(), jvm, "org.apache.flink.client.cli.CliFrontend",
                args, Map.of("FLINK_CONF_DIR", conf.toString()), null);
        p.getInputStream().transferTo(System.out);
        return p.waitFor();
    }
}
