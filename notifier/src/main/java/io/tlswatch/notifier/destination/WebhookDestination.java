package io.tlswatch.notifier.destination;

import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.serde.JsonSerde;
import io.tlswatch.notifier.config.SecretValue;

import java.net.http.HttpRequest;
import java.time.Clock;

/**
 * A generic webhook: the alert exactly as on the topic (docs/events.md), signed so the receiver can tell it came
 * from us and is fresh. Headers: {@value #TIMESTAMP} (Unix seconds when sent), {@value #SIGNATURE}
 * ({@code sha256=} and the lowercase hex HMAC-SHA256 over {@code timestamp + "." + body}), and
 * {@value #DELIVERY} (the alert's id, the same on every retry, for the receiver to deduplicate).
 */
public final class WebhookDestination implements Destination {

    public static final String TIMESTAMP = "X-Tlswatch-Timestamp";
    public static final String SIGNATURE = "X-Tlswatch-Signature";
    public static final String DELIVERY = "X-Tlswatch-Delivery";

    private static final JsonSerde<AlertEvent> SERDE = JsonSerde.forEvent(AlertEvent.class);

    private final Endpoint endpoint;
    private final HmacSigner signer;
    private final Clock clock;

    public WebhookDestination(Endpoint endpoint, SecretValue hmacKey, Clock clock) {
        this.endpoint = endpoint;
        this.signer = new HmacSigner(hmacKey);
        this.clock = clock;
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public HttpRequest request(AlertEvent alert) {
        byte[] body = SERDE.serialize(null, alert);
        String timestamp = String.valueOf(clock.instant().getEpochSecond());
        return endpoint.post(body)
                .header(TIMESTAMP, timestamp)
                .header(SIGNATURE, "sha256=" + signer.sign(timestamp, body))
                .header(DELIVERY, alert.id())
                .build();
    }
}
