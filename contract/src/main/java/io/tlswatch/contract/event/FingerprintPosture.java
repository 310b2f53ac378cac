package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/**
 * What is known about one TLS fingerprint, whoever runs it: the row of the compacted table
 * {@code tlswatch.fingerprint-posture.v1}, keyed by the JA4. Counts cover the streams job's window.
 *
 * @param time                  when this row was computed
 * @param ja4                   the fingerprint
 * @param highestOfferedVersion the highest TLS version ClientHellos with this fingerprint offer
 * @param outdated              whether {@code highestOfferedVersion} is below TLS 1.2
 * @param failures              failed handshakes with this fingerprint
 * @param successes             successful handshakes with this fingerprint
 * @param distinctAddresses     distinct remote addresses seen with it
 * @param distinctClients       distinct client ids it was attributed to
 * @param firstSeen             the earliest event time seen with it
 * @param lastSeen              the latest event time seen with it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FingerprintPosture(
        String type,
        String id,
        Instant time,
        String source,
        String ja4,
        String highestOfferedVersion,
        @JsonProperty(required = true) boolean outdated,
        @JsonProperty(required = true) long failures,
        @JsonProperty(required = true) long successes,
        @JsonProperty(required = true) long distinctAddresses,
        @JsonProperty(required = true) long distinctClients,
        Instant firstSeen,
        Instant lastSeen) implements Event {

    public static final String TYPE = "tlswatch.fingerprint-posture/1";

    public FingerprintPosture {
        Fields.envelope(TYPE, type, id, time, source);
        time = Fields.millis(time);
        Fields.text("ja4", ja4);
        Fields.text("highestOfferedVersion", highestOfferedVersion);
        Fields.nonNegative("failures", failures);
        Fields.nonNegative("successes", successes);
        Fields.nonNegative("distinctAddresses", distinctAddresses);
        Fields.nonNegative("distinctClients", distinctClients);
        firstSeen = Fields.requiredMillis("firstSeen", firstSeen);
        lastSeen = Fields.requiredMillis("lastSeen", lastSeen);
        if (lastSeen.isBefore(firstSeen)) {
            throw new IllegalArgumentException("field 'lastSeen' must not be before 'firstSeen'");
        }
    }

    @Override
    public String key() {
        return ja4;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this row's values with a fresh id: the next version of the row. */
    public Builder toBuilder() {
        return new Builder().time(time).source(source).ja4(ja4).highestOfferedVersion(highestOfferedVersion)
                .outdated(outdated).failures(failures).successes(successes)
                .distinctAddresses(distinctAddresses).distinctClients(distinctClients)
                .firstSeen(firstSeen).lastSeen(lastSeen);
    }

    /** Defaults: a fresh random id, all counts 0. */
    public static final class Builder extends EventBuilder<Builder> {
        private String ja4;
        private String highestOfferedVersion;
        private boolean outdated;
        private long failures;
        private long successes;
        private long distinctAddresses;
        private long distinctClients;
        private Instant firstSeen;
        private Instant lastSeen;

        private Builder() {
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder ja4(String value) {
            this.ja4 = value;
            return this;
        }

        public Builder highestOfferedVersion(String value) {
            this.highestOfferedVersion = value;
            return this;
        }

        public Builder outdated(boolean value) {
            this.outdated = value;
            return this;
        }

        public Builder failures(long value) {
            this.failures = value;
            return this;
        }

        public Builder successes(long value) {
            this.successes = value;
            return this;
        }

        public Builder distinctAddresses(long value) {
            this.distinctAddresses = value;
            return this;
        }

        public Builder distinctClients(long value) {
            this.distinctClients = value;
            return this;
        }

        public Builder firstSeen(Instant value) {
            this.firstSeen = value;
            return this;
        }

        public Builder lastSeen(Instant value) {
            this.lastSeen = value;
            return this;
        }

        public FingerprintPosture build() {
            return new FingerprintPosture(TYPE, id, time, source, ja4, highestOfferedVersion, outdated, failures,
                    successes, distinctAddresses, distinctClients, firstSeen, lastSeen);
        }
    }
}
