package io.tlswatch.contract.publish;

import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.topic.Topic;

/** Where a service hands the events it emits; {@link EventPublisher} sends them to Kafka. */
@FunctionalInterface
public interface EventSink {

    /** Takes the event without blocking; false when it had to be dropped (and was counted). */
    <V extends Event> boolean publish(Topic<String, V> topic, V event);
}
