package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * An alert firing or resolving, on topic {@code tlswatch.alerts.v1} keyed by its dedup key. The notifier
 * delivers it to pagers; every pager deduplicates on {@code dedupKey}, so a firing and its resolution, and
 * any redelivery, share one key.
 *
 * @param time            when the state was entered: the firing time, or the resolution time
 * @param dedupKey        one key per root cause, e.g. {@code tls-outdated:<clientId>}
 * @param status          firing or resolved
 * @param severity        how urgent
 * @param kind            the alert family, lowercase snake_case, used for routing; known values are
 *                        {@value #KIND_CLIENT_POSTURE}, {@value #KIND_FINGERPRINT_OUTDATED} and
 *                        {@value #KIND_CLIENT_COHORT}, and new
 *                        ones may appear without a new major version
 * @param summary         one line a person on call understands
 * @param clientId        the client, for client alerts
 * @param ja4             the fingerprint, for fingerprint alerts
 * @param posture         the client's posture now, for client alerts
 * @param previousPosture the posture it left, for client alerts
 * @param evidence        what led to it; never {@code null} (empty evidence when there is none)
 * @param startsAt        when the condition began (the same on the firing and the resolved event)
 * @param endsAt          when the condition ended; present exactly when {@code status} is {@code resolved}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AlertEvent(
        String type,
        String id,
        Instant time,
        String source,
        String dedupKey,
        AlertStatus status,
        Severity severity,
        String kind,
        String summary,
        String clientId,
        String ja4,
        Posture posture,
        Posture previousPosture,
        AlertEvidence evidence,
        Instant startsAt,
        Instant endsAt) implements Event {

    public static final String TYPE = "tlswatch.alert/1";
    /** A client's posture changed to or from {@code degraded}, {@code stuck} or {@code at_risk}. */
    public static final String KIND_CLIENT_POSTURE = "client_posture";
    /** An outdated fingerprint is run by more clients than the threshold. */
    public static final String KIND_FINGERPRINT_OUTDATED = "fingerprint_outdated";
    /** More clients than the notifier's threshold turned stuck or at risk for one cause (the notifier raises it). */
    public static final String KIND_CLIENT_COHORT = "client_cohort";

    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9_]*");

    public AlertEvent {
        Fields.envelope(TYPE, type, id, time, source);
        time = Fields.millis(time);
        Fields.text("dedupKey", dedupKey);
        Fields.required("status", status);
        Fields.required("severity", severity);
        if (!KIND.matcher(Fields.required("kind", kind)).matches()) {
            throw new IllegalArgumentException("field 'kind' must be lowercase snake_case, was '" + kind + "'");
        }
        Fields.text("summary", summary);
        Fields.optionalText("clientId", clientId);
        Fields.optionalText("ja4", ja4);
        evidence = evidence == null ? AlertEvidence.none() : evidence;
        startsAt = Fields.requiredMillis("startsAt", startsAt);
        endsAt = Fields.millis(endsAt);
        if (status == AlertStatus.RESOLVED) {
            Fields.required("endsAt", endsAt);
        } else if (endsAt != null) {
            throw new IllegalArgumentException("field 'endsAt' must be absent while firing");
        }
    }

    @Override
    public String key() {
        return dedupKey;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this alert's values with a fresh id, e.g. to resolve it under the same dedup key and
     * start: {@code alert.toBuilder().time(now).resolved(now).summary(...).build()}.
     */
    public Builder toBuilder() {
        return new Builder().time(time).source(source).dedupKey(dedupKey).status(status).severity(severity)
                .kind(kind).summary(summary).clientId(clientId).ja4(ja4).posture(posture)
                .previousPosture(previousPosture).evidence(evidence).startsAt(startsAt).endsAt(endsAt);
    }

    /** Defaults: a fresh random id, status {@code firing}. */
    public static final class Builder extends EventBuilder<Builder> {
        private String dedupKey;
        private AlertStatus status = AlertStatus.FIRING;
        private Severity severity;
        private String kind;
        private String summary;
        private String clientId;
        private String ja4;
        private Posture posture;
        private Posture previousPosture;
        private AlertEvidence evidence;
        private Instant startsAt;
        private Instant endsAt;

        private Builder() {
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder dedupKey(String value) {
            this.dedupKey = value;
            return this;
        }

        public Builder status(AlertStatus value) {
            this.status = value;
            return this;
        }

        /** Status {@code resolved}, ended at {@code at}. */
        public Builder resolved(Instant at) {
            this.status = AlertStatus.RESOLVED;
            this.endsAt = at;
            return this;
        }

        public Builder severity(Severity value) {
            this.severity = value;
            return this;
        }

        public Builder kind(String value) {
            this.kind = value;
            return this;
        }

        public Builder summary(String value) {
            this.summary = value;
            return this;
        }

        public Builder clientId(String value) {
            this.clientId = value;
            return this;
        }

        public Builder ja4(String value) {
            this.ja4 = value;
            return this;
        }

        public Builder posture(Posture value) {
            this.posture = value;
            return this;
        }

        public Builder previousPosture(Posture value) {
            this.previousPosture = value;
            return this;
        }

        public Builder evidence(AlertEvidence value) {
            this.evidence = value;
            return this;
        }

        public Builder startsAt(Instant value) {
            this.startsAt = value;
            return this;
        }

        public Builder endsAt(Instant value) {
            this.endsAt = value;
            return this;
        }

        public AlertEvent build() {
            return new AlertEvent(TYPE, id, time, source, dedupKey, status, severity, kind, summary, clientId,
                    ja4, posture, previousPosture, evidence, startsAt, endsAt);
        }
    }
}
