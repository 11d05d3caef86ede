package org.okrtrl.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The project's command-line tool: {@code bin/okrtrl <subcommand> [options]}. */
@Command(
        name = "okrtrl",
        mixinStandardHelpOptions = true,
        version = "okrtrl 0.2.0",
        description = "Online RNN training with the optimal Kronecker-sum approximation of RTRL.",
        subcommands = {LocalCommand.class, GradcheckCommand.class, BenchCommand.class, ExportModelCommand.class, ScoreCommand.class, ComparePredictionsCommand.class,
            SoakCommand.class,
            ValidateManifestsCommand.class, ClusterCommand.class, KafkaCommand.class, FlinkCommand.class,
            ExperimentCommand.class})
public final class Okrtrl implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * Where the tools keep a broker's and a cluster's files unless told otherwise: a per-user
     * state directory ($XDG_STATE_HOME/okrtrl, else ~/.local/state/okrtrl), never the working
     * directory, so running the tools from a checkout leaves the checkout alone.
     */
    static final String STATE_DIR = "${sys:okrtrl.stateDir}";

    static String stateDirectory() {
        String xdg = System.getenv("XDG_STATE_HOME");
        java.nio.file.Path base = xdg != null && !xdg.isBlank() ? java.nio.file.Path.of(xdg)
                : java.nio.file.Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("okrtrl").toString();
    }

    /** The configured command line (tests execute it in-process). */
    public static CommandLine commandLine() {
        if (System.getProperty("okrtrl.stateDir") == null) {
            System.setProperty("okrtrl.stateDir", stateDirectory());
        }
        CommandLine cli = new CommandLine(new Okrtrl());
        showDefaults(cli);
        // One duration syntax for every tool: Flink's (30s, 5 min) or ISO-8601 (PT30S).
        cli.registerConverter(java.time.Duration.class, new org.okrtrl.job.config.Choices.DurationConverter());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof UserInputException) {
                commandLine.getErr().println("error: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cli;
    }

    /** Every command's --help lists each option's default value. */
    private static void showDefaults(CommandLine cli) {
        cli.getCommandSpec().usageMessage().showDefaultValues(true);
        for (CommandLine sub : cli.getSubcommands().values()) {
            showDefaults(sub);
        }
    }
}
