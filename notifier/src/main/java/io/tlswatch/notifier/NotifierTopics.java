package io.tlswatch.notifier;

import io.tlswatch.common.event.AlertDeadLetter;
import io.tlswatch.common.event.AlertEvent;
import io.tlswatch.common.topic.Topic;
import io.tlswatch.common.topic.Topics;

/** The topics one notifier reads and writes; tests sharing a broker give each notifier its own. */
public record NotifierTopics(Topic<String, AlertEvent> alerts, Topic<String, AlertDeadLetter> deadLetters) {

    public static NotifierTopics defaults() {
        return new NotifierTopics(Topics.ALERTS, Topics.ALERTS_DLQ);
    }
}
