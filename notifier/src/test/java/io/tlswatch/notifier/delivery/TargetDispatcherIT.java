package io.tlswatch.notifier.delivery;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlswatch.contract.event.AlertDeadLetter;
import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.DeadLetterReason;
import io.tlswatch.notifier.Alerts;
import io.tlswatch.notifier.config.DeliverySettings;
import io.tlswatch.notifier.config.SecretValue;
import io.tlswatch.notifier.config.TargetKind;
import io.tlswatch.notifier.fake.Apis;
import io.tlswatch.notifier.fake.FakeApi.Answer;
import io.tlswatch.notifier.fake.FakeApi;
import io.tlswatch.notifier.destination.Endpoint;
import io.tlswatch.notifier.destination.WebhookDestination;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One target's dispatcher against a local webhook receiver, without Kafka. */
class TargetDispatcherIT {

    private static final String KEY = "dispatcher-it-key";
    private static final DeliverySettings FAST = new DeliverySettings(3, Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofSeconds(5));

    private final FakeApi hook = FakeApi.start(Apis.signedWebhook(KEY));
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AlertDeadLetter> stored = new CopyOnWriteArrayList<>();
    private final AtomicInteger refusals = new AtomicInteger();
    private TargetDispatcher dispatcher;

    /** Dead letters kept in memory; the first {@code refusals} publications fail as a broker away would. */
    private final DeadLetters deadLetters = letter -> {
        if (refusals.getAndDecrement() > 0) {
            return CompletableFuture.failedFuture(new org.apache.kafka.common.errors.TimeoutException("broker away"));
        }
        stored.add(letter);
        return CompletableFuture.completedFuture(null);
    };

    private TargetDispatcher dispatcher(int ratePerMinute, Duration timeout) {
        WebhookDestination target = new WebhookDestination(new Endpoint("hook", TargetKind.WEBHOOK,
                hook.uri("/hook"), timeout),
                new SecretValue(KEY), Clock.systemUTC());
        dispatcher = new TargetDispatcher(target, http, FAST, FAST.maxAttempts(), ratePerMinute, 100, deadLetters,
                new SimpleMeterRegistry(), "notifier@it", Clock.systemUTC(), new Random(1));
        return dispatcher;
    }

    @AfterEach
    void close() {
        if (dispatcher != null) {
            dispatcher.close();
        }
        hook.close();
    }

    @Test
    void theRateLimitSpacesRequestsOnceTheBurstIsSpentAndKeepsTheOrder() {
        // given 120 a minute: a burst of 12, then one every half second
        TargetDispatcher dispatcher = dispatcher(120, Duration.ofSeconds(5));
        List<AlertEvent> alerts = IntStream.range(0, 14).mapToObj(i -> Alerts.firing("inst-rate-" + i)).toList();
        AtomicInteger done = new AtomicInteger();

        // when 14 alerts are handed over at once
        alerts.forEach(a -> dispatcher.submit(a, result -> done.incrementAndGet()));

        // then all arrive, in order, the last two after the burst at the rate
        await().atMost(Duration.ofSeconds(30)).until(() -> done.get() == 14);
        List<FakeApi.Received> received = hook.accepted();
        assertThat(received).extracting(r -> r.header("X-Tlswatch-Delivery"))
                .containsExactlyElementsOf(alerts.stream().map(AlertEvent::id).toList());
        assertThat(Duration.between(received.get(0).at(), received.get(13).at())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(Duration.between(received.get(0).at(), received.get(11).at())).isLessThan(Duration.ofMillis(900));
        assertThat(dispatcher.depth()).isZero();
    }

    @Test
    void aDeliveryFinishesOnlyOnceItsDeadLetterIsStored() {
        // given a receiver that refuses the alert for good, and a dead-letter topic that fails twice
        hook.failNext(Answer.json(422, "{\"error\":\"unprocessable\"}"));
        refusals.set(2);
        TargetDispatcher dispatcher = dispatcher(0, Duration.ofSeconds(5));
        List<DeliveryMetrics.Result> results = new CopyOnWriteArrayList<>();

        // when the alert is handed over
        AlertEvent alert = Alerts.firing("inst-dlq");
        dispatcher.submit(alert, results::add);

        // then it is finished as dead-lettered once, after the third publication stored it
        await().atMost(Duration.ofSeconds(30)).until(() -> !results.isEmpty());
        assertThat(results).containsExactly(DeliveryMetrics.Result.DEAD_LETTERED);
        assertThat(stored).singleElement().satisfies(letter -> {
            assertThat(letter.reason()).isEqualTo(DeadLetterReason.REJECTED);
            assertThat(letter.alert()).isEqualTo(alert);
            assertThat(letter.attempts()).singleElement().satisfies(a -> assertThat(a.statusCode()).isEqualTo(422));
        });
        assertThat(refusals.get()).isNegative();
    }

    @Test
    void closingLeavesAnUnansweredDeliveryUnfinished() {
        // given a receiver that does not answer
        hook.failNext(Answer.silence());
        TargetDispatcher dispatcher = dispatcher(0, Duration.ofSeconds(60));
        List<DeliveryMetrics.Result> results = new CopyOnWriteArrayList<>();
        dispatcher.submit(Alerts.firing("inst-close"), results::add);
        await().atMost(Duration.ofSeconds(30)).until(() -> hook.received().size() == 1);

        // when the dispatcher closes
        dispatcher.close(Duration.ofSeconds(5));

        // then the caller was never told the alert was done, so its offset stays uncommitted
        assertThat(results).isEmpty();
        assertThat(stored).isEmpty();
    }
}
