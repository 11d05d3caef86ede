package org.okrtrl.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of {@code bin/okrtrl}'s command line in this JVM: its exit code and what it printed. */
record CliRun(int exitCode, String out, String err) {
    static CliRun execute(String... args) {
        CommandLine cli = Okrtrl.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
