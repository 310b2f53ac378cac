package io.tlswatch.validator.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admin API's meters (docs/metrics.md), all registered at start: {@code tlswatch.admin.requests} (a timer,
 * tags {@code operation} and {@code outcome} = {@code ok}, {@code refused} (4xx) or {@code failed} (5xx)),
 * {@code tlswatch.admin.errors} (tag {@code code}), {@code tlswatch.admin.auth.failures} (tag {@code reason}) and
 * {@code tlswatch.admin.rate_limited}.
 */
public final class AdminMetrics {

    /** Every error code the admin API answers with. */
    public static final List<String> ERROR_CODES = List.of("unauthorized", "forbidden", "rate_limited", "not_found",
            "method_not_allowed", "malformed_json", "malformed_http", "head_too_large", "body_too_large",
            "unsupported_media_type", "invalid_field", "license_exists", "license_revoked", "policy_exists",
            "policy_in_use", "kafka_unavailable", "internal_error", "shutting_down");
    private static final List<String> OUTCOMES = List.of("ok", "refused", "failed");

    private final MeterRegistry registry;
    private final Map<String, Timer> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<AdminAuthenticator.Failure, Counter> authFailures = new ConcurrentHashMap<>();
    private final Counter rateLimited;

    public AdminMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String operation : AdminApi.OPERATIONS) {
            for (String outcome : OUTCOMES) {
                timer(operation, outcome);
            }
        }
        ERROR_CODES.forEach(this::errorCounter);
        for (AdminAuthenticator.Failure failure : AdminAuthenticator.Failure.values()) {
            authFailures.put(failure, Counter.builder("tlswatch.admin.auth.failures").tag("reason", failure.tag())
                    .description("Admin API requests without a valid token").register(registry));
        }
        rateLimited = Counter.builder("tlswatch.admin.rate_limited")
                .description("Admin API requests refused by the per-token rate limit (429)").register(registry);
    }

    public void answered(String operation, int status, Duration took) {
        String outcome = status >= 500 ? "failed" : status >= 400 ? "refused" : "ok";
        timer(operation, outcome).record(took);
    }

    public void error(String code) {
        errorCounter(code).increment();
    }

    public void authFailed(AdminAuthenticator.Failure failure) {
        authFailures.get(failure).increment();
    }

    public void rateLimited() {
        rateLimited.increment();
    }

    private Timer timer(String operation, String outcome) {
        return requests.computeIfAbsent(operation + "|" + outcome, k -> Timer.builder("tlswatch.admin.requests")
                .tag("operation", operation).tag("outcome", outcome)
                .description("Admin API requests by operation and outcome, with the time to answer")
                .register(registry));
    }

    private Counter errorCounter(String code) {
        return errors.computeIfAbsent(code, c -> Counter.builder("tlswatch.admin.errors").tag("code", c)
                .description("Admin API requests refused or failed, by error code").register(registry));
    }
}
