package org.okrtrl.cli;

import org.okrtrl.core.train.Algorithms;
import picocli.CommandLine.Option;

/** Which learner {@code bench} measures: the options its subcommands share. */
final class BenchModelOptions {
    @Option(names = "--algo", description = "One algorithm: rtrl, ok:R, kf, uoro, tbptt:T.")
    String algo;

    @Option(names = "--cell", description = "rnn or rhn (default: both in a sweep, rnn for one --algo).")
    String cell;

    @Option(names = "--hidden", description = "Hidden size n (default: the sweep's sizes, 128 for one --algo).")
    Integer hidden;

    @Option(names = "--vocab", defaultValue = "50", description = "Vocabulary size V (default ${DEFAULT-VALUE}).")
    int vocab;

    @Option(names = "--precision",
            description = "float or double: the type r-OK keeps its influence factors in (default: the job's, float; "
                    + "other algorithms run in double).")
    String precision;

    /** The precision algo runs in: --precision for r-OK when given, else the job's default for algo. */
    org.okrtrl.core.influence.Precision precisionFor(String algo) {
        org.okrtrl.core.Algorithm a = org.okrtrl.core.Algorithm.parse(algo);
        if (precision == null || a.kind() != org.okrtrl.core.Algorithm.Kind.OK) {
            return org.okrtrl.core.train.Defaults.precisionFor(a);
        }
        return org.okrtrl.core.influence.Precision.parse(precision);
    }

    /** UserInputException naming the first option out of range. */
    void validate() {
        if (vocab < 2) {
            throw new UserInputException("--vocab: expected >= 2, got " + vocab);
        }
        if (cell != null) {
            try {
                org.okrtrl.core.cell.CellType.parse(cell);
            } catch (IllegalArgumentException e) {
                throw new UserInputException("--cell: expected rnn or rhn, got " + cell);
            }
        }
        try {
            if (precision != null) {
                org.okrtrl.core.influence.Precision.parse(precision);
            }
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--precision: " + e.getMessage());
        }
        if (hidden != null && hidden < 1) {
            throw new UserInputException("--hidden: expected >= 1, got " + hidden);
        }
        if (algo != null) {
            try {
                Algorithms.validate(algo);
            } catch (IllegalArgumentException e) {
                throw new UserInputException("--algo: " + e.getMessage());
            }
        }
    }
}
