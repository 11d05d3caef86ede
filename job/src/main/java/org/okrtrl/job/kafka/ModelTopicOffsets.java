package org.okrtrl.job.kafka;

import java.util.Collection;
import java.util.Map;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the replicas start reading the model topic: a fresh job at its end (earlier jobs'
 * updates are not its model's), a restored one where its checkpoint says; and, when that
 * position is gone (the topic was deleted and created again, or expired under it), at the
 * earliest record still there rather than at the end, so no update the new replicas publish
 * while the reader catches up is skipped by some of them and not by others.
 */
final class ModelTopicOffsets implements OffsetsInitializer {
    private static final long serialVersionUID = 1L;
    private final OffsetsInitializer fresh = OffsetsInitializer.latest();

    @Override
    public Map<TopicPartition, Long> getPartitionOffsets(Collection<TopicPartition> partitions,
            PartitionOffsetsRetriever retriever) {
        return fresh.getPartitionOffsets(partitions, retriever);
    }

    @Override
    @SuppressWarnings("deprecation")
    public OffsetResetStrategy getAutoOffsetResetStrategy() {
        return OffsetResetStrategy.EARLIEST;
    }
}
