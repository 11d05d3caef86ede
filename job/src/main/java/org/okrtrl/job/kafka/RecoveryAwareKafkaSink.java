package org.okrtrl.job.kafka;

import java.io.IOException;
import java.util.Collection;
import java.util.Properties;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaWriterState;
import org.apache.flink.connector.kafka.sink.TwoPhaseCommittingStatefulSink;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.lineage.LineageVertex;
import org.apache.flink.streaming.api.lineage.LineageVertexProvider;
import org.apache.kafka.clients.admin.Admin;

/**
 * A {@link KafkaSink} whose committer first asks the broker about transactions recovered from a
 * checkpoint ({@link RecoveredTransactionCommitter}), so a restore does not report the ones the
 * previous run had committed as possible data loss. Writing, state and serialisation are the
 * Kafka sink's own; only the committer is wrapped.
 */
public final class RecoveryAwareKafkaSink<IN> implements TwoPhaseCommittingStatefulSink<IN, KafkaWriterState, KafkaCommittable>,
        SupportsPostCommitTopology<KafkaCommittable>, LineageVertexProvider {
    private static final long serialVersionUID = 1L;
    /** Counted per committer: recovered transactions the broker showed committed. */
    public static final String ALREADY_COMMITTED_METRIC = "recoveredTransactionsAlreadyCommitted";

    private final KafkaSink<IN> sink;
    private final Properties adminProperties;

    /** adminProperties: how to reach the broker the sink writes to (bootstrap servers, security). */
    public RecoveryAwareKafkaSink(KafkaSink<IN> sink, Properties adminProperties) {
        this.sink = sink;
        this.adminProperties = adminProperties;
    }

    @Override
    public Committer<KafkaCommittable> createCommitter(CommitterInitContext context) {
        Properties admin = new Properties();
        admin.putAll(adminProperties);
        return new RecoveredTransactionCommitter(sink.createCommitter(context), () -> Admin.create(admin),
                context.metricGroup().counter(ALREADY_COMMITTED_METRIC), context.getRestoredCheckpointId());
    }

    @Override
    public SimpleVersionedSerializer<KafkaCommittable> getCommittableSerializer() {
        return sink.getCommittableSerializer();
    }

    @Override
    public PrecommittingStatefulSinkWriter<IN, KafkaWriterState, KafkaCommittable> createWriter(WriterInitContext context)
            throws IOException {
        return sink.createWriter(context);
    }

    @Override
    public PrecommittingStatefulSinkWriter<IN, KafkaWriterState, KafkaCommittable> restoreWriter(WriterInitContext context,
            Collection<KafkaWriterState> recoveredState) throws IOException {
        return sink.restoreWriter(context, recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<KafkaWriterState> getWriterStateSerializer() {
        return sink.getWriterStateSerializer();
    }

    @Override
    public void addPostCommitTopology(DataStream<CommittableMessage<KafkaCommittable>> committables) {
        sink.addPostCommitTopology(committables);
    }

    @Override
    public LineageVertex getLineageVertex() {
        return sink.getLineageVertex();
    }
}
