package org.okrtrl.job.config;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * docs/CONFIGURATION.md, generated from the options {@link JobConfig} declares: every option's
 * flag, Flink configuration key, type, default and description, in declaration order. A test
 * keeps the checked-in file equal to this output.
 */
public final class ConfigurationDoc {
    private ConfigurationDoc() {}

    /** The whole document. */
    public static String markdown() {
        CommandSpec spec = CommandSpec.forAnnotatedObject(new JobConfig());
        StringBuilder md = new StringBuilder();
        md.append("# Configuration\n\n");
        md.append("Every option of the job, generated from `org.okrtrl.job.config.JobConfig`. A test keeps this file\n");
        md.append("equal to the code; after changing an option, regenerate it with\n\n");
        md.append("```\nmvn -B test -pl core,operators,embedded,job -Dtest=ConfigurationDocTest \\\n");
        md.append("  -Dsurefire.failIfNoSpecifiedTests=false -Dokrtrl.writeConfigurationDoc=true\n```\n\n");
        md.append("Each option is given in one of three ways, the first that is set wins:\n\n");
        md.append("1. a flag of the job's command line (`flink run ... job.jar --hidden 32`, `bin/okrtrl local --hidden 32`);\n");
        md.append("2. Flink's configuration as `okrtrl.<flag>` (`-Dokrtrl.hidden=32`, or `okrtrl.hidden: \"32\"` in a\n");
        md.append("   FlinkDeployment's `flinkConfiguration`; `bin/okrtrl validate-manifests` knows these keys);\n");
        md.append("3. the default below.\n\n");
        md.append("The values in effect appear in Flink's web UI under the job's configuration (client properties\n");
        md.append("by name only). Durations take Flink's syntax (`30s`, `5 min`, `10m`) or ISO-8601 (`PT30S`).\n\n");
        md.append("| flag | Flink key | type | default | description |\n");
        md.append("|---|---|---|---|---|\n");
        for (OptionSpec option : spec.options()) {
            String flag = option.longestName();
            md.append("| `").append(flag).append("` | `").append(JobConfig.CONFIG_PREFIX).append(flag.substring(2))
                    .append("` | ").append(typeName(option)).append(" | ")
                    .append(option.defaultValue() == null ? "" : "`" + option.defaultValue() + "`").append(" | ")
                    .append(String.join(" ", option.description()).replace("|", "\\|")).append(" |\n");
        }
        return md.toString();
    }

    private static String typeName(OptionSpec option) {
        Class<?> type = option.type();
        if (type == java.time.Duration.class) {
            return "duration";
        }
        if (java.util.Map.class.isAssignableFrom(type)) {
            return "key=value, repeatable";
        }
        if (type.isEnum() || option.converters().length > 0) {
            return "choice";
        }
        List<String> words = new ArrayList<>();
        String name = type.isPrimitive() ? type.getName() : type.getSimpleName().toLowerCase(java.util.Locale.ROOT);
        words.add(name.equals("integer") ? "int" : name);
        return String.join(" ", words);
    }

    /** Prints the document (used to regenerate the file by hand). */
    public static void main(String[] args) {
        System.out.print(markdown());
    }
}
