package io.tlswatch.notifier.delivery;

import io.tlswatch.contract.event.DeliveryOutcome;

import java.time.Duration;

/**
 * What one attempt's result means.
 *
 * @param outcome    how it ended
 * @param statusCode the HTTP status, or null when no answer came
 * @param message    a short excerpt for a person, or null
 * @param retryAfter the wait the target asked for, or null
 */
public record Verdict(DeliveryOutcome outcome, Integer statusCode, String message, Duration retryAfter) {

    public boolean accepted() {
        return outcome == DeliveryOutcome.ACCEPTED;
    }

    /** Whether sending again may succeed: network errors, timeouts, 5xx, 408 and 429. */
    public boolean retryable() {
        return switch (outcome) {
            case SERVER_ERROR, RATE_LIMITED, TIMEOUT, NETWORK_ERROR -> true;
            case ACCEPTED, REJECTED -> false;
        };
    }
}
