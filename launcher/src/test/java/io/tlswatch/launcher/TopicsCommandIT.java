package io.tlswatch.launcher;

import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.notifier.Notifier;
import io.tlswatch.notifier.NotifierTopics;
import io.tlswatch.notifier.config.NotifierConfig;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The operator creates the topics by hand; services then start with {@code kafka.topics.create=never}. */
@ExtendWith(KafkaBrokerExtension.class)
class TopicsCommandIT {

    private record Run(int exitCode, String out, String err) {
    }

    private static Run tlswatch(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new Tlswatch()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Notifier startNotifier(KafkaBroker broker, String prefix) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(), "kafka.topics.create", "never",
                "topics.prefix", prefix, "admin.host", "127.0.0.1", "admin.port", "0", "node.name", "it",
                "consumer.groupId", KafkaBroker.uniqueGroupId("topics-command-it"), "startup.timeout", "60s",
                "shutdown.grace", "5s"));
        settings.putAll(Map.of("targets", "am", "target.am.kind", "alertmanager",
                "target.am.url", "http://127.0.0.1:9"));
        return Notifier.start(NotifierConfig.from(ConfigSource.of(settings)), NotifierTopics.defaults(), name -> null,
                Clock.systemUTC());
    }

    @Test
    void checkNamesEveryMissingTopicAndExitsOne(KafkaBroker broker) {
        // given
        String prefix = "cmd-" + UUID.randomUUID() + ".";

        // when
        Run check = tlswatch("topics", "check", "--bootstrap-servers", broker.bootstrapServers(), "--prefix", prefix);

        // then
        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.out()).contains(prefix + "tlswatch.licenses.v1: missing",
                prefix + "tlswatch.streams.dlq.v1: missing", "13 topics checked: 13 problems");
    }

    @Test
    void aServiceWithNeverRefusesToStartUntilTheTopicsAreCreatedByHand(KafkaBroker broker) throws Exception {
        // given a namespace nobody created
        String prefix = "cmd-" + UUID.randomUUID() + ".";

        // then the notifier, which may not create topics, refuses naming them
        assertThatThrownBy(() -> startNotifier(broker, prefix))
                .hasMessageContaining(prefix + "tlswatch.alerts.v1: missing")
                .hasMessageContaining(prefix + "tlswatch.alerts.dlq.v1: missing");

        // when the operator creates them
        Run create = tlswatch("topics", "create", "--bootstrap-servers", broker.bootstrapServers(), "--prefix", prefix);

        // then every topic is created under the prefix, the check passes, and the notifier starts
        assertThat(create.exitCode()).as(create.err()).isZero();
        assertThat(create.out()).contains("created  " + prefix + "tlswatch.alerts.v1",
                "13 topics: 13 created, 0 already there, 0 problems");
        assertThat(tlswatch("topics", "check", "--bootstrap-servers", broker.bootstrapServers(), "--prefix", prefix)
                .out()).contains("13 topics checked: all as expected");
        try (Notifier notifier = startNotifier(broker, prefix)) {
            assertThat(notifier).isNotNull();
        }
        try (Admin admin = broker.admin()) {
            assertThat(admin.listTopics().names().get().stream().filter(n -> n.startsWith(prefix))).hasSize(13);
        }
    }
}
