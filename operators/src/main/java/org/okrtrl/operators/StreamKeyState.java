package org.okrtrl.operators;

import org.okrtrl.core.Algorithm;
import org.okrtrl.core.train.StreamState;

/**
 * What one stream key owns when all keys share one model: its stream state (hidden state,
 * influence factors or window, random stream) and its bookkeeping. Held in Flink keyed state
 * and serialised by {@link StreamKeyStateSerializer}; the model itself is operator state.
 *
 * <p>The stream state belongs to one learning rule. After a restore that changed the rule
 * ({@code --algo}) it no longer fits and is dropped ({@link #stream} null or {@link #algorithm}
 * another rule's): the key keeps its counters and starts a fresh stream.
 */
public final class StreamKeyState extends StreamCounters {
    public final long keySeed;
    /** The stream's state; null when a restore dropped it. */
    public StreamState stream;
    /** The rule the stream state was written for; null: the current one. */
    final Algorithm algorithm;

    public StreamKeyState(long keySeed, StreamState stream) {
        this(keySeed, stream, null);
    }

    StreamKeyState(long keySeed, StreamState stream, Algorithm algorithm) {
        this.keySeed = keySeed;
        this.stream = stream;
        this.algorithm = algorithm;
    }

    /** Whether this key holds a stream state written for the given rule. */
    boolean hasStreamFor(Algorithm rule) {
        return stream != null && (algorithm == null || algorithm.equals(rule));
    }

    /**
     * Whether the stream's arrays have the element types of fresh (a stream of the job's learner):
     * false after a restore that changed the precision of r-OK's factors, when a state backend
     * kept the objects it read with the old specification.
     */
    boolean streamMatches(StreamState fresh) {
        return stream.floatStateArrays().length == fresh.floatStateArrays().length;
    }

    /** Copies this key's stream into fresh (modified), converting its arrays, and makes it the key's stream. */
    void convertStreamInto(StreamState fresh) {
        CanonicalArrays.copy(CanonicalArrays.of(stream), CanonicalArrays.of(fresh));
        fresh.restoreScalarState(stream.scalarState());
        stream = fresh;
    }
}
