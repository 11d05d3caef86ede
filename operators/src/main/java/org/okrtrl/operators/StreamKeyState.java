package org.okrtrl.operators;

import org.okrtrl.core.train.StreamState;

/**
 * What one stream key owns when all keys share one model: its stream state (hidden state,
 * influence factors or window, random stream) and its bookkeeping. Held in Flink keyed state
 * and serialised by {@link StreamKeyStateSerializer}; the model itself is operator state.
 */
public final class StreamKeyState extends StreamCounters {
    public final long keySeed;
    public final StreamState stream;

    public StreamKeyState(long keySeed, StreamState stream) {
        this.keySeed = keySeed;
        this.stream = stream;
    }
}
