package org.okrtrl.job.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.metrics.Counter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTransactionsOptions;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exactly-once Kafka sink's committer, with one question asked first: a transaction handed
 * back by a checkpoint after a restore (its committable carries no live producer) is looked up on
 * the broker, and if the broker shows that very transaction committed, the request is
 * acknowledged as already committed instead of being committed again.
 *
 * <p>Why: re-committing a transaction the previous run had committed is answered "producer
 * fenced", which Flink's committer logs as something that "most likely signals data loss", on
 * every clean restore: under transaction protocol 2 (KIP-890, Kafka 4) the commit raised the
 * producer's epoch, so the old epoch is refused. The broker can prove the benign case: its
 * transaction coordinator still describes the transactional id, and {@code CompleteCommit} under
 * the committable's producer id at its epoch (or one above, the protocol-2 commit's bump) can only
 * be this transaction's commit ({@link #provenCommitted}). Anything else (a later epoch, another
 * state, a broker that cannot be asked) is left to Flink's committer, whose warning then stands:
 * only proven commits are quieted, never a possible loss.
 *
 * <p>Only transactions of the checkpoint the job was restored from, or earlier ones, are looked
 * up: their transactional ids end in the checkpoint id (the Kafka sink's incrementing naming,
 * prefix-subtask-checkpoint). Transactions this run wrote go straight to the delegate whether
 * or not their committable still carries its producer (the sink hands committables to its
 * committer serialised, so it usually does not), and the check costs one describe call per
 * restore, not one per checkpoint.
 */
final class RecoveredTransactionCommitter implements Committer<KafkaCommittable> {
    private static final Logger LOG = LoggerFactory.getLogger(RecoveredTransactionCommitter.class);
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);

    private final Committer<KafkaCommittable> delegate;
    private final Supplier<Admin> admins;
    private final Counter alreadyCommitted;
    private final Duration askTimeout;
    private final OptionalLong restoredCheckpointId;

    /** restoredCheckpointId: the checkpoint the committer's task was restored from (empty: a fresh start). */
    RecoveredTransactionCommitter(Committer<KafkaCommittable> delegate, Supplier<Admin> admins, Counter alreadyCommitted,
            OptionalLong restoredCheckpointId) {
        this(delegate, admins, alreadyCommitted, restoredCheckpointId, ASK_TIMEOUT);
    }

    /** askTimeout: how long the broker may take to answer before the delegate decides alone. */
    RecoveredTransactionCommitter(Committer<KafkaCommittable> delegate, Supplier<Admin> admins, Counter alreadyCommitted,
            OptionalLong restoredCheckpointId, Duration askTimeout) {
        this.delegate = delegate;
        this.admins = admins;
        this.alreadyCommitted = alreadyCommitted;
        this.restoredCheckpointId = restoredCheckpointId;
        this.askTimeout = askTimeout;
    }

    @Override
    public void commit(Collection<CommitRequest<KafkaCommittable>> requests) throws java.io.IOException, InterruptedException {
        List<CommitRequest<KafkaCommittable>> recovered = new ArrayList<>();
        List<CommitRequest<KafkaCommittable>> rest = new ArrayList<>();
        for (CommitRequest<KafkaCommittable> request : requests) {
            KafkaCommittable c = request.getCommittable();
            boolean restored = c.getProducer().isEmpty() && fromRestoredCheckpoint(c.getTransactionalId(), restoredCheckpointId);
            (restored ? recovered : rest).add(request);
        }
        if (!recovered.isEmpty()) {
            rest.addAll(settleProvenCommits(recovered));
        }
        if (!rest.isEmpty()) {
            delegate.commit(rest);
        }
    }

    /** Acknowledges the requests the broker shows committed; returns the others. */
    private List<CommitRequest<KafkaCommittable>> settleProvenCommits(List<CommitRequest<KafkaCommittable>> recovered)
            throws InterruptedException {
        Map<String, TransactionDescription> descriptions;
        short protocol;
        // A client for this question only: it is asked once per restore, so none stays connected.
        try (Admin admin = admins.get()) {
            List<String> ids = recovered.stream().map(r -> r.getCommittable().getTransactionalId()).distinct().toList();
            protocol = transactionProtocol(admin, askTimeout);
            descriptions = admin.describeTransactions(ids,
                    new DescribeTransactionsOptions().timeoutMs((int) askTimeout.toMillis()))
                    .all().get(askTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // Not knowing is not proof: Flink's committer decides, as it would without this check.
            LOG.info("Could not ask the broker about {} recovered transaction(s) before re-committing them ({}); "
                    + "Flink's committer handles them", recovered.size(), e.toString());
            return recovered;
        }
        List<CommitRequest<KafkaCommittable>> unproven = new ArrayList<>();
        for (CommitRequest<KafkaCommittable> request : recovered) {
            KafkaCommittable c = request.getCommittable();
            TransactionDescription d = descriptions.get(c.getTransactionalId());
            if (d != null && provenCommitted(c.getProducerId(), c.getEpoch(), d.state(), d.producerId(), d.producerEpoch(), protocol)) {
                LOG.info("Transaction {} (producer id {}, epoch {}) from the restored checkpoint was already committed "
                        + "before the restore (the broker shows it committed, epoch {}, transaction protocol {}): "
                        + "nothing to re-commit, no data lost", c.getTransactionalId(), c.getProducerId(), c.getEpoch(),
                        d.producerEpoch(), protocol);
                alreadyCommitted.inc();
                request.signalAlreadyCommitted();
            } else {
                if (d != null) {
                    LOG.info("Transaction {} (producer id {}, epoch {}) from the restored checkpoint: the broker shows {} "
                            + "(producer id {}, epoch {}), not proof of its commit; Flink's committer commits it",
                            c.getTransactionalId(), c.getProducerId(), c.getEpoch(), d.state(), d.producerId(), d.producerEpoch());
                }
                unproven.add(request);
            }
        }
        return unproven;
    }

    /**
     * Whether the coordinator's current view of a transactional id proves that the transaction
     * (producerId, epoch) was committed, under the cluster's finalized transaction protocol.
     *
     * <p>The state must be {@code CompleteCommit} under the same producer id. Its epoch is the
     * transaction's own when the commit was sent the protocol-1 way (a producer resumed from a
     * checkpoint, as Flink's committer does after a restore), or one above it when a protocol-2
     * producer committed (the writer's own producer, the usual case), which only a protocol-2
     * cluster allows. Everything that ends a transaction otherwise raises the epoch first and
     * shows another state or a later epoch: an abort by a protocol-2 producer or by the
     * coordinator's timeout ends in {@code CompleteAbort} one above; another producer taking the
     * id over bumps once to fence (twice if the transaction was still open) before committing
     * anything of its own.
     */
    static boolean provenCommitted(long producerId, short epoch, TransactionState state, long shownProducerId,
            int shownEpoch, short protocol) {
        if (state != TransactionState.COMPLETE_COMMIT || shownProducerId != producerId) {
            return false;
        }
        return shownEpoch == epoch || (protocol >= 2 && shownEpoch == epoch + 1);
    }

    /**
     * Whether a transaction belongs to the checkpoint the task was restored from or an earlier one:
     * its id's last part (the checkpoint id under the Kafka sink's incrementing naming) is at most
     * the restored checkpoint's. Nothing is, after a fresh start; an id whose last part is not a
     * number cannot be placed, and is taken as recovered (asking the broker is then only slower).
     */
    static boolean fromRestoredCheckpoint(String transactionalId, OptionalLong restoredCheckpointId) {
        if (restoredCheckpointId.isEmpty()) {
            return false;
        }
        try {
            long checkpoint = Long.parseLong(transactionalId.substring(transactionalId.lastIndexOf('-') + 1));
            return checkpoint <= restoredCheckpointId.getAsLong();
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** The cluster's finalized transaction.version (0 where the feature is not finalized). */
    static short transactionProtocol(Admin admin, Duration timeout) throws Exception {
        FeatureMetadata features = admin.describeFeatures().featureMetadata()
                .get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        FinalizedVersionRange range = features.finalizedFeatures().get("transaction.version");
        return range == null ? 0 : range.maxVersionLevel();
    }

    @Override
    public void close() throws Exception {
        delegate.close();
    }
}
