package org.okrtrl.core.random;

/**
 * The SplitMix64 generator (Steele, Lea, Flood, "Fast Splittable Pseudorandom Number
 * Generators", OOPSLA 2014) — the algorithm inside {@link java.util.SplittableRandom} — with its
 * 64-bit state exposed, so that a checkpoint can save and restore a learner's random stream
 * exactly. Not thread-safe; one instance per learner.
 */
public final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    public long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    public boolean nextBoolean() {
        return nextLong() < 0;
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    public long state() {
        return state;
    }

    public void setState(long state) {
        this.state = state;
    }
}
