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

/**
 * A standalone Flink session cluster on this machine from the Maven Central artifacts: a
 * JobManager and a TaskManager, each in its own JVM with Flink's Java 17 options, sharing a
 * configuration directory {@code <dir>/conf}; logs in {@code <dir>/log}, process ids in
 * {@code <dir>/*.pid}, checkpoints and savepoints under {@code <dir>}. Flink's own
 * {@code CliFrontend} submits to it with {@code FLINK_CONF_DIR=<dir>/conf}.
 */
public final class StandaloneCluster {
    private StandaloneCluster() {}

    /** Writes the configuration, starts both JVMs and waits until the TaskManager registered. */
    public static int start(Path dir, int slots) throws IOException, InterruptedException {
        Path conf = dir.resolve("conf");
        Path logs = dir.resolve("log");
        Files.createDirectories(conf);
        Files.createDirectories(logs);
        int rpcPort = freePort();
        int restPort = freePort();
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
                "restart-strategy.type: fixed-delay",
                "restart-strategy.fixed-delay.attempts: 3",
                "env.java.opts.all: --add-modules jdk.incubator.vector"));
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
        startDaemon(dir, "jobmanager", "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                "-Xmx768m");
        startDaemon(dir, "taskmanager", "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", "-Xmx1200m");
        awaitTaskManager(restPort, Duration.ofMinutes(2));
        return restPort;
    }

    private static void startDaemon(Path dir, String role, String mainClass, String heap) throws IOException {
        List<String> jvm = new ArrayList<>(JavaProcess.FLINK_JAVA17_OPTIONS);
        jvm.add(heap);
        jvm.add("-XX:MaxDirectMemorySize=256m");
        jvm.add("-Dlog.file=" + dir.resolve("log").resolve(role + ".log"));
        jvm.add("-Dlog4j.configurationFile=" + dir.resolve("conf").resolve("log4j.properties").toUri());
        Process p = JavaProcess.start(JavaProcess.flinkClassPath(), jvm, mainClass,
                List.of("--configDir", dir.resolve("conf").toString()), Map.of(),
                dir.resolve("log").resolve(role + ".out"));
        Files.writeString(dir.resolve(role + ".pid"), Long.toString(p.pid()));
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
        for (String role : List.of("taskmanager", "jobmanager")) {
            Path pidFile = dir.resolve(role + ".pid");
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

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
