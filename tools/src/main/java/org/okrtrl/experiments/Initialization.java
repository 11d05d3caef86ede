package org.okrtrl.experiments;

import org.okrtrl.core.Algorithm;
import org.okrtrl.core.influence.Precision;

/**
 * How an experiment's models start and learn: the initial weight scale (0: the fan-in rule), the
 * rhn cell's carry bias, the factors' precision (r-OK only, null: the job's default; every other
 * algorithm runs in double) and Adam's second-moment decay (NaN: the job's default for the model's
 * width).
 */
record Initialization(double scale, double carryBias, Precision precision, double adamBeta2) {

    Initialization(double scale, double carryBias) {
        this(scale, carryBias, null, Double.NaN);
    }

    Initialization(double scale, double carryBias, Precision precision) {
        this(scale, carryBias, precision, Double.NaN);
    }

    /** The precision a run of algorithm uses: the given one for r-OK, else the job's default. */
    Precision precisionFor(String algorithm) {
        Algorithm a = Algorithm.parse(algorithm);
        return precision != null && a.kind() == Algorithm.Kind.OK ? precision
                : org.okrtrl.core.train.Defaults.precisionFor(a);
    }
}
