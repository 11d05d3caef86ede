package org.okrtrl.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.okrtrl.job.config.JobConfig;

/**
 * A shared model at parallelism 2 learns about as well as at parallelism 1 from the same input,
 * through the whole pipeline at the job's defaults for replication (--merge auto, an exchange every
 * --model-sync-every events). Calibration, 200,000 events of the built-in text over 16 keys, ok:4
 * RHN n = 32, tail bits per character: parallelism 1 0.283; parallelism 2 0.282-0.286 with the
 * scaled mean and held-back steps (the default since release 0.3), 0.339-0.358 with the sum of
 * the replicas' steps (the default before it) and 0.441 with the sum exchanged at checkpoints
 * only. The bound 0.04 lies between them: six times the largest gap measured, and the earlier rule
 * breaks it. At the narrow models' rate of 1.78 x 10^-3 (the default since docs/RESULTS.md 0n):
 * parallelism 1 0.274, parallelism 2 0.284 and 0.286.
 */
class ParallelismGapITCase {
    private static final double BOUND = 0.04;

    @TempDir
    Path tmp;

    @Test
    void twoReplicasEndWithinTheBoundOfOne() throws Exception {
        double one = tailBits(1);
        double two = tailBits(2);
        assertTrue(two - one < BOUND, "tail bits per character: parallelism 1 " + one + ", parallelism 2 " + two);
    }

    private double tailBits(int parallelism) throws Exception {
        JobConfig job = JobConfig.fromArgs("--algo", "ok:4", "--cell", "rhn", "--hidden", "32",
                "--parallelism", Integer.toString(parallelism));
        LocalPipeline.Summary summary = new LocalPipeline(new LocalPipeline.Options(job, null, 200_000, 16, 40, 0.0,
                tmp.resolve("summary-" + parallelism + ".json"), new PrintStream(OutputStream.nullOutputStream())))
                .run();
        assertEquals(summary.eventsIn(), summary.predictionsOut(), "one prediction per event");
        assertTrue(summary.tailSteps() >= 10_000, "tail of " + summary.tailSteps() + " steps");
        return summary.bitsTail();
    }
}
