package org.okrtrl.manifests;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;

/**
 * The configuration keys Flink itself defines: every public static {@link ConfigOption} of the
 * {@code *Options} classes in the Flink jars on the class path (core, runtime, streaming, clients,
 * RocksDB, web), with their deprecated fallback keys. {@link #check} says what is wrong with a
 * key of a {@code flinkConfiguration}: unknown (a typo, or removed in this Flink version) or
 * deprecated (with the key that replaces it).
 *
 * <p>Keys that belong to components outside those jars cannot be checked against a definition and
 * are accepted by prefix: {@code metrics.reporter.<name>.} (each reporter's own keys),
 * {@code kubernetes.} (Flink's native Kubernetes module and the Kubernetes operator),
 * {@code s3.} and {@code fs.s3a.} (passed to the S3 file system plugins).
 */
public final class FlinkConfigurationKeys {
    private static final Pattern PASS_THROUGH = Pattern.compile(
            "metrics\\.reporter\\.[^.]+\\..+|kubernetes\\..+|s3\\..+|fs\\.s3a\\..+");

    /** key -> null for a current key, or the current key a deprecated one stands for. */
    private final Map<String, String> keys;

    private FlinkConfigurationKeys(Map<String, String> keys) {
        this.keys = keys;
    }

    /** Scans the Flink jars visible to this class's loader. */
    public static FlinkConfigurationKeys load() throws IOException {
        Map<String, String> keys = new TreeMap<>();
        ClassLoader loader = FlinkConfigurationKeys.class.getClassLoader();
        Enumeration<URL> roots = loader.getResources("org/apache/flink/");
        while (roots.hasMoreElements()) {
            URL root = roots.nextElement();
            if (!"jar".equals(root.getProtocol())) {
                continue;
            }
            JarURLConnection connection = (JarURLConnection) root.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    String name = e.nextElement().getName();
                    if (name.startsWith("org/apache/flink/") && name.endsWith("Options.class")
                            && !name.contains("$") && !name.contains("/shaded/")) {
                        collect(loader, name.substring(0, name.length() - 6).replace('/', '.'), keys);
                    }
                }
            }
        }
        if (!keys.containsKey("execution.checkpointing.interval")) {
            throw new IOException("Flink's configuration options were not found on the class path");
        }
        // The job's own options, which it reads from Flink's configuration as okrtrl.<flag>.
        for (String key : org.okrtrl.job.config.JobConfig.configurationKeys()) {
            keys.put(key, null);
        }
        return new FlinkConfigurationKeys(keys);
    }

    private static void collect(ClassLoader loader, String className, Map<String, String> keys) {
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (Throwable t) {
            return; // an options class whose dependencies are absent defines nothing we could check
        }
        for (Field field : type.getFields()) {
            if (!Modifier.isStatic(field.getModifiers()) || !ConfigOption.class.isAssignableFrom(field.getType())) {
                continue;
            }
            ConfigOption<?> option;
            try {
                option = (ConfigOption<?>) field.get(null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (option == null) {
                continue;
            }
            boolean deprecatedField = field.isAnnotationPresent(Deprecated.class);
            keys.put(option.key(), deprecatedField ? "(deprecated; see the Flink documentation)" : null);
            for (FallbackKey fallback : option.fallbackKeys()) {
                keys.putIfAbsent(fallback.getKey(), fallback.isDeprecated() ? option.key() : null);
            }
        }
    }

    /** How many keys are known. */
    public int size() {
        return keys.size();
    }

    /** What is wrong with one key, or null when it is a current Flink key or passed through. */
    public String check(String key) {
        if (keys.containsKey(key)) {
            String replacement = keys.get(key);
            return replacement == null ? null : "flinkConfiguration key " + key + " is deprecated: use "
                    + replacement;
        }
        if (PASS_THROUGH.matcher(key).matches()) {
            return null;
        }
        return "flinkConfiguration key " + key + " is not a Flink configuration option"
                + suggestion(key);
    }

    private String suggestion(String key) {
        List<String> close = new ArrayList<>();
        for (String known : keys.keySet()) {
            if (distance(key, known) <= 2) {
                close.add(known);
            }
        }
        return close.isEmpty() ? " (unknown or removed in this Flink version)" : " (did you mean " + close + "?)";
    }

    private static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 2) {
            return 3;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
