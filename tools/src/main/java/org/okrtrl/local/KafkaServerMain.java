package org.okrtrl.local;

import org.okrtrl.embedded.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded KRaft broker as a process of its own:
 * {@code KafkaServerMain [port] [readyFile] [dataDir]} (without dataDir its data is temporary).
 * Writes its bootstrap address to the ready file (and standard output) once it accepts
 * requests, and runs until it is terminated.
 */
public final class KafkaServerMain {
    private KafkaServerMain() {}

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        EmbeddedKafka kafka = EmbeddedKafka.start(port, args.length > 2 ? Path.of(args[2]) : null);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }));
        if (args.length > 1) {
            Path ready = Path.of(args[1]);
            Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
            Files.writeString(tmp, kafka.bootstrapServers(), StandardCharsets.UTF_8);
            Files.move(tmp, ready, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        System.out.println("kafka ready at " + kafka.bootstrapServers());
        System.out.flush();
        stopped.await();
    }
}
