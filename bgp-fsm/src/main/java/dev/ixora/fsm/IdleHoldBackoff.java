package dev.ixora.fsm;

import java.util.function.LongSupplier;

/**
 * The IdleHoldTimer of RFC 4271 section 8.1.1 ("DampPeerOscillations"): the delay before an automatic
 * restart after the session failed. It doubles with every failure up to a ceiling and falls back to
 * the initial value once a session has stayed Established for {@link #STABLE_MILLIS}.
 * One per peer, shared by the peer's connections; touched only on the peer's event loop.
 */
public final class IdleHoldBackoff {
    /** How long a session must stay up before a failure counts as the first one again. */
    public static final long STABLE_MILLIS = 60_000;

    private final int initialSeconds;
    private final int maxSeconds;
    private final LongSupplier clockMillis;
    private int nextSeconds;
    private long establishedAt = -1;

    public IdleHoldBackoff(int initialSeconds, int maxSeconds, LongSupplier clockMillis) {
        if (initialSeconds < 0 || maxSeconds < initialSeconds) throw new IllegalArgumentException("bad back-off range");
        this.initialSeconds = initialSeconds;
        this.maxSeconds = maxSeconds;
        this.clockMillis = clockMillis;
        this.nextSeconds = initialSeconds;
    }

    public void established() {
        establishedAt = clockMillis.getAsLong();
    }

    /** The delay for this failure; the next one will wait twice as long (up to the ceiling). */
    public int onFailure() {
        if (establishedAt >= 0 && clockMillis.getAsLong() - establishedAt >= STABLE_MILLIS) {
            nextSeconds = initialSeconds;
        }
        establishedAt = -1;
        int delay = nextSeconds;
        nextSeconds = (int) Math.min(maxSeconds, Math.max(1L, 2L * nextSeconds));
        return delay;
    }

    /** The delay the next failure will get. */
    public int peek() {
        return nextSeconds;
    }

    public void reset() {
        nextSeconds = initialSeconds;
        establishedAt = -1;
    }
}
