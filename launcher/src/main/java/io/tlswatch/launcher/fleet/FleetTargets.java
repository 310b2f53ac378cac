package io.tlswatch.launcher.fleet;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a fleet connects and what it trusts.
 *
 * @param validator      the validator's public URL (its {@code server.publicUrl}), by IPv4 address so that a
 *                       socket bound to a 127.x address can reach it
 * @param collectorHttps the collector's HTTPS listener
 * @param collectorHttp  its plain HTTP listener
 * @param currentCa      the CA that signed the servers' certificates
 * @param oldCa          a CA that did not: the whole of an old trust store
 * @param stateRoot      each installation keeps its SDK state in a directory of its name under this
 */
public record FleetTargets(URI validator, URI collectorHttps, URI collectorHttp, Path currentCa, Path oldCa,
                           Path stateRoot) {
    public FleetTargets {
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(collectorHttps, "collectorHttps");
        Objects.requireNonNull(collectorHttp, "collectorHttp");
        Objects.requireNonNull(currentCa, "currentCa");
        Objects.requireNonNull(oldCa, "oldCa");
        Objects.requireNonNull(stateRoot, "stateRoot");
    }
}
