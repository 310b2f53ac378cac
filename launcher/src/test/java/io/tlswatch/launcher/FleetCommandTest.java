package io.tlswatch.launcher;

import io.tlswatch.tlsserver.tls.DevCertificates;
import io.tlswatch.launcher.fleet.StandaloneFleetSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tlswatch fleet}'s options: each bad one refused with exit 2 and its name before anything starts. */
class FleetCommandTest {

    @TempDir
    Path dir;

    private Path ca;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void ca() {
        ca = new DevCertificates(dir.resolve("certs"), List.of("validator", "collector"), Clock.systemUTC()).ensure()
                .caCertificate();
    }

    /** The options docker-compose.yml gives, with {@code overrides} replacing or adding some. */
    private List<String> args(String... overrides) {
        List<String> args = new ArrayList<>(List.of("--validator", "https://validator:8443",
                "--collector-https", "https://collector:8444", "--collector-http", "http://collector:8080",
                "--ca", ca.toString(), "--bootstrap-servers", "kafka:9092", "--no-bind-addresses"));
        for (int i = 0; i < overrides.length; i++) {
            int at = args.indexOf(overrides[i]);
            boolean flag = overrides[i].startsWith("--") && (i + 1 == overrides.length || overrides[i + 1].startsWith("--"));
            if (at >= 0 && !flag) {
                args.set(at + 1, overrides[++i]);
            } else if (at < 0) {
                args.add(overrides[i]);
                if (!flag) {
                    args.add(overrides[++i]);
                }
            }
        }
        return args;
    }

    private int run(List<String> args) {
        CommandLine cli = Tlswatch.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("fleet"));
        all.addAll(args);
        return cli.execute(all.toArray(String[]::new));
    }

    private static StandaloneFleetSettings parse(List<String> args) {
        FleetCommand command = new FleetCommand();
        new CommandLine(command).parseArgs(args.toArray(String[]::new));
        return command.settings();
    }

    @Test
    void composeOptionsGiveTheFleetItsTargetsTrustAndPlan() {
        // when
        StandaloneFleetSettings settings = parse(args("--clients", "25", "--seed", "7", "--check-every", "2s"));

        // then
        assertThat(settings.validator()).isEqualTo(URI.create("https://validator:8443"));
        assertThat(settings.collectorHttps()).isEqualTo(URI.create("https://collector:8444"));
        assertThat(settings.collectorHttp()).isEqualTo(URI.create("http://collector:8080"));
        assertThat(settings.ca()).isEqualTo(ca);
        assertThat(settings.kafka().bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(settings.bindAddresses()).isFalse();
        assertThat(settings.fleet().clients()).isEqualTo(25);
        assertThat(settings.fleet().seed()).isEqualTo(7);
        assertThat(settings.fleet().checkEvery()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.adminPort()).isEqualTo(9405);
        assertThat(settings.workDir()).isEmpty();
    }

    @Test
    void theConfigFilesTopicsPrefixNamesTheRegistryTopicTheFleetIssuesThrough() throws Exception {
        // given a deployment whose topics carry a prefix, with brokers and a client setting in the same file
        Path config = Files.writeString(dir.resolve("kafka.properties"), "topics.prefix=acme.\n"
                + "kafka.bootstrap.servers=file-kafka:9092\nkafka.client.dns.lookup=use_all_dns_ips\n");

        // when the fleet is given that file, and brokers on the command line
        StandaloneFleetSettings settings = parse(args("--config", config.toString()));

        // then it issues through the registry topic under the prefix, as the validator reads it, with the file's
        // client settings and the command line's brokers
        assertThat(settings.registry().name()).isEqualTo("acme.tlswatch.licenses.v1");
        assertThat(settings.kafka().bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(settings.kafka().passthrough()).containsEntry("client.dns.lookup", "use_all_dns_ips");
    }

    @Test
    void withoutAConfigFileTheFleetIssuesThroughTheCataloguesRegistryTopic() {
        assertThat(parse(args()).registry().name()).isEqualTo("tlswatch.licenses.v1");
    }

    @Test
    void theEarlierKafkaFlagStillGivesTheBrokersAndWarnsToUseBootstrapServers() {
        // given
        List<String> old = args();
        old.set(old.indexOf("--bootstrap-servers"), "--kafka");
        FleetCommand command = new FleetCommand();
        CommandLine cli = new CommandLine(command);
        cli.setErr(new PrintWriter(err, true));

        // when
        cli.parseArgs(old.toArray(String[]::new));

        // then
        assertThat(command.settings().kafka().bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(err.toString()).contains("--kafka is deprecated").contains("use --bootstrap-servers kafka:9092");
    }

    @Test
    void addressesAreBoundByDefaultOnlyWhenEveryTargetIsOnLoopback() {
        List<String> loopback = List.of("--validator", "https://127.0.0.1:8443", "--collector-https", "https://127.0.0.1:8444",
                "--collector-http", "http://localhost:8080", "--ca", ca.toString());
        List<String> remote = List.of("--validator", "https://192.0.2.10:8443", "--collector-https", "https://127.0.0.1:8444",
                "--collector-http", "http://127.0.0.1:8080", "--ca", ca.toString());

        assertThat(parse(loopback).bindAddresses()).isTrue();
        assertThat(parse(concat(loopback, "--no-bind-addresses")).bindAddresses()).isFalse();
        assertThat(parse(remote).bindAddresses()).isFalse();
    }

    @Test
    void bindingAddressesWithATargetOffLoopbackIsRefusedNamingTheOption() {
        int code = run(List.of("--validator", "https://192.0.2.10:8443", "--collector-https", "https://127.0.0.1:8444",
                "--collector-http", "http://127.0.0.1:8080", "--ca", ca.toString(), "--bind-addresses"));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--bind-addresses needs every target on a loopback address");
        assertThat(out.toString()).doesNotContain("Fleet of");
    }

    @Test
    void eachBadOptionIsRefusedWithExitTwoNamingIt() throws Exception {
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
        List<List<String>> cases = List.of(
                args("--validator", "http://validator:8443"), List.of("--validator must be an https URL"),
                args("--validator", "https://"), List.of("--validator must be a URL"),
                args("--collector-https", "http://collector:8444"), List.of("--collector-https must be an https URL"),
                args("--collector-http", "collector:8080"), List.of("--collector-http must be an http URL"),
                args("--ca", dir.resolve("missing.pem").toString()), List.of("--ca", "is not a readable file"),
                args("--ca", notPem.toString()), List.of("--ca", "certificate"),
                args("--bootstrap-servers", " "), List.of("--bootstrap-servers must name at least one broker"),
                args("--clients", "0"), List.of("--clients: clients must be 1 to 10000"),
                args("--nat-share", "1.5"), List.of("--nat-share: natShare must be between 0 and 1"),
                args("--check-every", "0s"), List.of("--check-every must be positive"),
                args("--churn-after", "soon"), List.of("--churn-after"),
                args("--mix", "java6=3"), List.of("--mix: unknown stack 'java6'"),
                args("--admin-port", "70000"), List.of("--admin-port must be 0 to 65535"));
        for (int i = 0; i < cases.size(); i += 2) {
            StringWriter e = new StringWriter();
            CommandLine cli = Tlswatch.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(e, true));
            List<String> all = new ArrayList<>(List.of("fleet"));
            all.addAll(cases.get(i));

            int code = cli.execute(all.toArray(String[]::new));

            assertThat(code).as(String.join(" ", all)).isEqualTo(2);
            for (String expected : cases.get(i + 1)) {
                assertThat(e.toString()).as(String.join(" ", all)).contains(expected);
            }
        }
        assertThat(out.toString()).doesNotContain("Fleet of");
    }

    @Test
    void missingRequiredTargetsAreNamed() {
        int code = run(List.of("--ca", ca.toString()));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--validator").contains("--collector-https").contains("--collector-http");
    }

    @Test
    void theFleetCommandIsListedWithItsOptions() {
        assertThat(run(List.of("--help"))).isZero();
        assertThat(out.toString()).contains("--validator=URL").contains("--collector-https=URL").contains("--ca=FILE")
                .contains("--bootstrap-servers=HOSTS").doesNotContain("--kafka").contains("--[no-]bind-addresses").contains("--clients").contains("--seed");
        StringWriter top = new StringWriter();
        CommandLine cli = Tlswatch.commandLine();
        cli.setOut(new PrintWriter(top, true));
        cli.execute("--help");
        assertThat(top.toString()).containsPattern("(?m)^\\s+fleet\\s+Runs a simulated fleet");
    }

    private static List<String> concat(List<String> list, String... more) {
        List<String> all = new ArrayList<>(list);
        all.addAll(Arrays.asList(more));
        return all;
    }
}
