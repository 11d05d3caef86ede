package org.okrtrl.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RestartCounterTest {
    @Test
    void sumsIncrementsAcrossJobManagerFailoversAndRestoredJobs() {
        RestartCounter c = new RestartCounter();
        for (long v : new long[] {0, 1, 1, 2, -1, 2}) {
            c.observe("a", v);
        }
        assertEquals(2, c.total());
        c.observe("a", 0); // a JobManager failover: the recovered JobMaster counts from 0
        c.observe("a", 1);
        assertEquals(3, c.total());
        c.observe("b", 0); // restored from a savepoint as a new job
        c.observe("b", 2);
        assertEquals(5, c.total());
    }

    @Test
    void aCounterThatRestartsAboveZeroIsStillCounted() {
        RestartCounter c = new RestartCounter();
        c.observe("a", 3);
        c.observe("a", 1);
        assertEquals(4, c.total());
    }
}
