package io.tlswatch.notifier.delivery;

import io.tlswatch.contract.event.DeliveryOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseClassifierTest {

    private static final Instant NOW = Instant.parse("2025-03-14T09:26:53Z");
    private final ResponseClassifier classifier = new ResponseClassifier();

    @ParameterizedTest
    @ValueSource(ints = {200, 202, 204})
    void twoHundredsAreAccepted(int status) {
        assertThat(classifier.classify(status, Optional.empty(), "", NOW).accepted()).isTrue();
    }

    @Test
    void tooManyRequestsIsRetriedAfterTheWaitAsked() {
        Verdict verdict = classifier.classify(429, Optional.of("7"), "{\"status\":\"throttle event\"}", NOW);

        assertThat(verdict.outcome()).isEqualTo(DeliveryOutcome.RATE_LIMITED);
        assertThat(verdict.retryable()).isTrue();
        assertThat(verdict.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(verdict.message()).contains("throttle event");
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 500, 502, 503, 504})
    void requestTimeoutAndServerErrorsAreRetried(int status) {
        Verdict verdict = classifier.classify(status, Optional.empty(), "", NOW);

        assertThat(verdict.outcome()).isEqualTo(DeliveryOutcome.SERVER_ERROR);
        assertThat(verdict.retryable()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 400, 401, 403, 404, 410, 413, 422})
    void otherStatusesAreRefusedForGood(int status) {
        Verdict verdict = classifier.classify(status, Optional.of("5"), "invalid_payload", NOW);

        assertThat(verdict.outcome()).isEqualTo(DeliveryOutcome.REJECTED);
        assertThat(verdict.retryable()).isFalse();
        assertThat(verdict.retryAfter()).isNull();
        assertThat(verdict.message()).isEqualTo("invalid_payload");
    }

    @Test
    void timeoutsAndNetworkErrorsAreRetried() {
        assertThat(classifier.classify(new CompletionException(new HttpTimeoutException("request timed out"))).outcome())
                .isEqualTo(DeliveryOutcome.TIMEOUT);
        assertThat(classifier.classify(new ConnectException("Connection refused")).outcome())
                .isEqualTo(DeliveryOutcome.NETWORK_ERROR);
        assertThat(classifier.classify(new IOException("closed")).retryable()).isTrue();
        assertThat(classifier.classify(new CompletionException(new java.util.concurrent.TimeoutException())).outcome())
                .as("a body that never ends").isEqualTo(DeliveryOutcome.TIMEOUT);
    }

    @Test
    void aLongBodyIsCutToAShortMessage() {
        Verdict verdict = classifier.classify(500, Optional.empty(), "x".repeat(10_000), NOW);

        assertThat(verdict.message()).hasSizeLessThanOrEqualTo(ResponseClassifier.MAX_MESSAGE + 1);
    }
}
