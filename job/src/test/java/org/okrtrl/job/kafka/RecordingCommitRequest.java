package org.okrtrl.job.kafka;

import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;

/** A commit request that records how the committer answered it. */
final class RecordingCommitRequest implements Committer.CommitRequest<KafkaCommittable> {
    private final KafkaCommittable committable;
    boolean alreadyCommitted;
    Throwable failure;

    RecordingCommitRequest(KafkaCommittable committable) {
        this.committable = committable;
    }

    @Override
    public KafkaCommittable getCommittable() {
        return committable;
    }

    @Override
    public int getNumberOfRetries() {
        return 0;
    }

    @Override
    public void signalFailedWithKnownReason(Throwable t) {
        failure = t;
    }

    @Override
    public void signalFailedWithUnknownReason(Throwable t) {
        failure = t;
    }

    @Override
    public void retryLater() {}

    @Override
    public void updateAndRetryLater(KafkaCommittable committable) {}

    @Override
    public void signalAlreadyCommitted() {
        alreadyCommitted = true;
    }
}
