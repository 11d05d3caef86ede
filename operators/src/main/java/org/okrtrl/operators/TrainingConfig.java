package org.okrtrl.operators;

import java.io.Serializable;
import org.okrtrl.core.train.LearnerSpec;

/**
 * What the keyed training operator needs: the learner specification, the job's seed, the
 * vocabulary (null for real-valued streams), the gap policy, the number of top symbols to
 * report, and for one shared model its id, the events per optimiser step, how replicas merge
 * their steps and how many of its own events a replica takes between publications (0: only at
 * checkpoints).
 */
public record TrainingConfig(LearnerSpec spec, long seed, Vocabulary vocabulary, GapPolicy gapPolicy, int topK,
        String modelId, int batchEvents, long maxSeqJump, int deadLetterMaxBytes, java.time.Duration idleKeyTtl,
        org.okrtrl.operators.replication.MergeRule merge, long modelSyncEvery, RealValued real,
        double[][] initialParameters, boolean learn, String modelUpdateKeyFile)
        implements Serializable {

    /** A configuration whose model updates are authenticated only if the environment gives keys. */
    public TrainingConfig(LearnerSpec spec, long seed, Vocabulary vocabulary, GapPolicy gapPolicy, int topK,
            String modelId, int batchEvents, long maxSeqJump, int deadLetterMaxBytes, java.time.Duration idleKeyTtl,
            org.okrtrl.operators.replication.MergeRule merge, long modelSyncEvery, RealValued real,
            double[][] initialParameters, boolean learn) {
        this(spec, seed, vocabulary, gapPolicy, topK, modelId, batchEvents, maxSeqJump, deadLetterMaxBytes, idleKeyTtl,
                merge, modelSyncEvery, real, initialParameters, learn, null);
    }

    /**
     * The keys that sign and check model updates ({@code --model-update-key-file}, else the
     * environment's {@value org.okrtrl.operators.replication.ModelUpdateKeys#ENVIRONMENT_VARIABLE}),
     * read where the operator runs; null when there are none.
     */
    public org.okrtrl.operators.replication.ModelUpdateKeys modelUpdateKeys() {
        try {
            return org.okrtrl.operators.replication.ModelUpdateKeys.load(modelUpdateKeyFile);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new ConfigurationException("model update keys (--model-update-key-file " + modelUpdateKeyFile
                    + ", else " + org.okrtrl.operators.replication.ModelUpdateKeys.ENVIRONMENT_VARIABLE + "): "
                    + e.getMessage(), e);
        }
    }

    /** A configuration that learns ({@link #learn} true). */
    public TrainingConfig(LearnerSpec spec, long seed, Vocabulary vocabulary, GapPolicy gapPolicy, int topK,
            String modelId, int batchEvents, long maxSeqJump, int deadLetterMaxBytes, java.time.Duration idleKeyTtl,
            org.okrtrl.operators.replication.MergeRule merge, long modelSyncEvery, RealValued real,
            double[][] initialParameters) {
        this(spec, seed, vocabulary, gapPolicy, topK, modelId, batchEvents, maxSeqJump, deadLetterMaxBytes, idleKeyTtl,
                merge, modelSyncEvery, real, initialParameters, true);
    }

    /** This configuration scoring only (learn false: a fixed model, no updates, nothing published) or learning. */
    public TrainingConfig withLearning(boolean learn) {
        return new TrainingConfig(spec, seed, vocabulary, gapPolicy, topK, modelId, batchEvents, maxSeqJump,
                deadLetterMaxBytes, idleKeyTtl, merge, modelSyncEvery, real, initialParameters, learn, modelUpdateKeyFile);
    }

    /** This configuration with model updates signed and checked with the keys in file (null: none given). */
    public TrainingConfig withModelUpdateKeyFile(String file) {
        return new TrainingConfig(spec, seed, vocabulary, gapPolicy, topK, modelId, batchEvents, maxSeqJump,
                deadLetterMaxBytes, idleKeyTtl, merge, modelSyncEvery, real, initialParameters, learn, file);
    }

    /** A configuration whose models start from the seed ({@link #initialParameters} null). */
    public TrainingConfig(LearnerSpec spec, long seed, Vocabulary vocabulary, GapPolicy gapPolicy, int topK,
            String modelId, int batchEvents, long maxSeqJump, int deadLetterMaxBytes, java.time.Duration idleKeyTtl,
            org.okrtrl.operators.replication.MergeRule merge, long modelSyncEvery, RealValued real) {
        this(spec, seed, vocabulary, gapPolicy, topK, modelId, batchEvents, maxSeqJump, deadLetterMaxBytes, idleKeyTtl,
                merge, modelSyncEvery, real, null);
    }

    /**
     * Writes the initial parameters {W, V} (an exported model's, --initial-model) into a fresh
     * model (modified); leaves it as drawn from the seed when there are none.
     */
    public void initialize(org.okrtrl.core.train.Model model) {
        if (initialParameters != null) {
            System.arraycopy(initialParameters[0], 0, model.w, 0, model.w.length);
            System.arraycopy(initialParameters[1], 0, model.v, 0, model.v.length);
        }
    }

    public TrainingConfig {
        if (modelSyncEvery < 0) {
            throw new IllegalArgumentException("model sync interval must be >= 0 events, got " + modelSyncEvery);
        }
        java.util.Objects.requireNonNull(real, "real");
        if (initialParameters != null && (initialParameters.length != 2 || initialParameters[0] == null
                || initialParameters[1] == null)) {
            throw new IllegalArgumentException("initial parameters are {W, V}");
        }
    }

    /** A configuration whose real-valued steps, if any, are read the default way ({@link RealValued#DEFAULT}). */
    public TrainingConfig(LearnerSpec spec, long seed, Vocabulary vocabulary, GapPolicy gapPolicy, int topK,
            String modelId, int batchEvents, long maxSeqJump, int deadLetterMaxBytes, java.time.Duration idleKeyTtl,
            org.okrtrl.operators.replication.MergeRule merge, long modelSyncEvery) {
        this(spec, seed, vocabulary, gapPolicy, topK, modelId, batchEvents, maxSeqJump, deadLetterMaxBytes, idleKeyTtl,
                merge, modelSyncEvery, RealValued.DEFAULT);
    }

    /** This configuration reading real-valued steps as real says. */
    public TrainingConfig withReal(RealValued real) {
        return new TrainingConfig(spec, seed, vocabulary, gapPolicy, topK, modelId, batchEvents, maxSeqJump,
                deadLetterMaxBytes, idleKeyTtl, merge, modelSyncEvery, real, initialParameters, learn,
                modelUpdateKeyFile);
    }

    /** This configuration with models starting from parameters {W, V} of the spec's shapes. */
    public TrainingConfig withInitialParameters(double[][] parameters) {
        return new TrainingConfig(spec, seed, vocabulary, gapPolicy, topK, modelId, batchEvents, maxSeqJump,
                deadLetterMaxBytes, idleKeyTtl, merge, modelSyncEvery, real, parameters, learn, modelUpdateKeyFile);
    }

    /** A configuration whose replicas sum their updates and publish them at checkpoints only. */
    public TrainingConfig(LearnerSpec spec, long seed, Vocabulary vocabulary, GapPolicy gapPolicy, int topK,
            String modelId, int batchEvents, long maxSeqJump, int deadLetterMaxBytes, java.time.Duration idleKeyTtl) {
        this(spec, seed, vocabulary, gapPolicy, topK, modelId, batchEvents, maxSeqJump, deadLetterMaxBytes, idleKeyTtl,
                org.okrtrl.operators.replication.MergeRule.SUM, 0);
    }

    /** The default prefix of a rejected record's key and value kept in its dead letter. */
    public static final int DEFAULT_DEAD_LETTER_MAX_BYTES = 64 * 1024;

    /** What a gap in a key's sequence numbers does. */
    public enum GapPolicy {
        /** Start a new sequence: hidden state and influence go to zero. */
        RESET,
        /** Carry on as if nothing was missing. */
        CONTINUE
    }

    /** The per-key-model configuration (no shared model). */
    public TrainingConfig(LearnerSpec spec, long seed, Vocabulary vocabulary, GapPolicy gapPolicy, int topK) {
        this(spec, seed, vocabulary, gapPolicy, topK, "okrtrl", 1);
    }

    /** A configuration with the default sequence-jump and dead-letter limits. */
    public TrainingConfig(LearnerSpec spec, long seed, Vocabulary vocabulary, GapPolicy gapPolicy, int topK,
            String modelId, int batchEvents) {
        this(spec, seed, vocabulary, gapPolicy, topK, modelId, batchEvents, RecordRules.DEFAULT_MAX_SEQ_JUMP,
                DEFAULT_DEAD_LETTER_MAX_BYTES, null);
    }

    /**
     * Flink state TTL for a key's state when --idle-key-ttl is set (null otherwise): the state of
     * a key that has not written it for that long is dropped, a returning key starts afresh.
     */
    public org.apache.flink.api.common.state.StateTtlConfig ttl() {
        if (idleKeyTtl == null) {
            return null;
        }
        return org.apache.flink.api.common.state.StateTtlConfig.newBuilder(idleKeyTtl)
                .setUpdateType(org.apache.flink.api.common.state.StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(org.apache.flink.api.common.state.StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupFullSnapshot()
                .cleanupIncrementally(10, false)
                .cleanupInRocksdbCompactFilter(1000)
                .build();
    }

    /** The per-key rules this configuration asks for. */
    public RecordRules rules() {
        return new RecordRules(gapPolicy, maxSeqJump);
    }

    /** The dead letter of a record the training operator rejects (the value is not kept there). */
    public DeadLetter deadLetter(StepBatch batch, String reason) {
        return new DeadLetter(JsonCodec.utf8(batch.key), null, batch.topic, batch.partition, batch.offset, reason,
                deadLetterMaxBytes);
    }

    /**
     * What identifies the shared model on the model topic and in a savepoint: its id, shape and
     * seed ({@link org.okrtrl.operators.replication.Fingerprint}). Updates of any other model are
     * rejected; the learning rule is not part of it, so a restore may change it.
     */
    public String modelFingerprint() {
        return org.okrtrl.operators.replication.Fingerprint.of(modelId, spec.cell().toString(), spec.inputs(),
                spec.hidden(), spec.outputs(), spec.link().name().toLowerCase(java.util.Locale.ROOT), seed);
    }
}
