package org.okrtrl.experiments;

import org.okrtrl.core.Algorithm;
import org.okrtrl.core.influence.Precision;

/**
 * How an experiment's models start and what r-OK keeps its factors in: the initial weight scale
 * (0: the fan-in rule), the rhn cell's carry bias, and the factors' precision (r-OK only; every
 * other algorithm runs in double).
 */
record Initialization(double scale, double carryBias, Precision precision) {
    Initialization(double scale, double carryBias) {
        this(scale, carryBias, Precision.DOUBLE);
    }

    /** The precision a run of algorithm uses: this one for r-OK, double for the rest. */
    Precision precisionFor(String algorithm) {
        return Algorithm.parse(algorithm).kind() == Algorithm.Kind.OK ? precision : Precision.DOUBLE;
    }
}
