package io.tlswatch.launcher.demo;

import io.tlswatch.collector.config.CollectorConfig;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.kafka.TopicSettings;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.notifier.NotifierTopics;
import io.tlswatch.notifier.config.NotifierConfig;
import io.tlswatch.streams.config.PostureJobConfig;
import io.tlswatch.validator.ValidatorConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The configuration {@code tlswatch demo} hands its services, read by each service's own configuration class. */
class DemoConfigsTest {

    private static final URI VALIDATOR = URI.create("https://127.0.0.1:18443");
    private static final URI WEBHOOK = URI.create("http://127.0.0.1:18080/alerts");
    private static final URI STREAMS = URI.create("http://127.0.0.1:18090");

    private static DemoConfigs configs(TopicSettings topics) {
        return new DemoConfigs("127.0.0.1:19092", topics, Path.of("certs"));
    }

    private static TopicSettings prefixed(String prefix) {
        return TopicSettings.from(Map.of(TopicSettings.KEY_PREFIX, prefix));
    }

    @Test
    void everyServiceTheDemoRunsNamesItsTopicsUnderTheDemosPrefix() {
        // given a demo asked for the prefix acme.
        DemoConfigs configs = configs(prefixed("acme."));

        // when each service reads the configuration the demo hands it
        ValidatorConfig validator = ValidatorConfig.from(ConfigSource.of(configs.validator(18443, VALIDATOR)));
        CollectorConfig collector = CollectorConfig.from(ConfigSource.of(configs.collector()));
        PostureJobConfig streams = PostureJobConfig.from(ConfigSource.of(configs.streams(Path.of("state"))));
        NotifierConfig notifier = NotifierConfig.from(ConfigSource.of(configs.notifier(WEBHOOK, "KEY_ENV", STREAMS)));

        // then each names its topics as the demo created them, on the demo's broker
        assertThat(validator.server().kafka().topics().named(Topics.LICENSES).name())
                .isEqualTo("acme.tlswatch.licenses.v1");
        assertThat(validator.server().kafka().topics().named(Topics.MACHINES).name())
                .isEqualTo("acme.tlswatch.machines.v1");
        assertThat(collector.server().kafka().topics().named(Topics.CLIENT_REPORTS).name())
                .isEqualTo("acme.tlswatch.client-reports.v1");
        assertThat(streams.topics().handshakes().name()).isEqualTo("acme.tlswatch.handshakes.v1");
        assertThat(streams.topics().alerts().name()).isEqualTo("acme.tlswatch.alerts.v1");
        assertThat(NotifierTopics.defaults().named(notifier.kafka().topics()).alerts().name())
                .isEqualTo("acme.tlswatch.alerts.v1");
        assertThat(validator.server().kafka().bootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(notifier.kafka().bootstrapServers()).isEqualTo("127.0.0.1:19092");
        // and the posture job's internal topics, named after its application id, share the namespace
        assertThat(streams.applicationId()).isEqualTo("acme.tlswatch-demo");
    }

    @Test
    void withoutAPrefixTheServicesKeepTheCataloguesNames() {
        // given a demo asked for no prefix
        DemoConfigs configs = configs(TopicSettings.DEFAULTS);

        // when the services read their configuration
        Map<String, String> validator = configs.validator(18443, VALIDATOR);
        PostureJobConfig streams = PostureJobConfig.from(ConfigSource.of(configs.streams(Path.of("state"))));

        // then no prefix is set and the names are the catalogue's
        assertThat(validator).doesNotContainKey(TopicSettings.KEY_PREFIX);
        assertThat(ValidatorConfig.from(ConfigSource.of(validator)).server().kafka().topics()
                .named(Topics.LICENSES).name()).isEqualTo(Topics.LICENSES.name());
        assertThat(streams.topics().handshakes().name()).isEqualTo(Topics.HANDSHAKES.name());
        assertThat(streams.applicationId()).isEqualTo("tlswatch-demo");
    }
}
