package io.tlswatch.contract.kafka;

import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

import java.util.List;
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
}
