package org.okrtrl.job.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.internal.TransactionalIdFactory;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * Which transactions the committer looks up on the broker: only those of the restored checkpoint
 * or earlier, never the ones this run wrote (the broker is not asked at every checkpoint).
 */
class RecoveredTransactionCommitterTest {
    private static final String PREFIX = "tx-1a2b3c4d-predictions";

    @Test
    void theCheckpointIsReadFromTheSinksOwnTransactionalIds() {
        String ofCheckpoint17 = TransactionalIdFactory.buildTransactionalId(PREFIX, 3, 17);
        assertTrue(RecoveredTransactionCommitter.fromRestoredCheckpoint(ofCheckpoint17, OptionalLong.of(17)));
        assertTrue(RecoveredTransactionCommitter.fromRestoredCheckpoint(ofCheckpoint17, OptionalLong.of(40)));
        assertFalse(RecoveredTransactionCommitter.fromRestoredCheckpoint(ofCheckpoint17, OptionalLong.of(16)));
        assertFalse(RecoveredTransactionCommitter.fromRestoredCheckpoint(ofCheckpoint17, OptionalLong.empty()));
        assertTrue(RecoveredTransactionCommitter.fromRestoredCheckpoint("someone-elses-id", OptionalLong.of(1)),
                "an id that names no checkpoint is asked about");
    }

    @Test
    void transactionsThisRunWroteAreCommittedWithoutAskingTheBroker() throws Exception {
        Routed routed = commit(OptionalLong.of(5), 6, 7, 8);
        assertEquals(0, routed.adminsCreated.get(), "no admin client for this run's transactions");
        assertEquals(List.of(id(6), id(7), id(8)), routed.delegated);
        Routed fresh = commit(OptionalLong.empty(), 1, 2);
        assertEquals(0, fresh.adminsCreated.get(), "nothing is recovered after a fresh start");
        assertEquals(List.of(id(1), id(2)), fresh.delegated);
    }

    @Test
    void transactionsOfTheRestoredCheckpointAreAskedAboutOnceAndThenCommittedIfNotProven() throws Exception {
        Routed routed = commit(OptionalLong.of(5), 4, 5, 6);
        assertEquals(1, routed.adminsCreated.get(), "one question for both recovered transactions");
        // The broker could not be asked (the supplier fails): Flink's committer decides, for all three.
        assertEquals(List.of(id(6), id(4), id(5)), routed.delegated);
    }

    private static String id(long checkpoint) {
        return TransactionalIdFactory.buildTransactionalId(PREFIX, 0, checkpoint);
    }

    private record Routed(AtomicInteger adminsCreated, List<String> delegated) {}

    private static Routed commit(OptionalLong restored, long... checkpoints) throws Exception {
        AtomicInteger adminsCreated = new AtomicInteger();
        List<String> delegated = new ArrayList<>();
        Committer<KafkaCommittable> delegate = new Committer<>() {
            @Override
            public void commit(Collection<CommitRequest<KafkaCommittable>> requests) {
                requests.forEach(r -> delegated.add(r.getCommittable().getTransactionalId()));
            }

            @Override
            public void close() {}
        };
        java.util.function.Supplier<Admin> admins = () -> {
            adminsCreated.incrementAndGet();
            throw new IllegalStateException("no broker in this test");
        };
        List<Committer.CommitRequest<KafkaCommittable>> requests = new ArrayList<>();
        for (long c : checkpoints) {
            requests.add(new RecordingCommitRequest(new KafkaCommittable(100 + c, (short) 0, id(c), null)));
        }
        try (RecoveredTransactionCommitter committer = new RecoveredTransactionCommitter(delegate, admins,
                new SimpleCounter(), restored)) {
            committer.commit(requests);
        }
        return new Routed(adminsCreated, delegated);
    }
}
