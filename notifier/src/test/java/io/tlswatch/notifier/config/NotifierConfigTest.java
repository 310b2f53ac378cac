package io.tlswatch.notifier.config;

import io.tlswatch.notifier.NotifierTopics;
import io.tlswatch.contract.kafka.TopicSettings;
import io.tlswatch.contract.config.ConfigException;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotifierConfigTest {

    private static NotifierConfig from(Map<String, String> values) {
        return NotifierConfig.from(ConfigSource.of(values));
    }

    @Test
    void readsTargetsWithTheirRoutesAndDefaults() {
        NotifierConfig config = from(Map.of("targets", "pd1,chat",
                "target.pd1.kind", "pagerduty", "target.pd1.routingKeyEnv", "PD_KEY", "target.pd1.severities", "critical",
                "target.chat.kind", "slack", "target.chat.webhookUrlFile", "/run/secrets/slack",
                "target.chat.kinds", "client_posture, fingerprint_outdated"));

        assertThat(config.adminPort()).isEqualTo(9404);
        assertThat(config.groupId()).isEqualTo("tlswatch-notifier");
        TargetConfig pd = config.targets().get(0);
        assertThat(pd.name()).isEqualTo("pd1");
        assertThat(pd.url()).isEqualTo(URI.create("https://events.pagerduty.com/v2/enqueue"));
        assertThat(pd.secret()).isEqualTo(new Secret.Env("PD_KEY"));
        assertThat(pd.severities()).containsExactly(Severity.CRITICAL);
        assertThat(pd.kinds()).isEmpty();
        assertThat(pd.ratePerMinute()).as("PagerDuty's limit per integration key").isEqualTo(120);
        assertThat(pd.maxAttempts()).isEqualTo(config.delivery().maxAttempts());
        TargetConfig chat = config.targets().get(1);
        assertThat(chat.secret()).isEqualTo(new Secret.File(Path.of("/run/secrets/slack")));
        assertThat(chat.kinds()).containsExactlyInAnyOrder("client_posture", "fingerprint_outdated");
        assertThat(chat.severities()).containsExactlyInAnyOrder(Severity.values());
    }

    @Test
    void environmentOverridesReachTargetSettings(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("notifier.properties");
        Files.writeString(file, "targets=am\ntarget.am.kind=alertmanager\ntarget.am.url=http://localhost:9093\n");

        Files.writeString(file, "target.am.firingTtl=1d\n", java.nio.file.StandardOpenOption.APPEND);
        NotifierConfig config = NotifierConfig.load(file, Map.of("TLSWATCH_TARGET_AM_URL", "http://am.internal:9093",
                "TLSWATCH_TARGET_AM_FIRINGTTL", "2d",
                "TLSWATCH_TARGET_AM_MAXATTEMPTS", "3", "TLSWATCH_DELIVERY_INITIALBACKOFF", "2s"));

        assertThat(config.targets().get(0).url()).isEqualTo(URI.create("http://am.internal:9093"));
        assertThat(config.targets().get(0).maxAttempts()).isEqualTo(3);
        assertThat(config.targets().get(0).firingTtl()).as("the override beats the file's camelCase key")
                .isEqualTo(Duration.ofDays(2));
        assertThat(config.delivery().initialBackoff()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void refusesASecretWrittenIntoTheFileNamingTheKeyButNotTheValue() {
        assertThatThrownBy(() -> from(Map.of("targets", "pd1", "target.pd1.kind", "pagerduty",
                "target.pd1.routingKey", "R0UT1NGKEY-SECRET")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("target.pd1.routingkey")
                .hasMessageContaining("routingKeyEnv")
                .hasMessageNotContaining("R0UT1NGKEY-SECRET");
        assertThatThrownBy(() -> from(Map.of("targets", "s", "target.s.kind", "slack",
                "target.s.url", "https://hooks.slack.com/services/T/B/SECRET")))
                .hasMessageContaining("target.s.url").hasMessageContaining("webhookUrlEnv")
                .hasMessageNotContaining("SECRET");
    }

    @Test
    void refusesUnknownAndOrphanKeysAndMissingParts() {
        Map<String, String> base = new HashMap<>(Map.of("targets", "hook", "target.hook.kind", "webhook",
                "target.hook.url", "https://example.com/hook", "target.hook.hmacKeyEnv", "HOOK_KEY"));
        assertThat(from(base).targets()).hasSize(1);

        Map<String, String> typo = new HashMap<>(base);
        typo.put("target.hook.timout", "5s");
        assertThatThrownBy(() -> from(typo)).hasMessageContaining("target.hook.timout");

        Map<String, String> orphan = new HashMap<>(base);
        orphan.put("target.other.kind", "slack");
        assertThatThrownBy(() -> from(orphan)).hasMessageContaining("target.other.kind").hasMessageContaining("no target");

        assertThatThrownBy(() -> from(Map.of("targets", "hook", "target.hook.kind", "webhook",
                "target.hook.url", "https://example.com"))).hasMessageContaining("target.hook.hmacKeyEnv");
        assertThatThrownBy(() -> from(Map.of("targets", "am", "target.am.kind", "alertmanager")))
                .hasMessageContaining("target.am.url is required");
        assertThatThrownBy(() -> from(Map.of("targets", "x", "target.x.kind", "pager")))
                .hasMessageContaining("target.x.kind must be one of");
        assertThatThrownBy(() -> from(Map.of())).hasMessageContaining("targets must name at least one target");
        assertThatThrownBy(() -> from(Map.of("targets", "Bad-Name"))).hasMessageContaining("'Bad-Name'");
        assertThatThrownBy(() -> from(Map.of("targets", "pd", "target.pd.kind", "pagerduty",
                "target.pd.routingKeyEnv", "K", "target.pd.severities", "urgent")))
                .hasMessageContaining("target.pd.severities").hasMessageContaining("urgent");
        assertThatThrownBy(() -> from(Map.of("targets", "pd", "target.pd.kind", "pagerduty",
                "target.pd.routingKeyEnv", "K", "delivery.maxAttempts", "0")))
                .hasMessageContaining("delivery.maxAttempts");
    }

    @Test
    void unknownTopLevelKeysInTheFileAreRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("notifier.properties");
        Files.writeString(file, "targets=am\ntarget.am.kind=alertmanager\ntarget.am.url=http://localhost:9093\nadmin.prot=1\n");

        assertThatThrownBy(() -> NotifierConfig.load(file, Map.of())).hasMessageContaining("admin.prot");
    }

    @Test
    void secretsComeFromTheEnvironmentOrAFileAndNeverPrint(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("key");
        Files.writeString(file, "from-file\n");

        SecretValue fromEnv = new Secret.Env("K").resolve(Map.of("K", "from-env")::get);
        SecretValue fromFile = new Secret.File(file).resolve(name -> null);

        assertThat(fromEnv.reveal()).isEqualTo("from-env");
        assertThat(fromFile.reveal()).isEqualTo("from-file");
        assertThat(fromEnv.toString()).doesNotContain("from-env");
        assertThatThrownBy(() -> new Secret.Env("MISSING").resolve(name -> null)).hasMessageContaining("MISSING");
        assertThatThrownBy(() -> new Secret.File(dir.resolve("absent")).resolve(name -> null))
                .hasMessageContaining("absent");
        assertThat(Set.of(new Secret.Env("X").toString())).allSatisfy(s -> assertThat(s).contains("X"));
    }

    @Test
    void cohortsDefaultToMoreThanTwentyClientsWithinFiveMinutesWithoutALink() {
        NotifierConfig config = from(Map.of("targets", "am", "target.am.kind", "alertmanager",
                "target.am.url", "http://localhost:9093"));

        assertThat(config.cohorts()).isEqualTo(new CohortSettings(20, Duration.ofMinutes(5), null));
        assertThat(config.cohorts().enabled()).isTrue();
    }

    @Test
    void cohortKeysAreReadAndCheckedNamingTheKey() {
        Map<String, String> base = Map.of("targets", "am", "target.am.kind", "alertmanager",
                "target.am.url", "http://localhost:9093");
        Map<String, String> set = new HashMap<>(base);
        set.putAll(Map.of("alerts.cohort.threshold", "0", "alerts.cohort.window", "2m",
                "alerts.cohort.queryBaseUrl", "https://streams.internal:9403"));

        assertThat(from(set).cohorts()).isEqualTo(new CohortSettings(0, Duration.ofMinutes(2),
                URI.create("https://streams.internal:9403")));
        assertThat(from(set).cohorts().enabled()).isFalse();
        for (Map.Entry<String, String> bad : List.of(Map.entry("alerts.cohort.threshold", "-1"),
                Map.entry("alerts.cohort.threshold", "many"), Map.entry("alerts.cohort.window", "0s"),
                Map.entry("alerts.cohort.window", "2h"), Map.entry("alerts.cohort.queryBaseUrl", "streams:9403"),
                Map.entry("alerts.cohort.queryBaseUrl", "http://streams:9403/v1/clients?posture=stuck"))) {
            Map<String, String> values = new HashMap<>(base);
            values.put(bad.getKey(), bad.getValue());
            assertThatThrownBy(() -> from(values)).as(bad.toString()).hasMessageContaining(bad.getKey());
        }
    }

    @Test
    void readsTheTopicKeysEveryServiceSharesAndRefusesABadOneNamingIt(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("notifier.properties");
        Files.writeString(file, "targets=am\ntarget.am.kind=alertmanager\ntarget.am.url=http://localhost:9093\n"
                + "kafka.topics.create=never\ntopics.prefix=acme.\n");

        // when
        NotifierConfig config = NotifierConfig.load(file, Map.of("TLSWATCH_TOPICS_MININSYNCREPLICAS", "2"));

        // then
        assertThat(config.kafka().topics()).isEqualTo(new TopicSettings(TopicSettings.Create.NEVER, "acme.", 0, 2));
        assertThat(NotifierTopics.defaults().named(config.kafka().topics()).alerts().name())
                .isEqualTo("acme.tlswatch.alerts.v1");
        assertThatThrownBy(() -> NotifierConfig.load(file, Map.of("TLSWATCH_KAFKA_TOPICS_CREATE", "maybe")))
                .hasMessage("kafka.topics.create must be auto or never, was 'maybe'");
    }
}
