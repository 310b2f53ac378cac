package io.tlswatch.notifier.delivery;

/**
 * A per-target rate limit: {@code perMinute} deliveries a minute on average, with bursts up to a tenth of a
 * minute's worth (at least one). Not thread-safe: one target's dispatcher thread owns it.
 */
public final class TokenBucket {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    /** @param perMinute 0 for no limit */
    public TokenBucket(int perMinute, long nowNanos) {
        this.perNano = perMinute / 60e9;
        this.burst = perMinute == 0 ? Double.POSITIVE_INFINITY : Math.max(1, perMinute / 10.0);
        this.tokens = burst;
        this.last = nowNanos;
    }

    /** Takes a token and returns 0, or returns how many nanoseconds until one is there (taking nothing). */
    public long take(long nowNanos) {
        if (perNano == 0) {
            return 0;
        }
        tokens = Math.min(burst, tokens + (nowNanos - last) * perNano);
        last = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / perNano);
    }
}
