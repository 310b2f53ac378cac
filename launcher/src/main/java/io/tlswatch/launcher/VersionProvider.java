package io.tlswatch.launcher;

import io.tlswatch.contract.kafka.KafkaVersion;
import picocli.CommandLine;

/** Reports the version from the jar manifest, so it cannot disagree with the build. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = Tlswatch.class.getPackage().getImplementationVersion();
        return new String[]{
                "tlswatch " + (version == null ? "(development build)" : version),
                "Kafka client " + KafkaVersion.current() + ", Java " + Runtime.version()};
    }
}
