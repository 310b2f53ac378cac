package io.tlswatch.streams.posture;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * The proof-of-possession key a client's reports must be signed with to count (docs/posture.md, "Whose
 * reports count"): part of the client's state.
 *
 * @param jkt   the key's RFC 7638 SHA-256 thumbprint
 * @param by    what pinned it
 * @param since the event time of the event that pinned it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record KeyPin(String jkt, Source by, Instant since) {

    /** What pinned the key, strongest last. */
    public enum Source {
        /** The first signed report of a client never seen passing a check: trust on first use. */
        REPORT,
        /** A valid license check whose DPoP proof the validator verified. */
        CHECK;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public KeyPin {
        Objects.requireNonNull(jkt, "jkt");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(since, "since");
    }
}
