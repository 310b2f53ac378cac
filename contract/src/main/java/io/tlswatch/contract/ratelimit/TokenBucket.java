package io.tlswatch.contract.ratelimit;

/**
 * A token bucket: refills at a steady rate up to a burst, and a caller takes tokens from it or learns how long
 * until they are there. Time is passed in ({@link System#nanoTime()} in production) so that tests need no clock.
 * Not thread-safe: its owner serialises the calls.
 */
public final class TokenBucket {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    /**
     * A full bucket.
     *
     * @param perSecond tokens added a second; positive, or {@link Double#POSITIVE_INFINITY} for no limit
     * @param burst     tokens held at most; at least 1
     */
    public TokenBucket(double perSecond, double burst, long nowNanos) {
        if (!(perSecond > 0) || !(burst >= 1)) {
            throw new IllegalArgumentException("rate must be positive and burst at least 1, were " + perSecond
                    + " and " + burst);
        }
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    /**
     * {@code perMinute} a minute on average, with bursts up to a tenth of a minute's worth (at least one), so that
     * a short spike passes at once but a sustained one is spread out; 0 for no limit.
     */
    public static TokenBucket perMinute(int perMinute, long nowNanos) {
        if (perMinute < 0) {
            throw new IllegalArgumentException("perMinute must be 0 (no limit) or positive, was " + perMinute);
        }
        return perMinute == 0 ? new TokenBucket(Double.POSITIVE_INFINITY, 1, nowNanos)
                : new TokenBucket(perMinute / 60.0, Math.max(1, perMinute / 10.0), nowNanos);
    }

    /**
     * Takes {@code wanted} tokens and returns 0, or returns how many nanoseconds until they are there (at least 1),
     * taking nothing. A request for more than the burst is answered as if for the burst, so that it can pass once
     * the bucket is full.
     */
    public long take(double wanted, long nowNanos) {
        if (Double.isInfinite(perNano)) {
            return 0;
        }
        double needed = Math.min(wanted, burst);
        tokens = Math.min(burst, tokens + (nowNanos - last) * perNano);
        last = nowNanos;
        if (tokens >= needed) {
            tokens -= needed;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((needed - tokens) / perNano));
    }
}
