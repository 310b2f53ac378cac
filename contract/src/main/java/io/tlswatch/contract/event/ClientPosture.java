package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One client's TLS posture: the row of the compacted table {@code tlswatch.client-posture.v1}, keyed by the
 * client id. Each update is a whole new row (with a new {@code id}); a {@code null} value removes the client.
 *
 * @param time                     when this row was computed (the event time of the input that changed it)
 * @param clientId                 the installation
 * @param licenseId                the license it last validated with; {@code null} if never seen
 * @param posture                  the current posture
 * @param reasons                  why, one short machine-readable reason per entry, e.g.
 *                                 {@code offers_only:TLSv1}; empty when healthy
 * @param since                    when the client entered its current posture
 * @param lastSeen                 the latest event time of anything attributed to the client
 * @param highestOfferedVersion    the highest TLS version the client offered within the window
 * @param highestNegotiatedVersion the highest TLS version it completed a handshake with within the window
 * @param ja4s                     its JA4 fingerprints within the window, sorted
 * @param runtime                  its last reported runtime
 * @param tls                      its last reported TLS stack
 * @param failuresByReason         attributed handshake failures within the window, by failure reason value
 * @param reportsByErrorClass      client reports within the window, by error class
 * @param lastValidCheck           the time of its last {@code VALID} license check
 * @param entitlementExpiresAt     the expiry of the last entitlement token it was issued
 * @param licenseGraceUntil        until when it can keep working offline on that entitlement
 * @param addresses                the remote addresses it was seen with within the window, sorted
 * @param firstHandEvidence        how many pieces of its evidence within the window are its own license checks and
 *                                 reports; absent in rows of jobs older than the field
 * @param attributedEvidence       how many reached it through its address (handshakes, NEL reports); absent in
 *                                 rows of jobs older than the field
 * @param pendingPosture           the posture the rules see now when it differs from {@code posture} and is
 *                                 waiting out the minimum hold before it is committed (and alerted);
 *                                 {@code null} when nothing is pending
 * @param pendingSince             since when the rules have seen {@code pendingPosture}; present exactly with it
 * @param pendingReasons           the reasons of the pending judgement; empty when nothing is pending
 * @param lapsesAt                 when the client's entitlement lapses: the later of {@code entitlementExpiresAt}
 *                                 and {@code licenseGraceUntil}; {@code null} when it never had a valid check
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClientPosture(
        String type,
        String id,
        Instant time,
        String source,
        String clientId,
        String licenseId,
        Posture posture,
        List<String> reasons,
        Instant since,
        Instant lastSeen,
        String highestOfferedVersion,
        String highestNegotiatedVersion,
        Set<String> ja4s,
        RuntimeInfo runtime,
        TlsStack tls,
        Map<String, Long> failuresByReason,
        Map<String, Long> reportsByErrorClass,
        Instant lastValidCheck,
        Instant entitlementExpiresAt,
        Instant licenseGraceUntil,
        Set<String> addresses,
        Integer firstHandEvidence,
        Integer attributedEvidence,
        Posture pendingPosture,
        Instant pendingSince,
        // Absent, not [], when nothing is pending: the field belongs with pendingPosture.
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> pendingReasons,
        Instant lapsesAt) implements Event {

    public static final String TYPE = "tlswatch.client-posture/1";

    public ClientPosture {
        Fields.envelope(TYPE, type, id, time, source);
        time = Fields.millis(time);
        Fields.text("clientId", clientId);
        Fields.optionalText("licenseId", licenseId);
        Fields.required("posture", posture);
        reasons = Fields.list("reasons", reasons);
        since = Fields.requiredMillis("since", since);
        lastSeen = Fields.requiredMillis("lastSeen", lastSeen);
        Fields.optionalText("highestOfferedVersion", highestOfferedVersion);
        Fields.optionalText("highestNegotiatedVersion", highestNegotiatedVersion);
        ja4s = Fields.sortedSet("ja4s", ja4s);
        failuresByReason = Fields.counts("failuresByReason", failuresByReason);
        reportsByErrorClass = Fields.counts("reportsByErrorClass", reportsByErrorClass);
        lastValidCheck = Fields.millis(lastValidCheck);
        entitlementExpiresAt = Fields.millis(entitlementExpiresAt);
        licenseGraceUntil = Fields.millis(licenseGraceUntil);
        addresses = Fields.sortedSet("addresses", addresses);
        if (firstHandEvidence != null) {
            Fields.nonNegative("firstHandEvidence", firstHandEvidence);
        }
        if (attributedEvidence != null) {
            Fields.nonNegative("attributedEvidence", attributedEvidence);
        }
        pendingSince = Fields.millis(pendingSince);
        if ((pendingPosture == null) != (pendingSince == null)) {
            throw new IllegalArgumentException("fields 'pendingPosture' and 'pendingSince' go together");
        }
        pendingReasons = Fields.list("pendingReasons", pendingReasons);
        if (pendingPosture == null && !pendingReasons.isEmpty()) {
            throw new IllegalArgumentException("field 'pendingReasons' must be empty unless pendingPosture is set");
        }
        lapsesAt = Fields.millis(lapsesAt);
    }

    @Override
    public String key() {
        return clientId;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this row's values with a fresh id: the next version of the row. */
    public Builder toBuilder() {
        return new Builder()
                .time(time).source(source).clientId(clientId).licenseId(licenseId).posture(posture)
                .reasons(reasons).since(since).lastSeen(lastSeen)
                .highestOfferedVersion(highestOfferedVersion).highestNegotiatedVersion(highestNegotiatedVersion)
                .ja4s(ja4s).runtime(runtime).tls(tls).failuresByReason(failuresByReason)
                .reportsByErrorClass(reportsByErrorClass).lastValidCheck(lastValidCheck)
                .entitlementExpiresAt(entitlementExpiresAt).licenseGraceUntil(licenseGraceUntil)
                .addresses(addresses).evidence(firstHandEvidence, attributedEvidence)
                .pending(pendingPosture, pendingSince, pendingReasons).lapsesAt(lapsesAt);
    }

    /** Defaults: a fresh random id. */
    public static final class Builder extends EventBuilder<Builder> {
        private String clientId;
        private String licenseId;
        private Posture posture;
        private List<String> reasons;
        private Instant since;
        private Instant lastSeen;
        private String highestOfferedVersion;
        private String highestNegotiatedVersion;
        private Set<String> ja4s;
        private RuntimeInfo runtime;
        private TlsStack tls;
        private Map<String, Long> failuresByReason;
        private Map<String, Long> reportsByErrorClass;
        private Instant lastValidCheck;
        private Instant entitlementExpiresAt;
        private Instant licenseGraceUntil;
        private Set<String> addresses;
        private Integer firstHandEvidence;
        private Integer attributedEvidence;
        private Posture pendingPosture;
        private Instant pendingSince;
        private List<String> pendingReasons;
        private Instant lapsesAt;

        private Builder() {
        }

        @Override
        protected Builder self() {
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

        public Builder posture(Posture value) {
            this.posture = value;
            return this;
        }

        public Builder reasons(List<String> value) {
            this.reasons = value;
            return this;
        }

        public Builder since(Instant value) {
            this.since = value;
            return this;
        }

        public Builder lastSeen(Instant value) {
            this.lastSeen = value;
            return this;
        }

        public Builder highestOfferedVersion(String value) {
            this.highestOfferedVersion = value;
            return this;
        }

        public Builder highestNegotiatedVersion(String value) {
            this.highestNegotiatedVersion = value;
            return this;
        }

        public Builder ja4s(Collection<String> value) {
            this.ja4s = value == null ? null : new LinkedHashSet<>(value);
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

        public Builder failuresByReason(Map<String, Long> value) {
            this.failuresByReason = value;
            return this;
        }

        public Builder reportsByErrorClass(Map<String, Long> value) {
            this.reportsByErrorClass = value;
            return this;
        }

        public Builder lastValidCheck(Instant value) {
            this.lastValidCheck = value;
            return this;
        }

        public Builder entitlementExpiresAt(Instant value) {
            this.entitlementExpiresAt = value;
            return this;
        }

        public Builder licenseGraceUntil(Instant value) {
            this.licenseGraceUntil = value;
            return this;
        }

        public Builder addresses(Collection<String> value) {
            this.addresses = value == null ? null : new LinkedHashSet<>(value);
            return this;
        }

        /** How much of its evidence is first-hand and how much attributed; {@code null}: not said. */
        public Builder evidence(Integer firstHand, Integer attributed) {
            this.firstHandEvidence = firstHand;
            this.attributedEvidence = attributed;
            return this;
        }

        /** The judgement waiting out the minimum hold; all {@code null} (or empty) when nothing is pending. */
        public Builder pending(Posture posture, Instant since, List<String> reasons) {
            this.pendingPosture = posture;
            this.pendingSince = since;
            this.pendingReasons = reasons;
            return this;
        }

        public Builder lapsesAt(Instant value) {
            this.lapsesAt = value;
            return this;
        }

        public ClientPosture build() {
            return new ClientPosture(TYPE, id, time, source, clientId, licenseId, posture, reasons, since,
                    lastSeen, highestOfferedVersion, highestNegotiatedVersion, ja4s, runtime, tls,
                    failuresByReason, reportsByErrorClass, lastValidCheck, entitlementExpiresAt,
                    licenseGraceUntil, addresses, firstHandEvidence, attributedEvidence, pendingPosture, pendingSince,
                    pendingReasons, lapsesAt);
        }
    }
}
