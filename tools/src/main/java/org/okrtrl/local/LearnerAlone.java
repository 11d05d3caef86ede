package org.okrtrl.local;

import java.lang.management.ManagementFactory;
import org.okrtrl.core.train.LearnerSpec;
import org.okrtrl.core.train.SharedLearner;
import org.okrtrl.core.train.StreamState;
import org.okrtrl.job.config.JobConfig;

/**
 * The compute-only side of {@link PipelineBench}: the learner alone on the same number of
 * streams, as the job runs it (recording its own steps for the model topic, as the job's replica
 * does): events per second and CPU seconds per event. Each measurement continues the same
 * streams.
 */
final class LearnerAlone {
    private final SharedLearner learner;
    private final StreamState[] streams;
    private final int[][] symbols;
    private final long events;
    private long position;

    LearnerAlone(JobConfig job, int keys, long events) {
        this.events = events;
        LearnerSpec spec = job.learnerSpec();
        learner = spec.createShared(job.seed, job.batchEvents, true);
        streams = new StreamState[keys];
        symbols = new int[keys][];
        org.okrtrl.operators.Vocabulary vocabulary = job.vocabularyOrNull();
        for (int k = 0; k < keys; k++) {
            streams[k] = learner.newStream(LearnerSpec.streamSeed(k));
            String text = Corpus.generated(1000 + k).next(20_000);
            symbols[k] = text.codePoints().map(c -> {
                int index = vocabulary.lookup(new String(Character.toChars(c)));
                return index < 0 ? -1 - index : index;
            }).toArray();
        }
    }

    /** 3 s of warm-up, then min(events, 200,000) timed events: {events per second, CPU seconds per event}. */
    double[] measure() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long warmupEnd = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < warmupEnd) {
            step();
        }
        long n = Math.max(2_000, Math.min(events, 200_000));
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (long j = 0; j < n; j++) {
            step();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        return new double[] {n / seconds, cpu / n};
    }

    private void step() {
        int keys = streams.length;
        int k = (int) (position % keys);
        learner.observeSymbol(streams[k], symbols[k][(int) ((position / keys) % symbols[k].length)]);
        position++;
    }
}

