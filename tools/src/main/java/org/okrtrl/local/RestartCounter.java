package org.okrtrl.local;

/**
 * The job restarts a soak saw, from Flink's {@code numRestarts} polled about once a second. The
 * metric belongs to the JobMaster: after a JobManager failover the recovered job counts from 0
 * again, and a job restored from a savepoint is a new job; this sums the increments across both.
 * A lower bound: restarts between two polls that a failover then hides are not counted.
 */
final class RestartCounter {
    private long total;
    private long last;
    private String job;

    /** One reading of numRestarts for jobId (negative: not available, ignored). */
    void observe(String jobId, long numRestarts) {
        if (numRestarts < 0) {
            return;
        }
        if (!jobId.equals(job)) {
            job = jobId;
            last = 0;
        }
        total += numRestarts >= last ? numRestarts - last : numRestarts;
        last = numRestarts;
    }

    long total() {
        return total;
    }
}
