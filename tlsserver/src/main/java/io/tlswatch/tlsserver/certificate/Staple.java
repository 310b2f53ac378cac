package io.tlswatch.tlsserver.certificate;

import java.time.Instant;
import java.util.Objects;

/** A good OCSP response for the served leaf, stapled to new connections until {@code nextUpdate}. */
record Staple(byte[] encoded, Instant thisUpdate, Instant nextUpdate) {

    Staple {
        Objects.requireNonNull(encoded, "encoded");
        Objects.requireNonNull(thisUpdate, "thisUpdate");
        Objects.requireNonNull(nextUpdate, "nextUpdate");
    }

    boolean usableAt(Instant now) {
        return now.isBefore(nextUpdate);
    }
}
