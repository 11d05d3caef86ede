package org.okrtrl.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka broker ({@link KafkaServerMain}) in its own JVM, managed through files in a home
 * directory: {@code kafka.pid}, {@code kafka.log} and {@code bootstrap} (its address, written
 * once it accepts requests).
 */
public final class BrokerProcess {
    private BrokerProcess() {}

    /**
     * Starts the broker and returns its bootstrap address. With a data directory its topics,
     * offsets and transactions outlive {@link #stop}, and a restart comes back on the same port.
     */
    public static String start(Path home, int port, Path dataDir) throws IOException, InterruptedException {
        Files.createDirectories(home);
        Path ready = home.resolve("bootstrap");
        Files.deleteIfExists(ready);
        List<String> args = new ArrayList<>(List.of(Integer.toString(port), ready.toString()));
        if (dataDir != null) {
            args.add(dataDir.toAbsolutePath().toString());
        }
        Process p = JavaProcess.start(JavaProcess.fullClassPath(), List.of("-Xmx1g"), KafkaServerMain.class.getName(),
                args, Map.of(), home.resolve("kafka.log"));
        Files.writeString(home.resolve("kafka.pid"), Long.toString(p.pid()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.exists(ready)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("the broker did not start; see " + home.resolve("kafka.log"));
            }
            Thread.sleep(200);
        }
        return Files.readString(ready).strip();
    }

    /** Stops the broker (a clean shutdown, then a kill after a minute); its data directory stays. */
    public static void stop(Path home) throws IOException {
        Path pid = home.resolve("kafka.pid");
        if (Files.exists(pid)) {
            Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()));
            if (h.isPresent()) {
                h.get().destroy();
                try {
                    h.get().onExit().get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.get().destroyForcibly();
                }
            }
            Files.delete(pid);
        }
        Files.deleteIfExists(home.resolve("bootstrap"));
    }

    /** The address of the broker running from home. */
    public static String bootstrap(Path home) throws IOException {
        Path ready = home.resolve("bootstrap");
        if (!Files.exists(ready)) {
            throw new IOException("no broker running from " + home);
        }
        return Files.readString(ready).strip();
    }
}
