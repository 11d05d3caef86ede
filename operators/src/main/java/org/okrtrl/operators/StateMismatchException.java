package org.okrtrl.operators;

import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * The restored state does not fit the job's configuration (another model shape, another shared
 * model). Restarting cannot help, so Flink's failover does not retry it: the job fails once, with
 * this message at the top of its exception history.
 */
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public final class StateMismatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StateMismatchException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether e (or a cause of it) is Flink's refusal to read keyed state with an incompatible serializer. */
    static boolean isIncompatibleState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.flink.util.StateMigrationException) {
                return true;
            }
        }
        return false;
    }

    /** The exception for a restore whose keyed state was written for other settings. */
    static StateMismatchException keyedState(String what, Exception e) {
        return new StateMismatchException("the restored " + what + " cannot be read with this job's settings: it was "
                + "written for another model shape (--cell, --hidden, the vocabulary or --real-inputs/--real-outputs); "
                + "restore with the settings it was written with, or start the job without state; " + e.getMessage(), e);
    }
}
