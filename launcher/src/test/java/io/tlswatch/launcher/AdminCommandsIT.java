package io.tlswatch.launcher;

import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.LicenseRecordStatus;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import io.tlswatch.validator.Validator;
import io.tlswatch.validator.ValidatorConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code tlswatch admin-tokens} and {@code tlswatch licenses} through the admin API of a running validator. */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminCommandsIT {

    private Validator validator;
    private String bootstrap;
    private Path ca;
    private StringWriter out;
    private StringWriter err;

    @BeforeAll
    void start(KafkaBroker broker, @TempDir Path certificates) {
        bootstrap = broker.bootstrapServers();
        DevCertificateFiles dev = new DevCertificates(certificates, DevCertificates.localHostNames(),
                Clock.systemUTC()).ensure();
        ca = dev.caCertificate();
        Map<String, String> values = new HashMap<>();
        values.put("https.port", "0");
        values.put("admin.port", "0");
        values.put("admin.api.port", "0");
        values.put("server.host", "127.0.0.1");
        values.put("admin.host", "127.0.0.1");
        values.put("tls.devCertificateDir", certificates.toString());
        values.put("kafka.bootstrap.servers", bootstrap);
        validator = Validator.start(ValidatorConfig.from(ConfigSource.of(values)), Clock.systemUTC());
    }

    @AfterAll
    void stop() {
        if (validator != null) {
            validator.close();
        }
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = Tlswatch.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private int api(String token, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", "https://localhost:" + validator.adminApiPort(), "--token", token,
                "--ca", ca.toString()));
        return run(all.toArray(String[]::new));
    }

    @Test
    void aTokenMadeOnTheCommandLineAdministersLicensesThroughTheApiUntilItIsRevoked() {
        // given a write token, printed once
        assertThat(run("admin-tokens", "create", "--name", "release-bot", "--scope", "write", "--expires-in", "90d",
                "--bootstrap-servers", bootstrap)).as(err.toString()).isZero();
        Matcher created = Pattern.compile("Created admin token ([0-9a-f]{16}) for release-bot[\\s\\S]*"
                + "Token \\(shown only now, store it safely\\): (tlswatch_at_\\S+)").matcher(out.toString());
        assertThat(created.find()).as(out.toString()).isTrue();
        String tokenId = created.group(1);
        String token = created.group(2);
        assertThat(run("admin-tokens", "list", "--bootstrap-servers", bootstrap)).isZero();
        assertThat(out.toString()).contains(tokenId).contains("release-bot").contains("write")
                .doesNotContain(token.substring(token.lastIndexOf('_') + 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> api(token, "licenses", "list") == 0);

        // when a license is issued and revoked through the API
        assertThat(api(token, "licenses", "issue", "--customer", "Acme", "--plan", "pro", "--valid-for", "P30D"))
                .as(err.toString()).isZero();
        Matcher id = Pattern.compile("Issued license (lic-[a-z0-9]+)").matcher(out.toString());
        assertThat(id.find()).isTrue();
        String licenseId = id.group(1);
        assertThat(api(token, "licenses", "revoke", licenseId)).isEqualTo(2);
        assertThat(err.toString()).contains("/reason");
        assertThat(api(token, "licenses", "revoke", licenseId, "--reason", "refund")).as(err.toString()).isZero();

        // then the registry has it revoked by the token's name, and resuming is refused
        assertThat(validator.registry().byLicenseId(licenseId)).hasValueSatisfying(l -> {
            assertThat(l.status()).isEqualTo(LicenseRecordStatus.REVOKED);
            assertThat(l.operator()).isEqualTo("release-bot");
            assertThat(l.reason()).isEqualTo("refund");
        });
        assertThat(api(token, "licenses", "resume", licenseId)).isEqualTo(4);
        assertThat(api(token, "licenses", "revoke", "lic-nosuch", "--reason", "x")).isEqualTo(3);

        // and once the token is revoked, the API refuses it
        assertThat(run("admin-tokens", "revoke", tokenId, "--bootstrap-servers", bootstrap)).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> api(token, "licenses", "list") == 1);
        assertThat(err.toString()).contains("401");
    }

    @Test
    void withoutAUrlOrTokenTheCommandSaysWhatIsMissing() {
        assertThat(run("licenses", "list", "--token", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("--url").contains("--direct");
    }
}
