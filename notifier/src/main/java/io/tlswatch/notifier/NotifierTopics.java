package io.tlswatch.notifier;

import io.tlswatch.contract.event.AlertDeadLetter;
import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.kafka.TopicSettings;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;

/** The topics one notifier reads and writes; tests sharing a broker give each notifier its own. */
public record NotifierTopics(Topic<String, AlertEvent> alerts, Topic<String, AlertDeadLetter> deadLetters) {

    public static NotifierTopics defaults() {
        return new NotifierTopics(Topics.ALERTS, Topics.ALERTS_DLQ);
    }

    /** These topics under their deployed names: {@code topics.prefix} in front of each. */
    public NotifierTopics named(TopicSettings settings) {
        return new NotifierTopics(settings.named(alerts), settings.named(deadLetters));
    }
}
