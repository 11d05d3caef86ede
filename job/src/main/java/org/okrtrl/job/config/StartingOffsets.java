package org.okrtrl.job.config;

/** Where the job starts reading its input topic when it has no state. */
public enum StartingOffsets {
    /** The consumer group's committed offsets, falling back to the earliest. */
    COMMITTED,
    EARLIEST,
    LATEST
}
