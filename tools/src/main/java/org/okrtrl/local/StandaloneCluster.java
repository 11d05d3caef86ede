package org.okrtrl.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * A standalone Flink session cluster on this machine from the Maven Central artifacts: a
 * JobManager and a TaskManager, each in its own JVM with Flink's Java 17 options, sharing a
 * configuration directory {@code <dir>/conf}; logs in {@code <dir>/log}, process ids in
 * {@code <dir>/*.pid}, checkpoints and savepoints under {@code <dir>}. Flink's own
 * {@code CliFrontend} submits to it with {@code FLINK_CONF_DIR=<dir>/conf}.
 *
 * <p>Each TaskManager runs under a supervisor (a shell loop, {@code <name>.supervisor.pid}) that
 * starts it again whenever it exits, as Kubernetes restarts a TaskManager pod: Flink exits a
 * TaskManager's JVM on a fatal error (a task whose cleanup throws, for one; a broker outage longer
 * than the transaction timeout did it), and without a supervisor the job would wait for slots no
 * one provides. {@link #stop} marks the cluster as stopping first, so nothing is restarted then.
 */
public final class StandaloneCluster {
    private StandaloneCluster() {}

    /** Writes the configuration, starts both JVMs and waits until the TaskManager registered. */
    public static int start(Path dir, int slots) throws IOException, InterruptedException {
        return start(dir, slots, false);
    }

    /**
     * As {@link #start(Path, int)}; with ha, JobManager high availability through a ZooKeeper
     * server started here (its JVM from the flink-shaded-zookeeper artifact, data in
     * {@code <dir>/zookeeper}, job metadata in {@code <dir>/ha}) and the JobManager, too, under a
     * supervisor: a JobManager killed or crashed comes back, takes the leadership from ZooKeeper
     * and resumes the running jobs from their last checkpoints.
     */
    public static int start(Path dir, int slots, boolean ha) throws IOException, InterruptedException {
        Path conf = dir.resolve("conf");
        Path logs = dir.resolve("log");
        Files.createDirectories(conf);
        Files.createDirectories(logs);
        Files.deleteIfExists(dir.resolve(STOPPING));
        int rpcPort = org.okrtrl.embedded.Ports.freePort();
        int restPort = org.okrtrl.embedded.Ports.freePort();
        List<String> config = new ArrayList<>(List.of(
                "jobmanager.rpc.address: localhost",
                "jobmanager.rpc.port: " + rpcPort,
                "jobmanager.bind-host: localhost",
                "taskmanager.bind-host: localhost",
                "taskmanager.host: localhost",
                "rest.address: localhost",
                "rest.bind-address: localhost",
                "rest.port: " + restPort,
                "jobmanager.memory.process.size: 1024m",
                "taskmanager.memory.process.size: 1600m",
                "taskmanager.numberOfTaskSlots: " + slots,
                "parallelism.default: 1",
                "execution.checkpointing.dir: " + dir.resolve("checkpoints").toUri(),
                "execution.checkpointing.savepoint-dir: " + dir.resolve("savepoints").toUri(),
                // Restart with growing delays for as long as it takes (Flink's default with
                // checkpointing), so a TaskManager or broker that needs a while to return does not
                // end the job.
                "restart-strategy.type: exponential-delay",
                "restart-strategy.exponential-delay.initial-backoff: 1 s",
                "restart-strategy.exponential-delay.max-backoff: 30 s",
                // Keys' stream state lives in RocksDB (off the heap, spilling to disk, in managed
                // memory), so the number of keys is bounded by disk, not by the TaskManager's heap;
                // checkpoints upload only what changed.
                "state.backend.type: rocksdb",
                // Buffers sized to about a second of throughput: checkpoint barriers (and the
                // exactly-once commits) are not queued behind a backlog after a restart.
                "taskmanager.network.memory.buffer-debloat.enabled: true",
                "execution.checkpointing.incremental: true",
                // A thread keeps the temporary direct buffer of its largest socket read or write;
                // Kafka clients read whole fetch responses, so without a bound a restore's catch-up
                // can hold the TaskManager's direct memory (RELIABILITY.md).
                "env.java.opts.all: --add-modules jdk.incubator.vector -Djdk.nio.maxCachedBufferSize=262144"));
        if (ha) {
            int zkPort = startZooKeeper(dir);
            config.addAll(List.of(
                    "high-availability.type: zookeeper",
                    "high-availability.zookeeper.quorum: localhost:" + zkPort,
                    "high-availability.storageDir: " + dir.resolve("ha").toUri(),
                    "high-availability.cluster-id: /okrtrl"));
        }
        Files.write(conf.resolve("config.yaml"), config, StandardCharsets.UTF_8);
        Files.write(conf.resolve("log4j.properties"), List.of(
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = file",
                "appender.file.type = File",
                "appender.file.name = file",
                "appender.file.fileName = ${sys:log.file}",
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n",
                "logger.kafka.name = org.apache.kafka",
                "logger.kafka.level = WARN"), StandardCharsets.UTF_8);
        String entrypoint = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
        List<String> jmMemory = List.of("-Xmx768m", "-XX:MaxDirectMemorySize=256m");
        if (ha) {
            startSupervised(dir, "jobmanager", JavaProcess.command(JavaProcess.flinkClassPath(),
                    daemonJvm(dir, "jobmanager", jmMemory), entrypoint, daemonArgs(dir, List.of())));
        } else {
            startDaemon(dir, "jobmanager", entrypoint, jmMemory, List.of());
        }
        startTaskManager(dir, "taskmanager");
        awaitTaskManager(restPort, Duration.ofMinutes(2));
        return restPort;
    }

    /** Starts one more TaskManager for the cluster in dir; returns its process id. */
    public static long addTaskManager(Path dir) throws IOException {
        int n = 1;
        while (Files.exists(dir.resolve("taskmanager-" + n + ".pid"))) {
            n++;
        }
        return startTaskManager(dir, "taskmanager-" + n);
    }

    /**
     * Kills one TaskManager of the cluster in dir without warning (SIGKILL, as a crash or an
     * out-of-memory kill would); returns its process id, or -1 if none was running. Its
     * supervisor starts it again.
     */
    public static long killTaskManager(Path dir) throws IOException {
        for (Path pidFile : taskManagerPidFiles(dir)) {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isPresent() && handle.get().isAlive()) {
                handle.get().destroyForcibly();
                try {
                    handle.get().onExit().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IOException("TaskManager " + pid + " did not die", e);
                }
                return pid;
            }
        }
        return -1;
    }

    private static List<Path> taskManagerPidFiles(Path dir) throws IOException {
        return pidFiles(dir, "taskmanager(-\\d+)?\\.pid");
    }

    private static List<Path> pidFiles(Path dir, String pattern) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches(pattern)).sorted().toList();
        }
    }

    /** What flink's taskmanager.sh does: JVM memory flags and derived settings from the configuration. */
    private static long startTaskManager(Path dir, String name) throws IOException {
        Path conf = dir.resolve("conf");
        TaskExecutorProcessSpec tm = TaskExecutorProcessUtils.processSpecFromConfig(
                GlobalConfiguration.loadConfiguration(conf.toString()));
        List<String> tmJvm = List.of(ProcessMemoryUtils.generateJvmParametersStr(tm).strip().split("\\s+"));
        List<String> tmDynamic = List.of(TaskExecutorProcessUtils.generateDynamicConfigsStr(tm).strip().split("\\s+"));
        return startSupervised(dir, name, JavaProcess.command(JavaProcess.flinkClassPath(),
                daemonJvm(dir, name, tmJvm), "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                daemonArgs(dir, tmDynamic)));
    }

    /**
     * Runs command under a supervisor: a shell loop that writes the process's pid to
     * {@code <name>.pid}, waits for it, and starts it again unless the cluster is stopping; returns
     * the first pid.
     */
    private static long startSupervised(Path dir, String name, List<String> command) throws IOException {
        Path pidFile = dir.resolve(name + ".pid");
        Path log = dir.resolve("log").resolve(name + ".out");
        String loop = "while :; do \"$@\" >> " + quote(log) + " 2>&1 & echo $! > " + quote(pidFile) + "; wait $!; "
                + "code=$?; [ -e " + quote(dir.resolve(STOPPING)) + " ] && exit 0; "
                + "echo \"$(date -u +%FT%TZ) supervisor: " + name + " exited with $code, starting it again\" >> "
                + quote(log) + "; sleep 2; done";
        List<String> supervisor = new ArrayList<>(List.of("bash", "-c", loop, "supervisor"));
        supervisor.addAll(command);
        Files.deleteIfExists(pidFile);
        Process p = new ProcessBuilder(supervisor).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("log").resolve(name + ".supervisor.out")
                        .toFile())).start();
        Files.writeString(dir.resolve(name + ".supervisor.pid"), Long.toString(p.pid()));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the supervisor did not start " + name);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        return Long.parseLong(Files.readString(pidFile).strip());
    }

    /** Starts a ZooKeeper server for the cluster in dir; returns its client port once it accepts connections. */
    private static int startZooKeeper(Path dir) throws IOException, InterruptedException {
        int port = org.okrtrl.embedded.Ports.freePort();
        Path data = dir.resolve("zookeeper");
        Files.createDirectories(data);
        Process p = JavaProcess.start(JavaProcess.flinkClassPath(),
                List.of("-Xmx128m", "-Dzookeeper.admin.enableServer=false"),
                "org.apache.flink.shaded.zookeeper3.org.apache.zookeeper.server.ZooKeeperServerMain",
                List.of(Integer.toString(port), data.toString()), Map.of(),
                dir.resolve("log").resolve("zookeeper.out"));
        Files.writeString(dir.resolve("zookeeper.pid"), Long.toString(p.pid()));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
                return port;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    throw new IOException("ZooKeeper did not start on port " + port + " (see "
                            + dir.resolve("log").resolve("zookeeper.out") + ")", e);
                }
                Thread.sleep(200);
            }
        }
    }

    /**
     * Kills the JobManager of the cluster in dir without warning (SIGKILL); its supervisor (a
     * cluster started with high availability) starts it again. Returns its pid, or -1.
     */
    public static long killJobManager(Path dir) throws IOException {
        Path pidFile = dir.resolve("jobmanager.pid");
        if (!Files.exists(pidFile)) {
            return -1;
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return -1;
        }
        handle.get().destroyForcibly();
        try {
            handle.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("JobManager " + pid + " did not die", e);
        }
        return pid;
    }

    /** Marks a cluster that is being stopped: supervisors do not restart its TaskManagers. */
    private static final String STOPPING = "stopping";

    private static String quote(Path p) {
        return "'" + p.toString().replace("'", "'\\''") + "'";
    }

    private static List<String> daemonJvm(Path dir, String role, List<String> memory) {
        List<String> jvm = new ArrayList<>(JavaProcess.FLINK_JAVA17_OPTIONS);
        jvm.addAll(memory);
        jvm.add("-Dlog.file=" + dir.resolve("log").resolve(role + ".log"));
        jvm.add("-Dlog4j.configurationFile=" + dir.resolve("conf").resolve("log4j.properties").toUri());
        return jvm;
    }

    private static List<String> daemonArgs(Path dir, List<String> dynamicProperties) {
        List<String> args = new ArrayList<>(List.of("--configDir", dir.resolve("conf").toString()));
        args.addAll(dynamicProperties);
        return args;
    }

    private static long startDaemon(Path dir, String role, String mainClass, List<String> memory,
            List<String> dynamicProperties) throws IOException {
        Process p = JavaProcess.start(JavaProcess.flinkClassPath(), daemonJvm(dir, role, memory), mainClass,
                daemonArgs(dir, dynamicProperties), Map.of(), dir.resolve("log").resolve(role + ".out"));
        Files.writeString(dir.resolve(role + ".pid"), Long.toString(p.pid()));
        return p.pid();
    }

    /** The REST port of the cluster in dir, read from its configuration. */
    public static int restPort(Path dir) throws IOException {
        for (String line : Files.readAllLines(dir.resolve("conf").resolve("config.yaml"))) {
            if (line.startsWith("rest.port:")) {
                return Integer.parseInt(line.substring("rest.port:".length()).strip());
            }
        }
        throw new IOException("no rest.port in " + dir.resolve("conf/config.yaml"));
    }

    /** Stops the processes whose pid files are in dir. */
    public static void stop(Path dir) throws IOException, InterruptedException {
        Files.writeString(dir.resolve(STOPPING), "");
        List<Path> pidFiles = new ArrayList<>(pidFiles(dir, "(taskmanager(-\\d+)?|jobmanager)\\.supervisor\\.pid"));
        pidFiles.addAll(taskManagerPidFiles(dir));
        pidFiles.add(dir.resolve("jobmanager.pid"));
        pidFiles.add(dir.resolve("zookeeper.pid"));
        for (Path pidFile : pidFiles) {
            if (!Files.exists(pidFile)) {
                continue;
            }
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isPresent()) {
                handle.get().destroy();
                try {
                    handle.get().onExit().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    handle.get().destroyForcibly();
                }
            }
            Files.delete(pidFile);
        }
        Files.deleteIfExists(dir.resolve(STOPPING));
    }

    private static void awaitTaskManager(int restPort, Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + restPort + "/taskmanagers")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                last = r.body();
                if (r.statusCode() == 200 && r.body().contains("\"id\"")) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new IOException("the Flink cluster did not come up with a TaskManager in " + timeout + ": " + last);
    }

    /** What Flink's command-line frontend printed, and its exit status. */
    public record CliResult(int exitCode, String output) {}

    /**
     * Runs Flink's command-line frontend (what the {@code flink} script runs) in its own JVM with
     * {@code FLINK_CONF_DIR=<dir>/conf}, e.g. {@code run -d job.jar ...} or
     * {@code stop --savepointPath DIR JOBID}.
     */
    public static CliResult flink(Path dir, List<String> args, java.io.OutputStream echo)
            throws IOException, InterruptedException {
        Path conf = dir.resolve("conf");
        if (!Files.isRegularFile(conf.resolve("config.yaml"))) {
            throw new IOException("no cluster configuration in " + conf + " (bin/okrtrl cluster start)");
        }
        Files.write(conf.resolve("log4j-cli.properties"), List.of("rootLogger.level = WARN",
                "rootLogger.appenderRef.console.ref = console", "appender.console.type = Console",
                "appender.console.name = console", "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = %-5p %c{1} - %m%n",
                // Without Hadoop on the class path the frontend warns, with a stack trace, that it
                // cannot load its YARN command line: expected and harmless for a standalone cluster.
                "logger.frontend.name = org.apache.flink.client.cli.CliFrontend",
                "logger.frontend.level = WARN",
                "logger.frontend.filter.yarn.type = RegexFilter",
                "logger.frontend.filter.yarn.regex = Could not load CLI class .*yarn.*",
                "logger.frontend.filter.yarn.onMatch = DENY",
                "logger.frontend.filter.yarn.onMismatch = NEUTRAL"), StandardCharsets.UTF_8);
        List<String> jvm = new ArrayList<>(JavaProcess.FLINK_JAVA17_OPTIONS);
        jvm.add("-Xmx512m");
        jvm.add("-Dlog4j.configurationFile=" + conf.resolve("log4j-cli.properties").toUri());
        Process p = JavaProcess.start(JavaProcess.flinkClassPath(), jvm, "org.apache.flink.client.cli.CliFrontend",
                args, Map.of("FLINK_CONF_DIR", conf.toString()), null);
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        try (var in = p.getInputStream()) {
            while ((n = in.read(buffer)) > 0) {
                captured.write(buffer, 0, n);
                if (echo != null) {
                    echo.write(buffer, 0, n);
                    echo.flush();
                }
            }
        }
        return new CliResult(p.waitFor(), captured.toString(StandardCharsets.UTF_8));
    }
}
