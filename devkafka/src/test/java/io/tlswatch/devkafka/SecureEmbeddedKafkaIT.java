package io.tlswatch.devkafka;

import io.tlswatch.contract.kafka.KafkaSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded broker with SASL_SSL, SCRAM-SHA-512 and ACLs on: strict, and usable through clientSettings. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecureEmbeddedKafkaIT {

    private EmbeddedKafka kafka;

    @BeforeAll
    void start() {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults()
                .withSecurity(Security.scram("admin").withUser("alice").withUser("bob", "bobs-password")));
    }

    @AfterAll
    void stop() {
        kafka.close();
    }

    private KafkaSettings settings(String user) {
        return KafkaSettings.fromPrefixed(kafka.clientSettings(user), null);
    }

    @Test
    void clientSettingsAreTheKafkaKeysOfAServiceConfiguration() {
        // when
        Map<String, String> settings = kafka.clientSettings("bob");

        // then
        assertThat(settings).containsEntry("kafka.bootstrap.servers", kafka.bootstrapServers())
                .containsEntry("kafka.security.protocol", "SASL_SSL")
                .containsEntry("kafka.sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule"
                        + " required username=\"bob\" password=\"bobs-password\";")
                .containsEntry("kafka.ssl.truststore.type", "PEM")
                .containsKey("kafka.ssl.truststore.location");
        assertThat(kafka.options().security().toString()).doesNotContain("bobs-password");
    }

    @Test
    void theAdminMayDoAnythingAndAUserNothingUntilGrantedAnAcl() throws Exception {
        // given a topic the admin creates
        String topic = "secure-" + UUID.randomUUID();
        try (Admin admin = Admin.create(settings("admin").admin())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }

        // then alice, authenticated but without an ACL, may not write to it
        assertThatThrownBy(() -> send("alice", topic)).hasRootCauseInstanceOf(TopicAuthorizationException.class);

        // when the admin grants her WRITE and DESCRIBE on it
        try (Admin admin = Admin.create(settings("admin").admin())) {
            ResourcePattern resource = new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL);
            admin.createAcls(List.of(AclOperation.WRITE, AclOperation.DESCRIBE).stream()
                    .map(op -> new AclBinding(resource,
                            new AccessControlEntry("User:alice", "*", op, AclPermissionType.ALLOW)))
                    .toList()).all().get(30, TimeUnit.SECONDS);
        }

        // then she may
        assertThat(send("alice", topic)).isNotNull();
    }

    @Test
    void aWrongPasswordIsRefused() {
        // given
        Map<String, Object> props = new HashMap<>(settings("alice").admin());
        props.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"alice\" password=\"wrong\";");

        // then
        try (Admin admin = Admin.create(props)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void securityIsOffUnlessAskedFor() {
        assertThat(EmbeddedKafka.Options.defaults().security().enabled()).isFalse();
        assertThat(EmbeddedKafka.Options.defaults().withPort(1).security()).isEqualTo(Security.off());
    }

    private Object send(String user, String topic) throws Exception {
        Map<String, Object> props = settings(user).producer("secure-it-" + user);
        props.put("max.block.ms", 20_000);
        props.put("delivery.timeout.ms", 20_000);
        props.put("request.timeout.ms", 10_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            return producer.send(new ProducerRecord<>(topic, "k", "v")).get(Duration.ofSeconds(30).toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }
}
