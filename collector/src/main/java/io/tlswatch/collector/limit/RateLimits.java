package io.tlswatch.collector.limit;

import io.tlswatch.collector.ingest.Candidate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The collector's two rate limits: requests per remote address (checked before the body is read, so a flood
 * costs little) and reports per client id (checked once the reports are decoded). NEL reports carry no
 * client id and are held by the address limit only.
 */
public final class RateLimits {

    /** Which limit a request hit, and when to retry. */
    public record Hit(String limit, long retryAfterSeconds) {
    }

    private final TokenBuckets perAddress;
    private final TokenBuckets perClient;

    public RateLimits(TokenBuckets perAddress, TokenBuckets perClient) {
        this.perAddress = perAddress;
        this.perClient = perClient;
    }

    /** One request from {@code address}; null when within the limit. */
    public Hit request(String address, long nowNanos) {
        long wait = perAddress.tryTake(address, 1, nowNanos);
        return wait == 0 ? null : new Hit("address", wait);
    }

    /** The reports of one request, per client id; null when every client is within its limit. */
    public Hit reports(List<Candidate> reports, long nowNanos) {
        Map<String, Integer> perClientCount = new LinkedHashMap<>();
        for (Candidate report : reports) {
            if (report.event().clientId() != null) {
                perClientCount.merge(report.event().clientId(), 1, Integer::sum);
            }
        }
        for (Map.Entry<String, Integer> entry : perClientCount.entrySet()) {
            long wait = perClient.tryTake(entry.getKey(), entry.getValue(), nowNanos);
            if (wait > 0) {
                return new Hit("client", wait);
            }
        }
        return null;
    }
}
