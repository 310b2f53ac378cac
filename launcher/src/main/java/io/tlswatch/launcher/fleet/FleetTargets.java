package io.tlswatch.launcher.fleet;

import io.tlswatch.tlsserver.tls.DevCertificates;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Where a fleet connects and what it trusts.
 *
 * @param validator      the validator's public URL (its {@code server.publicUrl}); when {@code bindAddresses}, by
 *                       IPv4 address so that a socket bound to a 127.x address can reach it
 * @param collectorHttps the collector's HTTPS listener
 * @param collectorHttp  its plain HTTP listener
 * @param currentCa      the CA that signed the servers' certificates
 * @param oldCa          a CA that did not: the whole of an old trust store
 * @param stateRoot      each installation keeps its SDK state in a directory of its name under this
 * @param bindAddresses  whether each installation connects from its planned loopback address; only possible when
 *                       the servers listen on loopback. Without it every installation connects from this host's
 *                       own address, as the system picks it (docs/demo.md says what attribution then loses)
 */
public record FleetTargets(URI validator, URI collectorHttps, URI collectorHttp, Path currentCa, Path oldCa,
                           Path stateRoot, boolean bindAddresses) {
    public FleetTargets {
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(collectorHttps, "collectorHttps");
        Objects.requireNonNull(collectorHttp, "collectorHttp");
        Objects.requireNonNull(currentCa, "currentCa");
        Objects.requireNonNull(oldCa, "oldCa");
        Objects.requireNonNull(stateRoot, "stateRoot");
    }

    /**
     * Generates (in {@code directory}) a CA that signed nothing the servers use: the whole trust store of an
     * installation whose trust store predates the servers' CA.
     */
    public static Path unrelatedCa(Path directory, Clock clock) {
        return new DevCertificates(directory, List.of(), clock).ensure().caCertificate();
    }
}
