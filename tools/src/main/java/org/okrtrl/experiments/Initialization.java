package org.okrtrl.experiments;

/**
 * How an experiment's models start: the standard deviation of W's and the readout's weights
 * (0: the fan-in rule) and the highway cell's carry bias.
 */
record Initialization(double scale, double carryBias) {}
