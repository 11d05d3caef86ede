package org.okrtrl.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Starting the JVMs of a local deployment: Flink's JobManager and TaskManager, the broker, the CLI frontend. */
public final class JavaProcess {
    /** The packages Flink opens on Java 17 (its env.java.default-opts.all list). */
    static final List<String> FLINK_JAVA17_OPTIONS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
            "--add-modules=jdk.incubator.vector");

    /**
     * Libraries a Flink distribution does not ship: the Kafka connector and client travel in the
     * job jar (Flink loads org.apache.flink.* parent-first, so a second copy on the cluster's
     * class path would clash with the job's), and the rest belongs to the broker, the tools and
     * the tests.
     */
    private static final List<String> NOT_IN_FLINK_DISTRIBUTION = List.of(
            "/org/apache/kafka/", "/flink-connector-kafka/", "/flink-connector-base/", "/flink-state-processor-api/",
            "/flink-test-utils", "/com/fasterxml/jackson/", "/dev/ludovic/", "/info/picocli/", "/io/fabric8/",
            "/com/networknt/", "/org/ejml/", "/org/scala-lang/", "/com/typesafe/", "/org/junit/", "/org/opentest4j/",
            "/org/apiguardian/", "/com/github/luben/", "/net/sourceforge/argparse4j/", "/org/bitbucket/b_c/",
            "/com/yammer/", "/org/pcollections/", "/com/github/ben-manes/", "-tests.jar");

    private JavaProcess() {}

    /**
     * This JVM's class path reduced to what a Flink distribution has (no project classes, no
     * connector, no broker or tool libraries), so job code reaches the cluster only inside the
     * submitted jar.
     */
    public static String flinkClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !isProjectEntry(entry))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** This JVM's full class path (for processes that run the project's own classes). */
    public static String fullClassPath() {
        return System.getProperty("java.class.path");
    }

    private static boolean isProjectEntry(String entry) {
        Path p = Path.of(entry);
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        String normalized = entry.replace(File.separatorChar, '/');
        return Files.isDirectory(p) || name.startsWith("okrtrl-")
                || NOT_IN_FLINK_DISTRIBUTION.stream().anyMatch(normalized::contains);
    }

    /** Starts java with the options, class path, main class and arguments; output to log. */
    public static Process start(String classPath, List<String> jvmOptions, String mainClass, List<String> args,
            Map<String, String> env, Path log) throws IOException {
        List<String> command = command(classPath, jvmOptions, mainClass, args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        if (log != null) {
            Files.createDirectories(log.getParent());
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        }
        return builder.start();
    }

    /** The command line of a JVM running mainClass with this JVM's java. */
    static List<String> command(String classPath, List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        return command;
    }
}
