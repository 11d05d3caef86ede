package org.okrtrl.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.okrtrl.local.StandaloneCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Starts or stops a standalone Flink session cluster (JobManager and TaskManager JVMs). */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Start or stop a standalone Flink session cluster on this machine (own JVMs, from the Maven "
                + "artifacts); add or kill one TaskManager.")
public final class ClusterCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "start, stop, add-taskmanager, kill-taskmanager or kill-jobmanager (SIGKILL, "
            + "to rehearse a crash; supervisors start them again)")
    String action;

    @Option(names = "--dir", defaultValue = Okrtrl.STATE_DIR + "/flink-cluster",
            description = "Cluster directory: conf/, log/, pid files, checkpoints, savepoints (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--slots", defaultValue = "4", description = "Task slots of the TaskManager.")
    int slots;

    @Option(names = "--ha", description = "start: JobManager high availability through a ZooKeeper server started "
            + "here; the JobManager then runs under a supervisor too.")
    boolean ha;

    @Override
    public Integer call() throws Exception {
        switch (action) {
            case "start" -> {
                int rest = StandaloneCluster.start(dir.toAbsolutePath(), slots, ha);
                spec.commandLine().getOut().println("Flink session cluster up: http://localhost:" + rest
                        + "  (submit with: bin/okrtrl flink --cluster " + dir + " -- run -d <jar> ...)");
            }
            case "stop" -> {
                StandaloneCluster.stop(dir.toAbsolutePath());
                spec.commandLine().getOut().println("Flink session cluster stopped");
            }
            case "add-taskmanager" -> spec.commandLine().getOut().println("TaskManager started, pid "
                    + StandaloneCluster.addTaskManager(dir.toAbsolutePath()));
            case "kill-taskmanager" -> {
                long pid = StandaloneCluster.killTaskManager(dir.toAbsolutePath());
                spec.commandLine().getOut().println(pid < 0 ? "no TaskManager running" : "TaskManager " + pid
                        + " killed (SIGKILL)");
            }
            case "kill-jobmanager" -> {
                long pid = StandaloneCluster.killJobManager(dir.toAbsolutePath());
                spec.commandLine().getOut().println(pid < 0 ? "no JobManager running" : "JobManager " + pid
                        + " killed (SIGKILL)");
            }
            default -> throw new UserInputException("cluster: expected start, stop, add-taskmanager, kill-taskmanager "
                    + "or kill-jobmanager, got " + action);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
