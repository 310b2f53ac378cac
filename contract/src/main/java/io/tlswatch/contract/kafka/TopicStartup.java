package io.tlswatch.contract.kafka;

import io.tlswatch.contract.topic.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * What every service does with its topics before it uses them, as {@code kafka.topics.create} says: create the
 * missing ones ({@code auto}), or check that they are as the catalogue defines them ({@code never}); then wait
 * until every partition is served. The topics are given under their deployed names ({@link TopicSettings#named}).
 */
public final class TopicStartup {

    private static final Logger log = LoggerFactory.getLogger(TopicStartup.class);

    private TopicStartup() {
    }

    /**
     * @throws KafkaAccessDenied     when an ACL is missing, naming it
     * @throws IllegalStateException when a topic is missing or different under {@code never}, naming each
     */
    public static void prepare(KafkaSettings kafka, Duration timeout, Collection<? extends Topic<?, ?>> topics) {
        prepare(kafka, timeout, topics, List.of(), List.of());
    }

    /**
     * Also checks that the principal may read {@code reads} and write {@code writes} (deployed names, among
     * {@code topics}), so that a missing READ or WRITE ACL stops the start instead of the first read or write.
     *
     * @throws KafkaAccessDenied     when an ACL is missing, naming it
     * @throws IllegalStateException when a topic is missing or different under {@code never}, naming each
     */
    public static void prepare(KafkaSettings kafka, Duration timeout, Collection<? extends Topic<?, ?>> topics,
                               Collection<? extends Topic<?, ?>> reads, Collection<? extends Topic<?, ?>> writes) {
        TopicSettings settings = kafka.topics();
        try (Admin admin = Admin.create(kafka.admin())) {
            if (settings.create() == TopicSettings.Create.AUTO) {
                new TopicBootstrap(admin, timeout, 0, settings, kafka.principal()).ensure(topics);
            } else {
                new TopicCheck(admin, timeout, settings, 0, kafka.principal()).verify(topics);
                new TopicBootstrap(admin, timeout, 0, settings, kafka.principal()).awaitReady(topics);
                log.info("Topics checked ({}=never): {} as expected", TopicSettings.KEY_CREATE, topics.size());
            }
            new TopicAccess(admin, timeout, kafka.principal()).verify(names(reads), names(writes));
        }
    }

    private static List<String> names(Collection<? extends Topic<?, ?>> topics) {
        return topics.stream().map(Topic::name).toList();
    }
}
