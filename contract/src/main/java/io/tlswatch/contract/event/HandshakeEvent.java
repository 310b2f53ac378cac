package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/**
 * One TLS connection's handshake, successful or not, on topic {@code tlswatch.handshakes.v1} keyed by the
 * remote address. A failed handshake carries no client id: streams attributes it to a client later through
 * the address and the fingerprints.
 *
 * @param time            when the handshake ended (completed or failed); it began {@code durationMillis} earlier
 * @param remoteAddress   the peer's IP address literal (IPv6 in RFC 5952 form, no brackets, no port)
 * @param remotePort      the peer's TCP port
 * @param listener        the name of the listener that accepted the connection, e.g. {@code validator}
 * @param localPort       the local TCP port of that listener
 * @param tlsProvider     which TLS implementation handled it
 * @param durationMillis  from the first byte received to completion or failure, in milliseconds (fractional)
 * @param clientHello     what the client offered; {@code null} when no ClientHello could be read
 *                        ({@code not_tls}, a timeout or close before it arrived, or an unparseable one)
 * @param negotiated      present exactly when {@code outcome} is {@code success}
 * @param failureReason   present exactly when {@code outcome} is {@code failure}
 * @param failureMessage  the provider's raw error text, for a person; never parse it
 * @param via             the address of the proxy that relayed the connection with a PROXY protocol header
 *                        ({@code remoteAddress} is then the client it named); absent on a direct connection and
 *                        in events of validators older than the field
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HandshakeEvent(
        String type,
        String id,
        Instant time,
        String source,
        String remoteAddress,
        @JsonProperty(required = true) int remotePort,
        String listener,
        @JsonProperty(required = true) int localPort,
        HandshakeOutcome outcome,
        TlsProvider tlsProvider,
        @JsonProperty(required = true) double durationMillis,
        ClientHelloSummary clientHello,
        NegotiatedTls negotiated,
        FailureReason failureReason,
        String failureMessage,
        String via) implements Event {

    public static final String TYPE = "tlswatch.handshake/1";
    /** The license server's listener: its handshakes follow the strict TLS policy clients must meet. */
    public static final String LISTENER_VALIDATOR = "validator";
    /**
     * The collector's report listener: its broad profile accepts TLS 1.0 and legacy suites, so a handshake
     * there shows what a client offers, not that it can reach the license server.
     */
    public static final String LISTENER_COLLECTOR = "collector-tls";

    public HandshakeEvent {
        Fields.envelope(TYPE, type, id, time, source);
        time = Fields.millis(time);
        Fields.text("remoteAddress", remoteAddress);
        Fields.port("remotePort", remotePort);
        Fields.text("listener", listener);
        Fields.port("localPort", localPort);
        Fields.required("outcome", outcome);
        Fields.required("tlsProvider", tlsProvider);
        Fields.nonNegative("durationMillis", durationMillis);
        Fields.optionalText("failureMessage", failureMessage);
        Fields.optionalText("via", via);
        if (outcome == HandshakeOutcome.SUCCESS) {
            Fields.required("negotiated", negotiated);
            if (failureReason != null) {
                throw new IllegalArgumentException("field 'failureReason' must be absent on a successful handshake");
            }
        } else {
            Fields.required("failureReason", failureReason);
            if (negotiated != null) {
                throw new IllegalArgumentException("field 'negotiated' must be absent on a failed handshake");
            }
        }
    }

    @Override
    public String key() {
        return remoteAddress;
    }

    public boolean succeeded() {
        return outcome == HandshakeOutcome.SUCCESS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: a fresh random id. {@link Builder#success} or {@link Builder#failure} sets the outcome. */
    public static final class Builder extends EventBuilder<Builder> {
        private String remoteAddress;
        private int remotePort;
        private String listener;
        private int localPort;
        private HandshakeOutcome outcome;
        private TlsProvider tlsProvider;
        private double durationMillis;
        private ClientHelloSummary clientHello;
        private NegotiatedTls negotiated;
        private FailureReason failureReason;
        private String failureMessage;
        private String via;

        private Builder() {
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder remote(String address, int port) {
            this.remoteAddress = address;
            this.remotePort = port;
            return this;
        }

        /** The proxy that relayed the connection; {@code null} for a direct one. */
        public Builder via(String value) {
            this.via = value;
            return this;
        }

        public Builder listener(String name, int port) {
            this.listener = name;
            this.localPort = port;
            return this;
        }

        public Builder tlsProvider(TlsProvider value) {
            this.tlsProvider = value;
            return this;
        }

        public Builder durationMillis(double value) {
            this.durationMillis = value;
            return this;
        }

        public Builder clientHello(ClientHelloSummary value) {
            this.clientHello = value;
            return this;
        }

        public Builder success(NegotiatedTls value) {
            this.outcome = HandshakeOutcome.SUCCESS;
            this.negotiated = value;
            this.failureReason = null;
            this.failureMessage = null;
            return this;
        }

        /** @param message the provider's raw error text, may be {@code null} */
        public Builder failure(FailureReason reason, String message) {
            this.outcome = HandshakeOutcome.FAILURE;
            this.negotiated = null;
            this.failureReason = reason;
            this.failureMessage = message;
            return this;
        }

        public HandshakeEvent build() {
            return new HandshakeEvent(TYPE, id, time, source, remoteAddress, remotePort, listener, localPort,
                    outcome, tlsProvider, durationMillis, clientHello, negotiated, failureReason, failureMessage, via);
        }
    }
}
