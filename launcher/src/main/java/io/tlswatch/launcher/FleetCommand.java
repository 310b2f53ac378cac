package io.tlswatch.launcher;

import io.tlswatch.contract.config.ConfigException;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.launcher.fleet.LegacyClientProtocols;
import io.tlswatch.launcher.fleet.StandaloneFleet;
import io.tlswatch.launcher.fleet.StandaloneFleetSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code tlswatch fleet}: the demo's simulated fleet against a stack that already runs (docker compose's
 * {@code fleet} profile), until Ctrl-C or SIGTERM.
 */
@Command(name = "fleet",
        mixinStandardHelpOptions = true,
        description = {"Runs a simulated fleet of clients against a running validator and collector.",
                "Real SDK clients with a mix of TLS stacks that check their licenses and report their TLS failures. "
                        + "Issues their licenses through the registry topic first. "
                        + "Details: docs/demo.md#against-a-running-stack-tlswatch-fleet."})
final class FleetCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--validator", required = true, paramLabel = "URL", description = "The validator's public URL (its server.publicUrl), https.")
    private String validator;

    @Option(names = "--collector-https", required = true, paramLabel = "URL", description = "The collector's HTTPS listener, e.g. https://collector:8444.")
    private String collectorHttps;

    @Option(names = "--collector-http", required = true, paramLabel = "URL", description = "The collector's plain HTTP listener, e.g. http://collector:8080.")
    private String collectorHttp;

    @Option(names = "--ca", required = true, paramLabel = "FILE", description = "PEM file of the CA the servers' certificates chain to (the validator's development ca.pem); host names are verified against it.")
    private Path ca;

    @CommandLine.Mixin
    private final BootstrapServersOption kafka = new BootstrapServersOption();

    @Option(names = "--config", paramLabel = "FILE", description = "A file whose kafka.* keys pass through to the Kafka client that issues the licenses, and whose topics.prefix names the registry topic, as in the services.")
    private Path config;

    @Option(names = "--bind-addresses", negatable = true, description = {"Connect each client from its own 127.x address (the servers must be on loopback).",
            "Default: when every target host is a loopback address. --no-bind-addresses: every client connects from this host's address."})
    private Boolean bindAddresses;

    @CommandLine.Mixin
    private final FleetPlanOptions fleet = new FleetPlanOptions();

    @Option(names = "--admin-host", defaultValue = "0.0.0.0", paramLabel = "HOST", description = "Address of the admin port (default: ${DEFAULT-VALUE}).")
    private String adminHost;

    @Option(names = "--admin-port", defaultValue = "9405", paramLabel = "PORT", description = "Admin port: /metrics, /health/live, /health/ready (ready once checks complete; default: ${DEFAULT-VALUE}; 0 picks one).")
    private int adminPort;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Keep each client's SDK state and fleet.json here (default: a temporary directory, deleted at the end).")
    private Path workDir;

    @Override
    public Integer call() {
        StandaloneFleetSettings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException | ConfigException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        // Before anything in this JVM touches TLS: the simulated old runtimes need TLS 1.0 and 1.1 back.
        LegacyClientProtocols.allow();
        return new ForegroundService<StandaloneFleet>("fleet", spec.commandLine().getOut(), spec.commandLine().getErr()).run(
                () -> StandaloneFleet.start(settings, Clock.systemUTC()),
                f -> String.format(Locale.ROOT, "Fleet of %d clients (%s) checking %s, reporting to %s and %s, "
                                + "from %s; fleet.json in %s (admin on http://localhost:%d/).",
                        settings.fleet().clients(), settings.fleet(), settings.validator(), settings.collectorHttps(),
                        settings.collectorHttp(), settings.bindAddresses() ? "own 127.x addresses" : "one shared address",
                        f.workDir(), f.adminPort()),
                ForegroundService::never);
    }

    /** Every option checked, before anything starts; each error names its option. */
    StandaloneFleetSettings settings() {
        URI validatorUrl = url("--validator", validator, "https");
        URI https = url("--collector-https", collectorHttps, "https");
        URI http = url("--collector-http", collectorHttp, "http");
        checkCa();
        if (kafka.given() != null && kafka.given().isBlank()) {
            throw new IllegalArgumentException(BootstrapServersOption.NAME + " must name at least one broker (host:port)");
        }
        KafkaSettings kafkaSettings = kafka.settings(config);
        if (adminPort < 0 || adminPort > 65_535) {
            throw new IllegalArgumentException("--admin-port must be 0 to 65535, was " + adminPort);
        }
        boolean loopback = List.of(validatorUrl, https, http).stream().allMatch(FleetCommand::loopback);
        if (Boolean.TRUE.equals(bindAddresses) && !loopback) {
            throw new IllegalArgumentException("--bind-addresses needs every target on a loopback address (a socket "
                    + "bound to 127.x reaches nothing else); use --no-bind-addresses");
        }
        return new StandaloneFleetSettings(fleet.toOptions(), validatorUrl, https, http, ca, kafkaSettings,
                bindAddresses == null ? loopback : bindAddresses, adminHost, adminPort, Optional.ofNullable(workDir));
    }

    private static URI url(String option, String text, String scheme) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(option + " must be a URL such as " + scheme + "://host:port, was '" + text + "'");
        }
        if (!scheme.equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(option + " must be an " + scheme + " URL with a host, was '" + text + "'");
        }
        return uri;
    }

    private void checkCa() {
        if (!Files.isReadable(ca)) {
            throw new IllegalArgumentException("--ca " + ca + " is not a readable file");
        }
        try (InputStream in = Files.newInputStream(ca)) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                throw new IllegalArgumentException("--ca " + ca + " holds no PEM certificate");
            }
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("--ca " + ca + " holds no readable PEM certificate: " + e.getMessage());
        }
    }

    private static boolean loopback(URI uri) {
        try {
            return InetAddress.getByName(uri.getHost()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
