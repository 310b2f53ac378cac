package io.tlswatch.validator.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tlswatch.contract.event.LicenseCheckCode;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The license API's meters (docs/metrics.md): {@code tlswatch.license.checks} (tag {@code code}),
 * {@code tlswatch.license.validation.duration} (tag {@code code}, with a histogram for p50/p99),
 * {@code tlswatch.license.refusals} (tag {@code reason}: {@link RefusalReasons}) and {@code tlswatch.http.rejected}
 * (tag {@code reason}: the error code of a refused request).
 */
public final class ApiMetrics {

    /** The error codes of requests refused before any license was looked at ({@code tlswatch.http.rejected}). */
    public static final List<String> REJECTION_REASONS = List.of("malformed_json", "malformed_http",
            "head_too_large", "body_too_large", "not_found", "method_not_allowed", "unsupported_media_type",
            "invalid_field", "internal_error", "shutting_down");

    private final MeterRegistry registry;
    private final Map<LicenseCheckCode, Counter> checks = new EnumMap<>(LicenseCheckCode.class);
    private final Map<LicenseCheckCode, Timer> durations = new EnumMap<>(LicenseCheckCode.class);
    private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

    public ApiMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Registered up front so that every code is a series from the start (rates need a zero to start from).
        for (LicenseCheckCode code : LicenseCheckCode.values()) {
            checks.put(code, Counter.builder("tlswatch.license.checks").tag("code", code.name())
                    .description("License validations by outcome code").register(registry));
            durations.put(code, Timer.builder("tlswatch.license.validation.duration").tag("code", code.name())
                    .description("Time to answer a license validation, from request to response")
                    .publishPercentileHistogram().register(registry));
        }
        for (String reason : RefusalReasons.KNOWN) {
            refusals.put(reason, refusalCounter(reason));
        }
        REJECTION_REASONS.forEach(this::rejectionCounter);
    }

    public void checked(LicenseCheckCode code, Duration took) {
        checks.get(code).increment();
        durations.get(code).record(took);
    }

    /** A check refused for {@code reason}, one of {@link RefusalReasons#KNOWN}. */
    public void refused(String reason) {
        refusals.computeIfAbsent(reason, this::refusalCounter).increment();
    }

    private Counter refusalCounter(String reason) {
        return Counter.builder("tlswatch.license.refusals").tag("reason", reason)
                .description("Refused license validations by reason: the DPoP problem, else the code")
                .register(registry);
    }

    /** {@code reason} is one of the fixed error codes this API answers with. */
    public void rejected(String reason) {
        rejectionCounter(reason).increment();
    }

    private Counter rejectionCounter(String reason) {
        return rejected.computeIfAbsent(reason, r -> Counter.builder("tlswatch.http.rejected").tag("reason", r)
                .description("Requests refused as malformed, too large, of the wrong type or unknown")
                .register(registry));
    }
}
