package org.okrtrl.experiments;

import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.core.train.Model;
import org.okrtrl.core.train.SequenceLearner;
import org.okrtrl.core.train.SharedLearner;
import org.okrtrl.core.train.StreamState;

/**
 * B streams learning one model, the way the streaming job's shared mode does (and the paper's
 * batches): with B = 1 a single learner with its own model; with B > 1 one shared learner,
 * one optimiser step per B events on their mean gradient. A learner or stream that turns
 * non-finite is replaced or reset, and counted.
 */
final class StreamBatch {
    private final LearnerSpec spec;
    private final long seed;
    private SequenceLearner single;
    private final SharedLearner shared;
    private final StreamState[] streams;
    private long resets;

    StreamBatch(LearnerSpec spec, long seed, int streamCount) {
        this.spec = spec;
        this.seed = seed;
        if (streamCount == 1) {
            this.single = spec.create(seed);
            this.shared = null;
            this.streams = null;
        } else {
            this.shared = spec.createShared(seed, streamCount, false);
            this.streams = new StreamState[streamCount];
            for (int s = 0; s < streamCount; s++) {
                streams[s] = shared.newStream(LearnerSpec.streamSeed(seed * 1_000_003L + s));
            }
        }
    }

    int size() {
        return streams == null ? 1 : streams.length;
    }

    /** Stream s observes the next symbol; returns the loss of its previous prediction (NaN at a start). */
    double observeSymbol(int s, int symbol) {
        if (single != null) {
            double loss = single.observeSymbol(symbol);
            if (!single.healthy()) {
                replaceSingle();
                return Double.NaN;
            }
            return loss;
        }
        double loss = shared.observeSymbol(streams[s], symbol);
        if (!streams[s].healthy()) {
            shared.resetStream(streams[s]);
            resets++;
            return Double.NaN;
        }
        return loss;
    }

    /** Stream s consumes an input symbol and learns from this step's target. */
    double observe(int s, int input, int target) {
        if (single != null) {
            return single.observe(input, target);
        }
        return shared.observe(streams[s], input, target);
    }

    /** Starts a new sequence on stream s (and replaces or resets it if it went non-finite). */
    void endSequence(int s) {
        if (single != null) {
            single.resetSequence();
            if (!single.healthy()) {
                replaceSingle();
            }
            return;
        }
        if (!streams[s].healthy()) {
            shared.resetStream(streams[s]);
            resets++;
        } else {
            shared.resetSequence(streams[s]);
        }
    }

    private void replaceSingle() {
        resets++;
        single = spec.create(seed + resets * 7919);
    }

    /** The model being trained. */
    Model model() {
        return single != null ? single.model() : shared.shared().model();
    }

    /** Times a learner was replaced (B = 1) or a stream reset (B > 1) after a non-finite step. */
    long resets() {
        return resets + (shared != null ? shared.shared().refusedUpdates() : 0);
    }
}
