package io.tlswatch.tlsserver.certificate;

import io.tlswatch.contract.event.CertificateEvent;
import io.tlswatch.contract.event.CertificateEventKind;
import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.publish.EventSink;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps the certificate events handed to it, in order; the validator's IT checks the same events on Kafka. */
final class RecordingSink implements EventSink {

    private final List<CertificateEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public <V extends Event> boolean publish(Topic<String, V> topic, V event) {
        if (topic.equals(Topics.CERTIFICATES)) {
            events.add((CertificateEvent) event);
        }
        return true;
    }

    List<CertificateEvent> all() {
        return List.copyOf(events);
    }

    List<CertificateEvent> of(CertificateEventKind kind) {
        return events.stream().filter(e -> e.kind() == kind).toList();
    }
}
