package io.tlswatch.launcher;

import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.kafka.TopicBootstrap;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tlswatch licenses} against a real broker, as an operator runs it. */
@ExtendWith(KafkaBrokerExtension.class)
class LicensesCommandIT {

    private KafkaBroker broker;
    private String bootstrap;
    private String topic;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void registry(KafkaBroker broker) {
        this.broker = broker;
        bootstrap = broker.bootstrapServers();
        topic = broker.createUnique(Topics.LICENSES).name();
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--direct", "--bootstrap-servers", bootstrap, "--topic", topic));
        return execute(all);
    }

    private int execute(List<String> all) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = Tlswatch.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(all.toArray(String[]::new));
    }

    @Test
    void issuesAndWalksALicenseThroughItsLifecycle() {
        // given a license issued from the command line
        int issued = run("licenses", "issue", "--customer", "Acme Logistics GmbH", "--plan", "enterprise",
                "--entitlement", "reporting,fleet-sync", "--max-machines", "25", "--not-before", "2025-01-01",
                "--valid-for", "P365D", "--grace", "PT72H");
        assertThat(issued).as(err.toString()).isZero();
        Matcher id = Pattern.compile("Issued license (lic-[a-z0-9]+) to Acme Logistics GmbH").matcher(out.toString());
        assertThat(id.find()).as(out.toString()).isTrue();
        String licenseId = id.group(1);
        assertThat(out.toString()).containsPattern("License key \\(shown only now, store it safely\\): TLSW-[A-Z2-7]{52}");

        // when it is listed, suspended, resumed and revoked
        assertThat(run("licenses", "list")).isZero();
        assertThat(out.toString()).contains(licenseId).contains("active").contains("reporting,fleet-sync")
                .contains("2026-01-01T00:00:00Z");
        assertThat(run("licenses", "suspend", licenseId)).isZero();
        assertThat(out.toString()).contains("License " + licenseId + ": active -> suspended");
        assertThat(run("licenses", "resume", licenseId)).isZero();
        assertThat(out.toString()).contains("suspended -> active");
        assertThat(run("licenses", "revoke", licenseId)).isZero();
        assertThat(run("licenses", "revoke", licenseId)).isZero();
        assertThat(out.toString()).contains("is already revoked; nothing written");

        // then revocation is final, with the documented exit code
        assertThat(run("licenses", "resume", licenseId)).isEqualTo(4);
        assertThat(err.toString()).contains("revocation is final");
        assertThat(run("licenses", "list", "--status", "revoked", "--json")).isZero();
        assertThat(out.toString()).contains("\"licenseId\" : \"" + licenseId + "\"").contains("\"status\" : \"revoked\"");
    }

    @Test
    void aDirectCommandWritesToTheRegistryTopicUnderTheConfigFilesTopicsPrefix(@TempDir Path dir) throws Exception {
        // given a deployment whose topics carry a prefix, named only in the command's configuration file
        String prefix = "it-" + UUID.randomUUID() + ".";
        Topic<String, LicenseRecord> prefixed = Topics.LICENSES.withName(prefix + Topics.LICENSES.name());
        try (Admin admin = broker.admin()) {
            new TopicBootstrap(admin, Duration.ofSeconds(30)).ensure(List.of(prefixed));
        }
        Path config = Files.writeString(dir.resolve("admin.properties"), "topics.prefix=" + prefix + "\n");

        // when a license is issued with --direct and that file, without --topic
        int issued = execute(List.of("licenses", "issue", "--customer", "Prefixed GmbH", "--plan", "pro",
                "--no-expiry", "--direct", "--bootstrap-servers", bootstrap, "--config", config.toString()));

        // then it is written to the prefixed topic, where the services read it
        assertThat(issued).as(err.toString()).isZero();
        Matcher id = Pattern.compile("Issued license (lic-[a-z0-9]+)").matcher(out.toString());
        assertThat(id.find()).as(out.toString()).isTrue();
        assertThat(broker.readUntil(prefixed, l -> l.licenseId().equals(id.group(1)), found -> !found.isEmpty(),
                Duration.ofSeconds(30))).extracting(LicenseRecord::customer).contains("Prefixed GmbH");
    }

    @Test
    void unknownLicenseExitsWithNotFound() {
        assertThat(run("licenses", "revoke", "lic-nosuch")).isEqualTo(3);
        assertThat(err.toString()).contains("lic-nosuch");
    }

    @Test
    void issueWithoutAnEndOfValidityIsAUsageError() {
        assertThat(run("licenses", "issue", "--customer", "x", "--plan", "y")).isEqualTo(2);
        assertThat(err.toString()).contains("--not-after").contains("--no-expiry");
    }
}
