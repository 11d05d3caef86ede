package org.okrtrl.operators.replication;

/**
 * The sum of one replica's optimiser steps since its previous publication: what every other
 * replica adds to its parameters (ALGORITHMS.md section 11).
 *
 * @param fingerprint the model it belongs to (model id, algorithm, cell, sizes, seed)
 * @param origin the publishing replica (epoch and subtask, see {@link Replica})
 * @param seq the origin's sequence number, 1, 2, ... without gaps
 * @param createdMillis wall-clock time of publication
 * @param steps optimiser steps summed into it
 * @param deltaW the change of W
 * @param deltaV the change of V
 */
public record ModelUpdate(String fingerprint, long origin, long seq, long createdMillis, long steps, double[] deltaW,
        double[] deltaV) {}
