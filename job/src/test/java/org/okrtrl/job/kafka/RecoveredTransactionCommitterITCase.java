package org.okrtrl.job.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.internal.FlinkKafkaInternalProducer;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.okrtrl.embedded.EmbeddedKafka;
import org.okrtrl.embedded.KafkaTestSupport;

/**
 * Recovered transactions against a real broker: only a transaction the broker shows committed is
 * acknowledged without a re-commit; every other one (still open, aborted, taken over by another
 * producer, or when the broker cannot be asked) goes to the wrapped committer, as it would
 * without the check, and an open one is then committed and read.
 */
class RecoveredTransactionCommitterITCase {
    private static final String TOPIC = "recovered-transactions";
    private static final String OPEN_TOPIC = "recovered-open-transaction";
    private static EmbeddedKafka broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedKafka.start();
        broker.createTopics(1, TOPIC, OPEN_TOPIC);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void aTransactionItsWriterCommittedBeforeTheRestoreIsAcknowledgedWithoutReCommitting() throws Exception {
        FlinkKafkaInternalProducer<byte[], byte[]> writer = writeAndPrecommit("committed", "a");
        KafkaCommittable recovered = recovered(writer);
        writer.commitTransaction();
        writer.close(Duration.ofSeconds(5));
        assertAcknowledgedWithoutReCommit(commitRecovered(recovered, broker.bootstrapServers()));
    }

    @Test
    void aTransactionCommittedByAResumedProducerIsAcknowledgedToo() throws Exception {
        FlinkKafkaInternalProducer<byte[], byte[]> writer = writeAndPrecommit("committed-resumed", "h");
        KafkaCommittable recovered = recovered(writer);
        // The writer's run failed: its producer is gone without aborting (a zero-timeout close does
        // not abort), so it cannot re-initialise the transactional id behind the resumed commit.
        writer.close(Duration.ZERO);
        commitAsThePreviousRunDid(recovered);
        assertAcknowledgedWithoutReCommit(commitRecovered(recovered, broker.bootstrapServers()));
    }

    @Test
    void anOpenTransactionGoesToTheCommitterAndIsCommitted() throws Exception {
        KafkaCommittable recovered = recovered(writeAndPrecommit("open", OPEN_TOPIC, "b"));
        Outcome outcome = commitRecovered(recovered, broker.bootstrapServers());
        assertFalse(outcome.request.alreadyCommitted);
        assertEquals(List.of(recovered.getTransactionalId()), outcome.delegated);
        assertEquals(0, outcome.counter.getCount());
        List<KafkaTestSupport.Output> read = KafkaTestSupport.readCommitted(broker.bootstrapServers(), OPEN_TOPIC, 1,
                Duration.ofSeconds(30));
        assertEquals(List.of("b"), read.stream().map(KafkaTestSupport.Output::key).toList(),
                "the delegate committed the open transaction");
    }

    @Test
    void anAbortedTransactionIsNotTakenForCommitted() throws Exception {
        FlinkKafkaInternalProducer<byte[], byte[]> producer = writeAndPrecommit("aborted", "c");
        KafkaCommittable recovered = recovered(producer);
        producer.abortTransaction();
        producer.close(Duration.ofSeconds(5));
        Outcome outcome = commitRecovered(recovered, broker.bootstrapServers());
        assertFalse(outcome.request.alreadyCommitted);
        assertEquals(List.of(recovered.getTransactionalId()), outcome.delegated);
    }

    @Test
    void aTransactionTakenOverByAnotherProducerIsNotTakenForCommittedEvenIfThatOneCommitted() throws Exception {
        FlinkKafkaInternalProducer<byte[], byte[]> first = writeAndPrecommit("taken-over", "d");
        KafkaCommittable recovered = recovered(first);
        // A second producer with the same transactional id fences the first (aborting its open
        // transaction) and commits a transaction of its own.
        FlinkKafkaInternalProducer<byte[], byte[]> second = writeAndPrecommit("taken-over", "e");
        second.commitTransaction();
        second.close(Duration.ofSeconds(5));
        first.close(Duration.ofSeconds(1));
        Outcome outcome = commitRecovered(recovered, broker.bootstrapServers());
        assertFalse(outcome.request.alreadyCommitted, "another transaction's commit is no proof");
        assertEquals(List.of(recovered.getTransactionalId()), outcome.delegated);
    }

    @Test
    void aBrokerThatCannotBeAskedLeavesTheDecisionToTheCommitter() throws Exception {
        KafkaCommittable recovered = recovered(writeAndPrecommit("unreachable", "f"));
        commitAsThePreviousRunDid(recovered);
        Outcome outcome = commitRecovered(recovered, "127.0.0.1:1");
        assertFalse(outcome.request.alreadyCommitted);
        assertEquals(List.of(recovered.getTransactionalId()), outcome.delegated);
    }

    @Test
    void freshTransactionsGoStraightToTheCommitter() throws Exception {
        FlinkKafkaInternalProducer<byte[], byte[]> producer = writeAndPrecommit("fresh", "g");
        Outcome outcome = commitRecovered(KafkaCommittable.of(producer), "127.0.0.1:1");
        assertEquals(List.of(producer.getTransactionalId()), outcome.delegated);
    }

    @Test
    void onlyCompleteCommitAtTheCommitsEpochIsProof() {
        var commit = org.apache.kafka.clients.admin.TransactionState.COMPLETE_COMMIT;
        var abort = org.apache.kafka.clients.admin.TransactionState.COMPLETE_ABORT;
        var empty = org.apache.kafka.clients.admin.TransactionState.EMPTY;
        // A protocol-2 commit raises the epoch; a protocol-1 commit does not.
        assertTrue(RecoveredTransactionCommitter.provenCommitted(7, (short) 3, commit, 7, 4, (short) 2));
        assertTrue(RecoveredTransactionCommitter.provenCommitted(7, (short) 3, commit, 7, 3, (short) 2));
        assertTrue(RecoveredTransactionCommitter.provenCommitted(7, (short) 3, commit, 7, 3, (short) 1));
        assertFalse(RecoveredTransactionCommitter.provenCommitted(7, (short) 3, commit, 7, 5, (short) 2));
        assertFalse(RecoveredTransactionCommitter.provenCommitted(7, (short) 3, commit, 7, 4, (short) 1));
        assertFalse(RecoveredTransactionCommitter.provenCommitted(7, (short) 3, commit, 8, 4, (short) 2));
        assertFalse(RecoveredTransactionCommitter.provenCommitted(7, (short) 3, abort, 7, 4, (short) 2));
        assertFalse(RecoveredTransactionCommitter.provenCommitted(7, (short) 3, empty, 7, 4, (short) 2));
    }

    private static void assertAcknowledgedWithoutReCommit(Outcome outcome) {
        assertTrue(outcome.request.alreadyCommitted, "acknowledged as already committed");
        assertEquals(List.of(), outcome.delegated, "nothing re-committed");
        assertEquals(1, outcome.counter.getCount());
    }

    private record Outcome(RecordingCommitRequest request, List<String> delegated, SimpleCounter counter) {}

    /** Runs one request through the check, with a delegate that commits as Flink's committer does. */
    private static Outcome commitRecovered(KafkaCommittable committable, String bootstrap) throws Exception {
        List<String> delegated = new ArrayList<>();
        Committer<KafkaCommittable> delegate = new Committer<>() {
            @Override
            public void commit(java.util.Collection<CommitRequest<KafkaCommittable>> requests) {
                for (CommitRequest<KafkaCommittable> r : requests) {
                    delegated.add(r.getCommittable().getTransactionalId());
                    if (r.getCommittable().getProducer().isEmpty() && bootstrap.equals(broker.bootstrapServers())) {
                        try (var p = producer(r.getCommittable().getTransactionalId())) {
                            p.resumeTransaction(r.getCommittable().getProducerId(), r.getCommittable().getEpoch());
                            p.commitTransaction();
                        } catch (RuntimeException e) {
                            r.signalFailedWithKnownReason(e);
                        }
                    }
                }
            }

            @Override
            public void close() {}
        };
        Properties admin = new Properties();
        admin.setProperty("bootstrap.servers", bootstrap);
        admin.setProperty("request.timeout.ms", "2000");
        admin.setProperty("default.api.timeout.ms", "3000");
        SimpleCounter counter = new SimpleCounter();
        RecordingCommitRequest request = new RecordingCommitRequest(committable);
        // Restored from a checkpoint: the test's transactional ids carry none, so every one counts as recovered.
        try (RecoveredTransactionCommitter committer = new RecoveredTransactionCommitter(delegate, () -> Admin.create(admin),
                counter, java.util.OptionalLong.of(1), Duration.ofSeconds(3))) {
            committer.commit(List.of(request));
        }
        return new Outcome(request, delegated, counter);
    }

    private static FlinkKafkaInternalProducer<byte[], byte[]> writeAndPrecommit(String id, String key) {
        return writeAndPrecommit(id, TOPIC, key);
    }

    private static FlinkKafkaInternalProducer<byte[], byte[]> writeAndPrecommit(String id, String topic, String key) {
        FlinkKafkaInternalProducer<byte[], byte[]> producer = producer("okrtrl-test-" + id);
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, key.getBytes(), key.getBytes()));
        producer.flush();
        return producer;
    }

    /** What a checkpoint stores of a transaction: its ids, without the producer. */
    private static KafkaCommittable recovered(FlinkKafkaInternalProducer<byte[], byte[]> producer) {
        return new KafkaCommittable(producer.getProducerId(), producer.getEpoch(), producer.getTransactionalId(), null);
    }

    private static void commitAsThePreviousRunDid(KafkaCommittable committable) {
        try (var p = producer(committable.getTransactionalId())) {
            p.resumeTransaction(committable.getProducerId(), committable.getEpoch());
            p.commitTransaction();
        }
    }

    private static FlinkKafkaInternalProducer<byte[], byte[]> producer(String transactionalId) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", broker.bootstrapServers());
        p.setProperty("key.serializer", ByteArraySerializer.class.getName());
        p.setProperty("value.serializer", ByteArraySerializer.class.getName());
        p.setProperty("transaction.timeout.ms", "60000");
        return new FlinkKafkaInternalProducer<>(p, transactionalId);
    }
}
