package org.okrtrl.job.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;

/**
 * A model read collects records larger than Flink's 2 MB default batch (a stored replica of the
 * default model is about 2.1 MB), which a plain environment refuses.
 */
class SavepointEnvironmentsITCase {
    private static final int RECORD_BYTES = 3 << 20;

    @Test
    void aModelReadCollectsARecordLargerThanTheDefaultBatch() throws Exception {
        StreamExecutionEnvironment env = SavepointEnvironments.forModels();
        assertEquals(RECORD_BYTES, collectOne(env).length);
    }

    @Test
    void aPlainEnvironmentRefusesIt() {
        Configuration configuration = new Configuration();
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        env.setParallelism(1);
        assertThrows(RuntimeException.class, () -> collectOne(env));
    }

    private static byte[] collectOne(StreamExecutionEnvironment env) throws Exception {
        byte[] record = new byte[RECORD_BYTES];
        record[RECORD_BYTES - 1] = 7;
        try (CloseableIterator<byte[]> it = env.fromData(List.of(record)).executeAndCollect("one large record")) {
            byte[] got = it.next();
            assertEquals(7, got[RECORD_BYTES - 1]);
            return got;
        }
    }
}
