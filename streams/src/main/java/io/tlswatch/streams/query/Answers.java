package io.tlswatch.streams.query;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.tlswatch.contract.event.ClientPosture;
import io.tlswatch.contract.event.FingerprintPosture;
import io.tlswatch.contract.event.Posture;

import java.util.List;
import java.util.Set;

/** The JSON bodies of the query API (docs/streams.md, "Query API"). */
public final class Answers {

    private Answers() {
    }

    /**
     * @param clients   rows sorted by client id, at most the limit
     * @param truncated whether more matched than the limit
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ClientList(List<ClientPosture> clients, boolean truncated) {
        public ClientList {
            clients = clients == null ? List.of() : List.copyOf(clients);
        }
    }

    /**
     * @param fingerprints rows sorted by JA4, at most the limit
     * @param truncated    whether more matched than the limit
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FingerprintList(List<FingerprintPosture> fingerprints, boolean truncated) {
        public FingerprintList {
            fingerprints = fingerprints == null ? List.of() : List.copyOf(fingerprints);
        }
    }

    /** A client that would break, with what it offered. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AffectedClient(String clientId, String highestOfferedVersion, Posture posture, Set<String> ja4s) {
    }

    /** A fingerprint that would break. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AffectedFingerprint(String ja4, String highestOfferedVersion, long distinctClients,
                                      long distinctAddresses) {
    }

    /**
     * Which clients and fingerprints offer nothing at or above {@code minVersion}: they would fail a server
     * that requires it.
     *
     * @param clientsAffected      how many clients (all of them, not just those listed)
     * @param fingerprintsAffected how many fingerprints
     * @param clients              the first ones by client id, at most the limit
     * @param fingerprints         the first ones by JA4, at most the limit
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record WhatIf(String minVersion, long clientsAffected, long fingerprintsAffected,
                         List<AffectedClient> clients, List<AffectedFingerprint> fingerprints) {
        public WhatIf {
            clients = clients == null ? List.of() : List.copyOf(clients);
            fingerprints = fingerprints == null ? List.of() : List.copyOf(fingerprints);
        }
    }
}
