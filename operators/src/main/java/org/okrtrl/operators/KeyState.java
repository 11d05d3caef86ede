package org.okrtrl.operators;

import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.core.train.SequenceLearner;

/**
 * Everything one stream key owns: its learner (model parameters, optimiser state, hidden state,
 * influence factors, random stream), its sequence bookkeeping, counters and running metrics.
 * Held in Flink keyed state and serialised by {@link KeyStateSerializer}.
 */
public final class KeyState extends StreamCounters {
    public final LearnerSpec spec;
    public final long keySeed;
    public SequenceLearner learner;

    public KeyState(LearnerSpec spec, long keySeed, SequenceLearner learner) {
        this.spec = spec;
        this.keySeed = keySeed;
        this.learner = learner;
    }

    /** A fresh state: the key's initial model. */
    public static KeyState fresh(LearnerSpec spec, long keySeed) {
        return new KeyState(spec, keySeed, spec.create(keySeed));
    }

    /** Replaces the learner by the key's initial model (the counters stay). */
    public void resetModel() {
        learner = spec.create(keySeed);
        divergenceResets++;
    }

    /**
     * Whether this key's learner was built with the given spec's learning rule and shape (the
     * initialisation settings, which only matter for a fresh model, are not compared).
     */
    public boolean learnsAs(LearnerSpec other) {
        return spec.algorithm().equals(other.algorithm()) && spec.optimizer() == other.optimizer()
                && spec.learningRate() == other.learningRate() && spec.adamBeta2() == other.adamBeta2()
                && spec.clipNorm() == other.clipNorm()
                && spec.updateEvery() == other.updateEvery() && spec.precision() == other.precision()
                && shapeDifference(spec, other).isEmpty();
    }

    /**
     * The settings in which two specs' model shapes differ ("--hidden: stored 32, configured
     * 64"), empty when a model of one can be used by the other.
     */
    public static String shapeDifference(LearnerSpec stored, LearnerSpec configured) {
        java.util.List<String> out = new java.util.ArrayList<>();
        differ(out, "--cell", stored.cell(), configured.cell());
        differ(out, "inputs (the vocabulary size or --real-inputs)", stored.inputs(), configured.inputs());
        differ(out, "--hidden", stored.hidden(), configured.hidden());
        differ(out, "outputs (the vocabulary size or --real-outputs)", stored.outputs(), configured.outputs());
        differ(out, "the readout (symbols or real values)", stored.link(), configured.link());
        return String.join("; ", out);
    }

    private static void differ(java.util.List<String> out, String setting, Object stored, Object configured) {
        if (!stored.equals(configured)) {
            out.add(setting + ": stored " + stored + ", configured " + configured);
        }
    }

    /**
     * This key under spec (same shape, another learning rule or optimiser setting): the model's
     * parameters are kept, the optimiser's state when the optimiser is the same type, and the
     * stream (hidden state, influence, window) when the learning rule is the same; otherwise the
     * stream starts afresh. The counters stay.
     *
     * @throws IllegalArgumentException naming the settings when the shapes differ
     */
    public KeyState adoptedBy(LearnerSpec configured) {
        String difference = shapeDifference(spec, configured);
        if (!difference.isEmpty()) {
            throw new IllegalArgumentException(difference);
        }
        KeyState adopted = new KeyState(configured, keySeed, configured.create(keySeed));
        adopted.copyCountersFrom(this);
        Object[] from = CanonicalArrays.of(learner);
        Object[] to = CanonicalArrays.of(adopted.learner);
        int storedOptimizer = optimizerArrays(spec, from);
        int configuredOptimizer = optimizerArrays(configured, to);
        boolean sameOptimizer = spec.optimizer() == configured.optimizer();
        boolean sameRule = spec.algorithm().equals(configured.algorithm());
        for (int i = 0; i < to.length; i++) {
            boolean optimizerPart = i >= 2 && i < 2 + configuredOptimizer;
            int source = i < 2 + configuredOptimizer ? i : i - configuredOptimizer + storedOptimizer;
            boolean keep = i < 2 || (optimizerPart ? sameOptimizer : sameRule);
            if (keep) {
                // Converts r-OK's factors where the stored and configured precisions differ.
                CanonicalArrays.copy(from[source], to[i]);
            }
        }
        if (sameRule) {
            adopted.learner.restoreScalarState(learner.scalarState());
        }
        return adopted;
    }

    private static int optimizerArrays(LearnerSpec spec, Object[] arrays) {
        return spec.optimizer().create(spec.learningRate(), spec.adamBeta2(), CanonicalArrays.length(arrays[0]),
                CanonicalArrays.length(arrays[1])).stateArrays().length;
    }

    /** Bytes of the learner's arrays, the bulk of the serialised state. */
    public long arrayBytes() {
        return CanonicalArrays.bytes(CanonicalArrays.of(learner));
    }
}
