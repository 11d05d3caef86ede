package org.okrtrl.job.export;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.okrtrl.job.OkrtrlJob;
import org.okrtrl.operators.SharedTrainingOperator;
import org.okrtrl.operators.replication.ModelUpdate;
import org.okrtrl.operators.replication.ModelUpdateCodec;
import org.okrtrl.operators.replication.Replica;
import org.okrtrl.operators.replication.StoredReplica;

/**
 * Reads the shared model's replicas from a savepoint, and the updates on a model topic, and
 * says whether they agree: the replicas' parameters, and each replica's ledger against the set
 * of updates the topic holds.
 */
public final class SharedModelReader {
    private SharedModelReader() {}

    /** Every instance's replica stored in the savepoint (the training operator's union state). */
    public static List<StoredReplica> replicas(String savepoint) throws Exception {
        StreamExecutionEnvironment env = SavepointEnvironments.forModels();
        SavepointReader reader = SavepointReader.read(env, savepoint, new HashMapStateBackend());
        List<StoredReplica> out = new ArrayList<>();
        try (CloseableIterator<byte[]> it = reader
                .readUnionState(OperatorIdentifier.forUid(OkrtrlJob.TRAINING_UID),
                        SharedTrainingOperator.MODEL_STATE_NAME, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .executeAndCollect("read shared model")) {
            while (it.hasNext()) {
                out.add(StoredReplica.read(it.next()));
            }
        }
        // The union state is handed to every reader: keep one copy of each origin's replica.
        TreeMap<Long, StoredReplica> byOrigin = new TreeMap<>();
        for (StoredReplica s : out) {
            byOrigin.putIfAbsent(s.origin(), s);
        }
        return new ArrayList<>(byOrigin.values());
    }

    /** max_i |a_i - b_i| / max_i max(|a_i|, |b_i|) over W and V of every pair of replicas. */
    public static double maxRelativeDifference(List<StoredReplica> replicas) {
        double diff = 0;
        double scale = 0;
        for (StoredReplica a : replicas) {
            for (StoredReplica b : replicas) {
                for (int g = 0; g < 2; g++) {
                    double[] x = a.modelArrays()[g];
                    double[] y = b.modelArrays()[g];
                    for (int i = 0; i < x.length; i++) {
                        diff = Math.max(diff, Math.abs(x[i] - y[i]));
                        scale = Math.max(scale, Math.max(Math.abs(x[i]), Math.abs(y[i])));
                    }
                }
            }
        }
        return scale == 0 ? 0 : diff / scale;
    }

    /** Every committed update on the topic: origin -> its sequence numbers, in topic order. */
    public static Map<Long, List<Long>> committedUpdates(String bootstrap, String topic, String fingerprint,
            int lengthW, int lengthV, Duration quiet) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "model-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(64 << 20));
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(64 << 20));
        ModelUpdateCodec codec = new ModelUpdateCodec(fingerprint, lengthW, lengthV);
        Map<Long, List<Long>> out = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < quiet.toNanos()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    quietSince = System.nanoTime();
                    ModelUpdate u = codec.decode(r.value()).update();
                    if (u != null) {
                        out.computeIfAbsent(u.origin(), o -> new ArrayList<>()).add(u.seq());
                    }
                }
            }
        }
        return out;
    }

    /**
     * Problems with the ledger property, empty when it holds: the topic holds 1..highest once each
     * per origin, and every replica applied exactly the topic's updates except those its restores
     * rolled back (beyond an earlier origin's closing number).
     */
    public static List<String> ledgerProblems(List<StoredReplica> replicas, Map<Long, List<Long>> topic) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<Long, List<Long>> e : topic.entrySet()) {
            List<Long> seqs = e.getValue();
            TreeSet<Long> distinct = new TreeSet<>(seqs);
            if (distinct.size() != seqs.size() || distinct.first() != 1 || distinct.last() != seqs.size()) {
                problems.add("origin " + e.getKey() + " on the topic: " + seqs);
            }
        }
        for (StoredReplica r : replicas) {
            // What the replica must hold: every update on the topic except those a restore rolled back.
            Map<Long, Long> expected = new java.util.TreeMap<>();
            for (Map.Entry<Long, List<Long>> e : topic.entrySet()) {
                long count = e.getValue().size();
                if (Replica.epochOf(e.getKey()) < Replica.epochOf(r.origin())) {
                    count = Math.min(count, r.closed().getOrDefault(e.getKey(), 0L));
                }
                if (count > 0) {
                    expected.put(e.getKey(), count);
                }
            }
            if (!r.ledger().keySet().equals(expected.keySet())) {
                problems.add("replica " + r.origin() + " ledger origins " + r.ledger().keySet() + " vs topic "
                        + expected.keySet() + " (rolled-back updates left out)");
                continue;
            }
            for (Map.Entry<Long, long[]> e : r.ledger().entrySet()) {
                long onTopic = expected.get(e.getKey());
                if (e.getValue()[0] != onTopic || e.getValue()[1] != onTopic) {
                    problems.add("replica " + r.origin() + " origin " + e.getKey() + ": highest " + e.getValue()[0]
                            + ", applied " + e.getValue()[1] + ", on topic " + onTopic);
                }
            }
        }
        return problems;
    }
}
