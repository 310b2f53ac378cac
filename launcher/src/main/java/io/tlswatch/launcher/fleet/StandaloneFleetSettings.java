package io.tlswatch.launcher.fleet;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code tlswatch fleet} was asked for: a fleet against a stack that runs elsewhere (checked by the command,
 * which names its options in errors).
 *
 * @param validator       the validator's public URL ({@code server.publicUrl}): DPoP proofs name it
 * @param collectorHttps  the collector's HTTPS listener
 * @param collectorHttp   the collector's plain HTTP listener
 * @param ca              PEM file of the CA that signed the servers' certificates; host names are verified
 * @param kafkaBootstrap  the broker whose license topic the fleet's licenses are issued through
 * @param bindAddresses   each installation connects from its own 127.x address (servers on loopback only)
 * @param workDir         where the SDK state and fleet.json go; empty: a temporary directory deleted at the end
 */
public record StandaloneFleetSettings(FleetOptions fleet, URI validator, URI collectorHttps, URI collectorHttp,
                                      Path ca, String kafkaBootstrap, boolean bindAddresses, String adminHost,
                                      int adminPort, Optional<Path> workDir) {
    public StandaloneFleetSettings {
        Objects.requireNonNull(fleet, "fleet");
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(collectorHttps, "collectorHttps");
        Objects.requireNonNull(collectorHttp, "collectorHttp");
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(kafkaBootstrap, "kafkaBootstrap");
        Objects.requireNonNull(adminHost, "adminHost");
        Objects.requireNonNull(workDir, "workDir");
    }
}
