package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Duration;
import java.time.Instant;

/**
 * One attempt to deliver an alert to a pager, as the dead letter records it.
 *
 * @param attempt    1 for the first attempt
 * @param time       when the attempt ended
 * @param outcome    how it ended
 * @param statusCode the HTTP status, when an answer came
 * @param message    what went wrong, for a person (a short excerpt of the answer, or the network error)
 * @param retryAfter the wait the target asked for ({@code Retry-After}), when it asked
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeliveryAttempt(int attempt, Instant time, DeliveryOutcome outcome, Integer statusCode, String message,
                              Duration retryAfter) {

    public DeliveryAttempt {
        if (attempt < 1) {
            throw new IllegalArgumentException("field 'attempt' must be at least 1, was " + attempt);
        }
        time = Fields.requiredMillis("time", time);
        Fields.required("outcome", outcome);
        if (statusCode != null && (statusCode < 100 || statusCode > 599)) {
            throw new IllegalArgumentException("field 'statusCode' must be an HTTP status, was " + statusCode);
        }
        Fields.optionalText("message", message);
        if (retryAfter != null && retryAfter.isNegative()) {
            throw new IllegalArgumentException("field 'retryAfter' must not be negative, was " + retryAfter);
        }
    }
}
