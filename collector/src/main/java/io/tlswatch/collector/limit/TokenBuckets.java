package io.tlswatch.collector.limit;

import io.tlswatch.contract.ratelimit.TokenBucket;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One token bucket per key (an address, a client id): {@code ratePerSecond} tokens a second, up to
 * {@code burst}. At most {@code maxKeys} buckets are kept, least recently used going first (a forgotten key
 * starts again with a full bucket, which errs on the side of accepting reports). Thread-safe.
 */
public final class TokenBuckets {

    private static final double NANOS_PER_SECOND = 1e9;

    private final double ratePerSecond;
    private final int burst;
    private final int maxKeys;
    private final LinkedHashMap<String, TokenBucket> buckets = new LinkedHashMap<>(256, 0.75f, true);

    public TokenBuckets(double ratePerSecond, int burst, int maxKeys) {
        if (ratePerSecond <= 0 || burst < 1 || maxKeys < 1) {
            throw new IllegalArgumentException("rate, burst and maxKeys must be positive");
        }
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.maxKeys = maxKeys;
    }

    /**
     * Takes {@code tokens} from {@code key}'s bucket if it holds them; returns 0 when taken, else how many whole
     * seconds (at least 1) until it will hold them, for {@code Retry-After}. A request for more than the burst is
     * answered as if for the burst, so that it can pass once the bucket is full.
     */
    public synchronized long tryTake(String key, int tokens, long nowNanos) {
        TokenBucket bucket = buckets.get(key);
        if (bucket == null) {
            bucket = new TokenBucket(ratePerSecond, burst, nowNanos);
            buckets.put(key, bucket);
            evict();
        }
        long waitNanos = bucket.take(tokens, nowNanos);
        return waitNanos == 0 ? 0 : Math.max(1, (long) Math.ceil(waitNanos / NANOS_PER_SECOND));
    }

    public synchronized int size() {
        return buckets.size();
    }

    private void evict() {
        Iterator<Map.Entry<String, TokenBucket>> it = buckets.entrySet().iterator();
        while (buckets.size() > maxKeys && it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
