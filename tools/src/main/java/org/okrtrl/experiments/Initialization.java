package org.okrtrl.experiments;

import org.okrtrl.core.Algorithm;
import org.okrtrl.core.influence.Precision;

/**
 * How an experiment's models start and learn: the initial weight scale (0: the fan-in rule), the
 * rhn cell's carry bias, the factors' precision (r-OK only, null: the job's default; every other
 * algorithm runs in double) and Adam's second-moment decay (NaN: the job's default for each run's
 * algorithm, width and rate).
 */
record Initialization(double scale, double carryBias, Precision precision, double adamBeta2) {

    Initialization(double scale, double carryBias) {
        this(scale, carryBias, null, Double.NaN);
    }

    Initialization(double scale, double carryBias, Precision precision) {
        this(scale, carryBias, precision, Double.NaN);
    }

    /**
     * Adam's second-moment decay of each run, keyed "algorithm lr rate": the given one, or the
     * job's default for the algorithm, a symbol model of width hidden and the rate.
     */
    java.util.Map<String, Double> adamBeta2ByRun(java.util.List<String> algorithms, java.util.List<Double> rates,
            int hidden) {
        java.util.Map<String, Double> byRun = new java.util.LinkedHashMap<>();
        for (String algorithm : algorithms) {
            for (double rate : rates) {
                byRun.put(algorithm + " lr " + rate, Double.isNaN(adamBeta2)
                        ? org.okrtrl.core.train.Defaults.adamBeta2(Algorithm.parse(algorithm),
                                org.okrtrl.core.readout.Readout.Link.SOFTMAX, hidden, rate)
                        : adamBeta2);
            }
        }
        return byRun;
    }

    /**
     * The Adam learner of one run on symbols: this initialisation, {@link #precisionFor} and the
     * decay (the job's default when NaN), one update per step. Every experiment that trains a
     * symbol model takes its learner from here, so they all train the same model for the same
     * settings.
     */
    org.okrtrl.core.train.LearnerSpec symbolSpec(String algorithm, String cell, int inputs, int hidden, int outputs,
            double rate, double clip) {
        return new org.okrtrl.core.train.LearnerSpec(algorithm, cell, inputs, hidden, outputs,
                org.okrtrl.core.readout.Readout.Link.SOFTMAX, "adam", rate, clip, 1, carryBias, scale)
                .withPrecision(precisionFor(algorithm))
                .withAdamBeta2(adamBeta2);
    }

    /** The precision a run of algorithm uses: the given one for r-OK, else the job's default. */
    Precision precisionFor(String algorithm) {
        Algorithm a = Algorithm.parse(algorithm);
        return precision != null && a.kind() == Algorithm.Kind.OK ? precision
                : org.okrtrl.core.train.Defaults.precisionFor(a);
    }
}
