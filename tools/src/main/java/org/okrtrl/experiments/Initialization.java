package org.okrtrl.experiments;

import org.okrtrl.core.Algorithm;
import org.okrtrl.core.influence.Precision;

/**
 * How an experiment's models start and what r-OK keeps its factors in: the initial weight scale
 * (0: the fan-in rule), the rhn cell's carry bias, and the factors' precision (r-OK only, null:
 * the job's default; every other algorithm runs in double).
 */
record Initialization(double scale, double carryBias, Precision precision) {
    Initialization(double scale, double carryBias) {
        this(scale, carryBias, null);
    }

    /** The precision a run of algorithm uses: the given one for r-OK, else the job's default. */
    Precision precisionFor(String algorithm) {
        Algorithm a = Algorithm.parse(algorithm);
        return precision != null && a.kind() == Algorithm.Kind.OK ? precision
                : org.okrtrl.core.train.Defaults.precisionFor(a);
    }
}
