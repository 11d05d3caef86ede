package org.okrtrl.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.okrtrl.local.Soak;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A soak test against a real broker and standalone cluster, with faults on a schedule. */
@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the shaded job on a standalone cluster and a broker JVM, stream steadily over many keys, "
                + "kill TaskManagers (SIGKILL) and restart the broker on a schedule, and check with a read_committed "
                + "reader that every good step was answered exactly once. Extra arguments after -- go to the job.")
public final class SoakCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--keys", defaultValue = "10000", description = "Stream keys.")
    int keys;

    @Option(names = "--minutes", defaultValue = "10", description = "How long to stream.")
    double minutes;

    @Option(names = "--kill-taskmanager-every", description = "e.g. 4m: SIGKILL a TaskManager (its supervisor starts it again).")
    String killEvery;

    @Option(names = "--restart-broker-every", description = "e.g. 7m: stop the broker, start it again on its data.")
    String brokerEvery;

    @Option(names = "--kill-jobmanager-every",
            description = "e.g. 5m: SIGKILL the JobManager (the cluster then runs with ZooKeeper HA; its supervisor "
                    + "starts it again and it resumes the job from its last checkpoint).")
    String killJobManagerEvery;

    @Option(names = "--hostile-model-records", defaultValue = "0",
            description = "Garbage records written to the model topic over the run (each replica must reject them).")
    int hostileModelRecords;

    @Option(names = "--end-rescale", defaultValue = "0",
            description = "At the end: stop with a savepoint, restore at this parallelism, take checkpoints, stop "
                    + "with a savepoint again and export the model (0: no).")
    int endRescale;

    @Option(names = "--broker-outage", defaultValue = "3s",
            description = "How long the broker stays down at each --restart-broker-every (default ${DEFAULT-VALUE}).")
    String brokerOutage;

    @Option(names = "--transaction-timeout", description = "The job's --transaction-timeout (e.g. PT1M).")
    String transactionTimeout;

    @Option(names = "--events-per-second", defaultValue = "1000", description = "Steady input rate (steps).")
    int eventsPerSecond;

    @Option(names = "--chars-per-record", defaultValue = "20", description = "Steps per input record.")
    int charsPerRecord;

    @Option(names = "--hostile-records", defaultValue = "0", description = "Malformed records mixed in over the run.")
    int hostile;

    @Option(names = "--drain-minutes", defaultValue = "5", description = "How long to wait for the last answers.")
    double drainMinutes;

    @Option(names = "--dir", defaultValue = "target/soak", description = "Working directory (recreated).")
    Path dir;

    @Option(names = "--jar", defaultValue = "job/target/okrtrl-job-0.2.0-flink.jar",
            description = "The shaded job jar (mvn -B package).")
    Path jar;

    @Option(names = "--summary-json", description = "Write the figures here.")
    Path summaryJson;

    @Parameters(description = "Job flags, e.g. -- --algo ok:4 --hidden 32")
    List<String> jobArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new UserInputException("--jar: no job jar at " + jar + " (build it with mvn -B package)");
        }
        if (keys < 1 || eventsPerSecond < 1 || charsPerRecord < 1 || minutes <= 0) {
            throw new UserInputException("--keys, --events-per-second, --chars-per-record and --minutes must be positive");
        }
        Soak.clean(dir.toAbsolutePath());
        if (transactionTimeout != null) {
            jobArgs.add("--transaction-timeout");
            jobArgs.add(transactionTimeout);
        }
        Soak.Options o = new Soak.Options(dir, jar, keys, Duration.ofMillis((long) (minutes * 60_000)),
                duration("--kill-taskmanager-every", killEvery), duration("--restart-broker-every", brokerEvery),
                eventsPerSecond, charsPerRecord, hostile, Duration.ofMillis((long) (drainMinutes * 60_000)), jobArgs,
                summaryJson, System.err, duration("--broker-outage", brokerOutage),
                duration("--kill-jobmanager-every", killJobManagerEvery), hostileModelRecords, endRescale);
        var summary = new Soak(o).run();
        spec.commandLine().getOut().println(summary.toPrettyString());
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** A duration in Flink's syntax ("90s", "4m", "1 h") or ISO-8601; null stays null. */
    static Duration duration(String flag, String text) {
        if (text == null) {
            return null;
        }
        try {
            return org.okrtrl.job.config.Choices.parseDuration(text);
        } catch (RuntimeException e) {
            throw new UserInputException(flag + ": expected a duration like 90s, 4m or PT4M, got " + text);
        }
    }
}
