package io.tlswatch.client;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An installation on an old runtime, run in a child JVM whose {@code jdk.tls.disabledAlgorithms} still allows
 * TLS 1.0, with the SDK limited to TLS 1.0: it validates once and closes (which delivers its report), and
 * prints what happened. Arguments: server URL, license key, state directory, trusted CAs (PEM), collector
 * HTTPS URL, collector HTTP URL.
 */
public final class OldRuntimeInstallation {

    private OldRuntimeInstallation() {
    }

    public static void main(String[] args) {
        LicenseClient client = LicenseClient.builder().serverUrl(URI.create(args[0])).licenseKey(args[1])
                .stateDirectory(Path.of(args[2])).trustedCas(Path.of(args[3]))
                .collector(URI.create(args[4]), URI.create(args[5])).tlsProtocols("TLSv1")
                .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(10)).build();
        LicenseStatus status = client.validate();
        client.close();
        System.out.println("client " + client.clientId());
        System.out.println("state " + status.state());
        System.out.println("failure " + status.lastFailure().map(LicenseStatus.Failure::errorClass).orElse("none"));
        System.out.println("reporting " + client.reporting());
    }
}
