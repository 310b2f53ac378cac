package io.tlswatch.contract.kafka;

import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaAccessDeniedTest {

    @Test
    void aTopicAuthorizationErrorNamesTheAclToGrantOnEachRefusedTopic() {
        // given
        var failure = new ExecutionException(new TopicAuthorizationException(Set.of("tlswatch.licenses.v1")));

        // when
        var denied = KafkaAccessDenied.of(failure, "DESCRIBE", List.of("tlswatch.licenses.v1", "other"),
                "User:validator");

        // then
        assertThat(denied).get().extracting(Throwable::getMessage).isEqualTo("Kafka denied DESCRIBE on topics "
                + "[tlswatch.licenses.v1]: grant ALLOW DESCRIBE on TOPIC tlswatch.licenses.v1 to User:validator "
                + "(docs/kafka.md)");
    }

    @Test
    void aClusterAuthorizationErrorOnCreateNamesTheClusterAclAndTheWayWithoutIt() {
        // when
        var denied = KafkaAccessDenied.of(new ExecutionException(new ClusterAuthorizationException("denied")),
                "CREATE", List.of("t"), "User:collector");

        // then
        assertThat(denied).get().extracting(Throwable::getMessage).asString()
                .startsWith("Kafka denied CREATE on the cluster: grant ALLOW CREATE on CLUSTER kafka-cluster to "
                        + "User:collector")
                .contains("kafka.topics.create=never");
    }

    @Test
    void otherFailuresAreNotAccessErrors() {
        assertThat(KafkaAccessDenied.of(new ExecutionException(new TimeoutException("slow")), "DESCRIBE",
                List.of("t"), "User:x")).isEmpty();
    }

    @Test
    void operationsTheBrokerWouldRefuseAreNamedOneAclPerOperationAndTopic() {
        // given
        Map<String, List<String>> missing = new LinkedHashMap<>();
        missing.put("acme.tlswatch.alerts.v1", List.of("READ"));
        missing.put("acme.tlswatch.alerts.dlq.v1", List.of("WRITE"));

        // when
        KafkaAccessDenied denied = KafkaAccessDenied.missing(missing, "User:notifier");

        // then
        assertThat(denied).hasMessage("Kafka denies User:notifier 2 operations the service needs: grant ALLOW READ"
                + " on TOPIC acme.tlswatch.alerts.v1, ALLOW WRITE on TOPIC acme.tlswatch.alerts.dlq.v1 to"
                + " User:notifier (docs/kafka.md)");
    }

    @Test
    void aGroupAuthorizationErrorNamesTheGroupAclToGrant() {
        // when
        var denied = KafkaAccessDenied.ofGroup(new RuntimeException(
                new GroupAuthorizationException("denied", "tlswatch-notifier")), "User:notifier");

        // then
        assertThat(denied).get().extracting(Throwable::getMessage).isEqualTo("Kafka denied User:notifier the consumer"
                + " group tlswatch-notifier: grant ALLOW READ on GROUP tlswatch-notifier to User:notifier"
                + " (docs/kafka.md)");
        assertThat(KafkaAccessDenied.ofGroup(new TimeoutException("slow"), "User:notifier")).isEmpty();
    }

    @Test
    void aStreamsJobRefusedItsGroupIsToldToGrantReadAndDescribeOnTheApplicationId() {
        // given the error a stream thread dies of, wrapped as Kafka Streams wraps it (in a KafkaException)
        var failure = new org.apache.kafka.common.KafkaException(
                new GroupAuthorizationException("Not authorized to access group: acme.tlswatch-streams"));

        // when
        var denied = KafkaAccessDenied.ofStreams(failure, "acme.tlswatch-streams", "User:streams");

        // then
        assertThat(denied).get().extracting(Throwable::getMessage).isEqualTo("Kafka denied User:streams the consumer "
                + "group acme.tlswatch-streams: grant ALLOW READ, DESCRIBE on GROUP acme.tlswatch-streams to "
                + "User:streams (docs/kafka.md)");
    }

    @Test
    void aStreamsJobRefusedItsTransactionalIdsIsToldToGrantThePrefixedAcl() {
        // when
        var denied = KafkaAccessDenied.ofStreams(new org.apache.kafka.common.KafkaException(
                        new org.apache.kafka.common.errors.TransactionalIdAuthorizationException("denied")),
                "tlswatch-streams", "User:streams");

        // then
        assertThat(denied).get().extracting(Throwable::getMessage).asString()
                .contains("grant ALLOW WRITE, DESCRIBE on TRANSACTIONAL_ID prefixed tlswatch-streams to User:streams");
    }

    @Test
    void aStreamsJobRefusedAnInternalTopicIsToldToGrantTheDocumentedPrefixedTopicAcl() {
        // when
        var denied = KafkaAccessDenied.ofStreams(new TopicAuthorizationException(
                Set.of("tlswatch-streams-client-state-store-changelog")), "tlswatch-streams", "User:streams");

        // then
        assertThat(denied).get().extracting(Throwable::getMessage).asString()
                .contains("grant ALLOW CREATE, READ, WRITE, DESCRIBE, DESCRIBE_CONFIGS, DELETE on TOPIC prefixed "
                        + "tlswatch-streams- (its internal topics) to User:streams");
    }

    @Test
    void aStreamsFailureThatIsNoAccessErrorIsNotReportedAsOne() {
        assertThat(KafkaAccessDenied.ofStreams(new IllegalStateException("disk full"), "app", "User:s")).isEmpty();
    }
}
