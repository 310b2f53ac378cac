package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A client-side TLS error report accepted by the collector, on topic {@code tlswatch.client-reports.v1} keyed
 * by the client id, else (NEL reports carry none) the remote address.
 *
 * @param time          the event time the pipeline uses: {@code occurredAt} when plausible, else
 *                      {@code receivedAt} (and a flag says why)
 * @param reportId      the client's idempotency key (for NEL, derived by the collector from the report)
 * @param clientId      the installation; required for {@code native}, {@code null} for most {@code nel}
 * @param licenseId     the license the client runs under, if it said
 * @param format        the wire format it arrived in
 * @param occurredAt    when the client says the error happened (for NEL: receipt time minus {@code age})
 * @param receivedAt    when the collector received it, by the collector's clock
 * @param endpoint      the URL the client failed to reach
 * @param errorClass    the error's class, in W3C Network Error Logging taxonomy where it fits
 *                      (e.g. {@code tls.version_or_cipher_mismatch}); open-ended
 * @param message       the raw error text, for a person
 * @param runtime       the client's runtime, if it said
 * @param tls           the client's TLS stack, if it said
 * @param os            the client's operating system, free text
 * @param appVersion    the version of the application embedding the SDK
 * @param clientTime    the client's clock when it sent the report (compare with {@code receivedAt} for skew)
 * @param remoteAddress the peer's IP address literal as the collector saw it
 * @param arrival       the connection the report came over
 * @param authenticated whether the report was signed by the client's proof-of-possession key and verified
 * @param signerJkt     the RFC 7638 SHA-256 thumbprint of the key that signed it; present exactly when
 *                      {@code authenticated} (absent in events of collectors older than the field). The collector ties it to nothing: streams compares it with the
 *                      key the client's license checks proved
 * @param flags         what the collector found implausible, e.g. {@value #FLAG_TIME_IN_FUTURE},
 *                      {@value #FLAG_TOO_OLD}; an open set, sorted
 * @param nel           the rest of a NEL report; present only for {@code nel}
 * @param via           the address of the proxy that relayed the report's connection with a PROXY protocol
 *                      header ({@code remoteAddress} is then the client it named); absent on a direct connection
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClientReportEvent(
        String type,
        String id,
        Instant time,
        String source,
        String reportId,
        String clientId,
        String licenseId,
        ReportFormat format,
        Instant occurredAt,
        Instant receivedAt,
        String endpoint,
        String errorClass,
        String message,
        RuntimeInfo runtime,
        TlsStack tls,
        String os,
        String appVersion,
        Instant clientTime,
        String remoteAddress,
        Arrival arrival,
        @JsonProperty(required = true) boolean authenticated,
        String signerJkt,
        Set<String> flags,
        NelDetails nel,
        String via) implements Event {

    public static final String TYPE = "tlswatch.client-report/1";
    /** {@code occurredAt} lies ahead of the collector's clock by more than the tolerated skew. */
    public static final String FLAG_TIME_IN_FUTURE = "time_in_future";
    /** {@code occurredAt} lies further back than the plausible report age. */
    public static final String FLAG_TOO_OLD = "too_old";

    public ClientReportEvent {
        Fields.envelope(TYPE, type, id, time, source);
        time = Fields.millis(time);
        Fields.text("reportId", reportId);
        Fields.optionalText("clientId", clientId);
        Fields.optionalText("licenseId", licenseId);
        Fields.required("format", format);
        occurredAt = Fields.requiredMillis("occurredAt", occurredAt);
        receivedAt = Fields.requiredMillis("receivedAt", receivedAt);
        Fields.optionalText("endpoint", endpoint);
        Fields.text("errorClass", errorClass);
        Fields.optionalText("os", os);
        Fields.optionalText("appVersion", appVersion);
        clientTime = Fields.millis(clientTime);
        Fields.text("remoteAddress", remoteAddress);
        Fields.optionalText("via", via);
        Fields.required("arrival", arrival);
        Fields.jkt("signerJkt", signerJkt);
        // Not required when authenticated: events of collectors older than the field lack it and must still read.
        if (signerJkt != null && !authenticated) {
            throw new IllegalArgumentException("field 'signerJkt' must be absent unless authenticated");
        }
        flags = Fields.sortedSet("flags", flags);
        if (format == ReportFormat.NATIVE) {
            Fields.required("clientId", clientId);
        } else {
            Fields.required("nel", nel);
        }
    }

    @Override
    public String key() {
        return clientId != null ? clientId : remoteAddress;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: a fresh random id, format {@code native}, not authenticated. */
    public static final class Builder extends EventBuilder<Builder> {
        private String reportId;
        private String clientId;
        private String licenseId;
        private ReportFormat format = ReportFormat.NATIVE;
        private Instant occurredAt;
        private Instant receivedAt;
        private String endpoint;
        private String errorClass;
        private String message;
        private RuntimeInfo runtime;
        private TlsStack tls;
        private String os;
        private String appVersion;
        private Instant clientTime;
        private String remoteAddress;
        private Arrival arrival;
        private boolean authenticated;
        private String signerJkt;
        private Collection<String> flags;
        private NelDetails nel;
        private String via;

        private Builder() {
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder reportId(String value) {
            this.reportId = value;
            return this;
        }

        public Builder clientId(String value) {
            this.clientId = value;
            return this;
        }

        public Builder licenseId(String value) {
            this.licenseId = value;
            return this;
        }

        public Builder format(ReportFormat value) {
            this.format = value;
            return this;
        }

        public Builder occurredAt(Instant value) {
            this.occurredAt = value;
            return this;
        }

        public Builder receivedAt(Instant value) {
            this.receivedAt = value;
            return this;
        }

        public Builder endpoint(String value) {
            this.endpoint = value;
            return this;
        }

        /** @param message the raw error text, may be {@code null} */
        public Builder error(String errorClass, String message) {
            this.errorClass = errorClass;
            this.message = message;
            return this;
        }

        public Builder runtime(RuntimeInfo value) {
            this.runtime = value;
            return this;
        }

        public Builder tls(TlsStack value) {
            this.tls = value;
            return this;
        }

        public Builder os(String value) {
            this.os = value;
            return this;
        }

        public Builder appVersion(String value) {
            this.appVersion = value;
            return this;
        }

        public Builder clientTime(Instant value) {
            this.clientTime = value;
            return this;
        }

        public Builder remoteAddress(String value) {
            this.remoteAddress = value;
            return this;
        }

        /** The proxy that relayed the report's connection; {@code null} for a direct one. */
        public Builder via(String value) {
            this.via = value;
            return this;
        }

        public Builder arrival(Arrival value) {
            this.arrival = value;
            return this;
        }

        /** Not authenticated ({@code signerJkt} cleared). */
        public Builder authenticated(boolean value) {
            this.authenticated = value;
            if (!value) {
                this.signerJkt = null;
            }
            return this;
        }

        /** Authenticated, signed by the key with this thumbprint; {@code null}: not authenticated. */
        public Builder signedBy(String jkt) {
            this.authenticated = jkt != null;
            this.signerJkt = jkt;
            return this;
        }

        public Builder flags(Collection<String> value) {
            this.flags = value;
            return this;
        }

        public Builder nel(NelDetails value) {
            this.nel = value;
            return this;
        }

        public ClientReportEvent build() {
            return new ClientReportEvent(TYPE, id, time, source, reportId, clientId, licenseId, format,
                    occurredAt, receivedAt, endpoint, errorClass, message, runtime, tls, os, appVersion,
                    clientTime, remoteAddress, arrival, authenticated, signerJkt,
                    flags == null ? null : new LinkedHashSet<>(flags),
                    nel, via);
        }
    }
}
