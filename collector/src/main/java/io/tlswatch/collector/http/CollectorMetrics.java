package io.tlswatch.collector.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.tlswatch.collector.ingest.Skip;
import io.tlswatch.collector.ingest.SkipReason;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The collector's meters (docs/metrics.md, section collector): {@code tlswatch.collector.reports} (tags
 * {@code format}: {@code native}, {@code nel} or {@code none} for a request to no endpoint; {@code outcome}:
 * {@code accepted}, {@code duplicate}, {@code ignored}, {@code skipped}, or the error code of a refused request),
 * {@code tlswatch.collector.nel.skipped} (tag {@code reason}: a {@link SkipReason}),
 * {@code tlswatch.collector.batch.size} (tag {@code format}) and {@code tlswatch.collector.ratelimit.hits}
 * (tag {@code limit}: {@code address} or {@code client}). Tag values come from fixed sets.
 */
public final class CollectorMetrics {

    public static final String NATIVE = "native";
    public static final String NEL = "nel";
    public static final String NONE = "none";

    /** The error codes a request to an endpoint (native or NEL) can be refused with. */
    public static final List<String> REFUSALS = List.of("malformed_json", "malformed_http", "head_too_large",
            "body_too_large", "not_found", "method_not_allowed", "unsupported_media_type", "invalid_report",
            "invalid_signature", "batch_too_large", "rate_limited", "kafka_timeout", "kafka_unavailable", "overloaded");
    /** Those a request can be refused with before its endpoint is known (format {@code none}). */
    public static final List<String> REFUSALS_BEFORE_ENDPOINT = List.of("malformed_http", "head_too_large",
            "body_too_large", "not_found");

    private final MeterRegistry registry;
    private final Map<String, Counter> reports = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> batchSizes = new ConcurrentHashMap<>();
    private final Map<String, Counter> rateLimitHits = new ConcurrentHashMap<>();
    private final Map<SkipReason, Counter> nelSkipped = new EnumMap<>(SkipReason.class);

    public CollectorMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Registered up front so that rates have a zero to start from.
        for (String format : new String[]{NATIVE, NEL}) {
            for (String outcome : new String[]{"accepted", "duplicate"}) {
                counter(format, outcome);
            }
            batchSize(format);
        }
        counter(NEL, "ignored");
        counter(NEL, "skipped");
        for (String code : REFUSALS) {
            counter(NATIVE, code);
            counter(NEL, code);
        }
        REFUSALS_BEFORE_ENDPOINT.forEach(code -> counter(NONE, code));
        for (SkipReason reason : SkipReason.values()) {
            nelSkipped.put(reason, Counter.builder("tlswatch.collector.nel.skipped").tag("reason", reason.tag())
                    .description("Items of NEL batches not stored, by reason").register(registry));
        }
        rateLimit("address");
        rateLimit("client");
    }

    /** {@code count} reports of {@code format} ended with {@code outcome}. */
    public void reports(String format, String outcome, int count) {
        if (count > 0) {
            counter(format, outcome).increment(count);
        }
    }

    /**
     * A request refused with error {@code code}: counted once, since a refused body may hold no countable
     * reports (malformed JSON, a wrong content type).
     */
    public void refused(String format, String code) {
        counter(format, code).increment();
    }

    /** Items of a NEL batch that were not stored, each counted by its reason. */
    public void nelSkipped(List<Skip> skips) {
        skips.forEach(skip -> nelSkipped.get(skip.reason()).increment());
    }

    public void batch(String format, int size) {
        batchSize(format).record(size);
    }

    public void rateLimited(String limit) {
        rateLimit(limit).increment();
    }

    private Counter counter(String format, String outcome) {
        return reports.computeIfAbsent(format + '|' + outcome, k -> Counter.builder("tlswatch.collector.reports")
                .tag("format", format).tag("outcome", outcome)
                .description("Reports by format and outcome; refused requests count once, by error code")
                .register(registry));
    }

    private DistributionSummary batchSize(String format) {
        return batchSizes.computeIfAbsent(format, f -> DistributionSummary.builder("tlswatch.collector.batch.size")
                .tag("format", f).description("Reports per accepted request")
                .serviceLevelObjectives(1, 10, 50, 100, 500).register(registry));
    }

    private Counter rateLimit(String limit) {
        return rateLimitHits.computeIfAbsent(limit, l -> Counter.builder("tlswatch.collector.ratelimit.hits")
                .tag("limit", l).description("Requests answered 429 by a rate limit").register(registry));
    }
}
