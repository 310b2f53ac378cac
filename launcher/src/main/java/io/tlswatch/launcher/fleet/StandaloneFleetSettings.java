package io.tlswatch.launcher.fleet;

import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;

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
 * @param kafka           the Kafka whose license topic (under its {@code topics.prefix}) the fleet's licenses are
 *                        issued through
 * @param bindAddresses   each installation connects from its own 127.x address (servers on loopback only)
 * @param workDir         where the SDK state and fleet.json go; empty: a temporary directory deleted at the end
 */
public record StandaloneFleetSettings(FleetOptions fleet, URI validator, URI collectorHttps, URI collectorHttp,
                                      Path ca, KafkaSettings kafka, boolean bindAddresses, String adminHost,
                                      int adminPort, Optional<Path> workDir) {
    public StandaloneFleetSettings {
        Objects.requireNonNull(fleet, "fleet");
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(collectorHttps, "collectorHttps");
        Objects.requireNonNull(collectorHttp, "collectorHttp");
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(adminHost, "adminHost");
        Objects.requireNonNull(workDir, "workDir");
    }

    /** The license registry topic the fleet issues through: the validator's, under the same prefix. */
    public Topic<String, LicenseRecord> registry() {
        return kafka.topics().named(Topics.LICENSES);
    }
}
