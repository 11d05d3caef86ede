package org.okrtrl.job.export;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.collect.CollectSinkOperatorFactory;

/**
 * The environment of a savepoint read that collects whole models: a shared model's stored
 * replica (parameters, Adam's moments, the steps held back for peers) or a key's model as JSON.
 * Such a record passes Flink's 2 MB default for one collected batch at the default model already
 * (a stored replica of 8-OK RHN n = 64 measured 2.1 MB), and the collect sink fails rather than
 * split a record.
 */
final class SavepointEnvironments {
    /** Largest batch, so largest record, a model read collects. */
    static final MemorySize MAX_RECORD = MemorySize.ofMebiBytes(512);

    private SavepointEnvironments() {}

    /** A parallelism-1 environment whose collected batches may hold records up to {@link #MAX_RECORD}. */
    static StreamExecutionEnvironment forModels() {
        Configuration configuration = new Configuration();
        configuration.set(CollectSinkOperatorFactory.MAX_BATCH_SIZE, MAX_RECORD);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        env.setParallelism(1);
        return env;
    }
}
