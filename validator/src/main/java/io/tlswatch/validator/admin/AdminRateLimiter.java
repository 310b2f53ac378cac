package io.tlswatch.validator.admin;

import io.tlswatch.contract.ratelimit.TokenBucket;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Requests per token: a {@link TokenBucket} per token id, {@code admin.api.requestsPerMinute} on average with
 * bursts of a tenth of that. Only authenticated tokens get a bucket, so the map is bounded by the tokens that
 * exist. Thread-safe.
 */
public final class AdminRateLimiter {

    private final int perMinute;
    private final LongSupplier nanoTime;
    private final Map<String, TokenBucket> buckets = new HashMap<>();

    /** @param perMinute requests a minute per token; 0 for no limit */
    public AdminRateLimiter(int perMinute, LongSupplier nanoTime) {
        if (perMinute < 0) {
            throw new IllegalArgumentException("perMinute must be 0 (no limit) or positive, was " + perMinute);
        }
        this.perMinute = perMinute;
        this.nanoTime = nanoTime;
    }

    /** Takes one request from the token's bucket: 0 when it may go ahead, else nanoseconds until it may. */
    public synchronized long take(String tokenId) {
        long now = nanoTime.getAsLong();
        return buckets.computeIfAbsent(tokenId, id -> TokenBucket.perMinute(perMinute, now)).take(1, now);
    }
}
