package io.tlswatch.launcher;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DocumentedAclsTest {

    private static final String TABLES = """
            # Kafka

            ## ACLs per service principal

            | principal | topic (resource TOPIC, literal) | operations |
            |---|---|---|
            | notifier | `P`tlswatch.alerts.v1 | READ, DESCRIBE (+ DESCRIBE_CONFIGS with `never`) |
            | validator with the admin API on (`admin.api.port`) | `P`tlswatch.licenses.v1 | also WRITE |
            | operator (`tlswatch topics create`) | every topic above (prefixed pattern `P`tlswatch.) | CREATE (or CREATE on CLUSTER) |

            | principal | resource | name | operations | why |
            |---|---|---|---|---|
            | collector | (none) | | | it only produces |
            | streams | TRANSACTIONAL_ID, prefixed | `streams.applicationId` (`tlswatch-streams`) | WRITE | transactions |

            ## Next section

            | principal | topic | operations |
            |---|---|---|
            | nobody | `P`tlswatch.x.v1 | READ |
            """;

    @Test
    void rowsBecomeBindingsUnderThePrefixWithTheNeverOperationsOnlyWhenAskedAndTheAdminApiRowsOnlyWhenOn(
            @TempDir Path dir) throws Exception {
        // given
        Path markdown = Files.writeString(dir.resolve("kafka.md"), TABLES);

        // when
        List<AclBinding> never = DocumentedAcls.read(markdown).bindings("acme.", true, false);
        List<AclBinding> auto = DocumentedAcls.read(markdown).bindings("", false, true);

        // then
        assertThat(never).containsExactlyInAnyOrder(
                allow(ResourceType.TOPIC, "acme.tlswatch.alerts.v1", PatternType.LITERAL, "notifier", AclOperation.READ),
                allow(ResourceType.TOPIC, "acme.tlswatch.alerts.v1", PatternType.LITERAL, "notifier",
                        AclOperation.DESCRIBE),
                allow(ResourceType.TOPIC, "acme.tlswatch.alerts.v1", PatternType.LITERAL, "notifier",
                        AclOperation.DESCRIBE_CONFIGS),
                allow(ResourceType.TOPIC, "acme.tlswatch.", PatternType.PREFIXED, "operator", AclOperation.CREATE),
                allow(ResourceType.TRANSACTIONAL_ID, "tlswatch-streams", PatternType.PREFIXED, "streams",
                        AclOperation.WRITE));
        assertThat(auto).contains(
                allow(ResourceType.TOPIC, "tlswatch.licenses.v1", PatternType.LITERAL, "validator", AclOperation.WRITE))
                .doesNotContain(allow(ResourceType.TOPIC, "tlswatch.alerts.v1", PatternType.LITERAL, "notifier",
                        AclOperation.DESCRIBE_CONFIGS))
                .hasSize(5);
    }

    @Test
    void theProjectsOwnDocumentGivesEveryServiceItsAcls() {
        // when
        List<AclBinding> bindings = DocumentedAcls.read(Path.of("..", "docs", "kafka.md")).bindings("", true, false);

        // then
        assertThat(bindings).extracting(b -> b.entry().principal()).contains("User:validator", "User:collector",
                "User:streams", "User:notifier", "User:operator");
    }

    private static AclBinding allow(ResourceType type, String name, PatternType pattern, String user,
                                    AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }
}
