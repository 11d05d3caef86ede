package org.okrtrl.operators;

import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * A setting that cannot work where the job runs (a key file that is missing or invalid). Restarting
 * cannot fix it, so Flink's failover does not retry: the job fails once, with this message.
 */
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public final class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
