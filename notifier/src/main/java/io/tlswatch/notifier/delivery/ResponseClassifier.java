package io.tlswatch.notifier.delivery;

import io.tlswatch.contract.event.DeliveryOutcome;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * Turns an answer or a failure into a {@link Verdict}: 2xx accepted; 408 and 5xx a server error and 429 rate
 * limited, both retried ({@code Retry-After} read); any other status refused for good; a timeout or I/O error
 * retried.
 */
public final class ResponseClassifier {

    /** Enough of an answer's body to tell what went wrong, short enough for a log line and a dead letter. */
    static final int MAX_MESSAGE = 300;

    public Verdict classify(int status, Optional<String> retryAfterHeader, String body, Instant now) {
        String message = excerpt(body);
        if (status >= 200 && status < 300) {
            return new Verdict(DeliveryOutcome.ACCEPTED, status, null, null);
        }
        Duration retryAfter = retryAfterHeader.flatMap(h -> RetryAfter.parse(h, now)).orElse(null);
        if (status == 429) {
            return new Verdict(DeliveryOutcome.RATE_LIMITED, status, message, retryAfter);
        }
        if (status == 408 || status >= 500) {
            return new Verdict(DeliveryOutcome.SERVER_ERROR, status, message, retryAfter);
        }
        return new Verdict(DeliveryOutcome.REJECTED, status, message, null);
    }

    public Verdict classify(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String message = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        if (cause instanceof HttpTimeoutException || cause instanceof java.util.concurrent.TimeoutException) {
            return new Verdict(DeliveryOutcome.TIMEOUT, null, excerpt(message), null);
        }
        if (cause instanceof IOException) {
            return new Verdict(DeliveryOutcome.NETWORK_ERROR, null, excerpt(message), null);
        }
        // Anything else is a bug or a refused request (an invalid URI, say): sending it again would not help.
        return new Verdict(DeliveryOutcome.REJECTED, null, excerpt(message), null);
    }

    static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        String line = body.strip().replaceAll("\\s+", " ");
        return line.length() <= MAX_MESSAGE ? line : line.substring(0, MAX_MESSAGE) + "…";
    }
}
