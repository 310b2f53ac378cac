package io.tlswatch.contract.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.kafka.TopicSettings;
import io.tlswatch.contract.topic.Topic;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes events to Kafka without ever making the caller wait.
 *
 * <p>{@link #publish} only puts the event into a bounded buffer; one sender thread moves events from there
 * into the Kafka producer. When Kafka is slow or down, the sender blocks (on metadata, or on a full producer
 * buffer) and the buffer fills; an event that does not fit is dropped and counted, never silently lost.
 * An event the producer could not deliver for a retriable reason goes back to the front of the buffer.
 *
 * <p>Meters: {@code tlswatch.events.published} (acknowledged by Kafka), {@code tlswatch.events.dropped}
 * (tag {@code reason}: {@code buffer_full}, {@code send_failed}, {@code serialization}, {@code shutdown}),
 * {@code tlswatch.events.buffered} (gauge); all tagged with the {@code topic}, a catalogue name.
 */
public final class EventPublisher implements EventSink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);
    private static final long SENDER_STOP_MILLIS = 2_000;

    /** Every reason {@link #dropped} is called with. */
    private static final List<String> DROP_REASONS = List.of("buffer_full", "send_failed", "serialization", "shutdown");

    private final Producer<String, byte[]> producer;
    private final TopicSettings topics;
    private final BlockingDeque<Pending<?>> buffer;
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread sender;

    /** One event waiting to be sent, with the topic that says how to serialise it. */
    private record Pending<V>(Topic<String, V> topic, V event, String key) {
        byte[] serialize() {
            return topic.valueSerde().serializer().serialize(topic.name(), event);
        }
    }

    /**
     * @param producer a producer of raw bytes (the publisher serialises with each topic's serde); it is closed
     *                 with the publisher
     * @param capacity how many events may wait for Kafka before new ones are dropped
     * @param topics   the prefix of the deployed topic names; meters keep the catalogue's names, so dashboards
     *                 read the same whatever the prefix
     */
    public EventPublisher(Producer<String, byte[]> producer, int capacity, MeterRegistry registry,
                          TopicSettings topics) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.producer = producer;
        this.topics = topics;
        this.buffer = new LinkedBlockingDeque<>(capacity);
        this.registry = registry;
        Gauge.builder("tlswatch.events.buffered", buffer, BlockingDeque::size)
                .description("Events waiting for Kafka in the publisher's buffer")
                .register(registry);
        Gauge.builder("tlswatch.events.buffer.capacity", () -> capacity)
                .description("How many events the publisher's buffer holds at most")
                .register(registry);
        this.sender = new Thread(this::sendLoop, "tlswatch-event-publisher");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    /** Hands the event over for sending; never blocks. Returns false when it had to be dropped. */
    @Override
    public <V extends Event> boolean publish(Topic<String, V> topic, V event) {
        if (!running.get()) {
            dropped(topic.name(), "shutdown");
            return false;
        }
        if (!buffer.offerLast(new Pending<>(topic, event, event.key()))) {
            dropped(topic.name(), "buffer_full");
            return false;
        }
        return true;
    }

    /** Events waiting in the buffer now. */
    public int buffered() {
        return buffer.size();
    }

    private void sendLoop() {
        while (running.get() || !buffer.isEmpty()) {
            Pending<?> pending;
            try {
                pending = buffer.pollFirst(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (pending != null && !send(pending)) {
                return;
            }
        }
    }

    public EventPublisher(Producer<String, byte[]> producer, int capacity, MeterRegistry registry) {
        this(producer, capacity, registry, TopicSettings.DEFAULTS);
    }

    /** Sends one event; false when the sender must stop (interrupted). */
    private boolean send(Pending<?> pending) {
        String topic = pending.topic().name();
        byte[] value;
        try {
            value = pending.serialize();
        } catch (SerializationException e) {
            log.warn("Event for {} cannot be serialised, dropped: {}", topic, e.getMessage());
            dropped(topic, "serialization");
            return true;
        }
        try {
            producer.send(new ProducerRecord<>(topics.prefix() + topic, pending.key(), value), (metadata, error) -> {
                if (error == null) {
                    count("tlswatch.events.published", topic, null).increment();
                } else if (error instanceof RetriableException && running.get() && buffer.offerFirst(pending)) {
                    log.debug("Event for {} goes back to the buffer after {}", topic, error.toString());
                } else {
                    log.warn("Event for {} not delivered: {}", topic, error.toString());
                    dropped(topic, "send_failed");
                }
            });
            return true;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            // send() waited max.block.ms for metadata (broker down) and gave up: keep the event and try again, so
            // nothing that fitted in the buffer is lost while Kafka is away. The wait itself paces the retries.
            if (!buffer.offerFirst(pending)) {
                dropped(topic, "buffer_full");
            }
            log.debug("Kafka not reachable for {}: {}", topic, e.toString());
            return !Thread.currentThread().isInterrupted();
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            // Shutting down while send() waited: the event goes back, and close() counts what is left; when
            // publishers have filled its place meanwhile, it is counted here instead.
            if (!buffer.offerFirst(pending)) {
                dropped(topic, "shutdown");
            }
            return false;
        } catch (RuntimeException e) {
            // Anything else thrown by send() itself (a closed or fenced producer) will not heal by retrying.
            log.warn("Event for {} not sent: {}", topic, e.toString());
            dropped(topic, "send_failed");
            return true;
        }
    }

    /**
     * Registers the counters of the topics this publisher will write to at 0: {@code published}, and
     * {@code dropped} for every reason, so that a dashboard or {@code rate()} sees 0 before the first event or
     * the first loss rather than nothing.
     */
    public void expect(Topic<?, ?>... topics) {
        for (Topic<?, ?> topic : topics) {
            count("tlswatch.events.published", topic.name(), null);
            for (String reason : DROP_REASONS) {
                count("tlswatch.events.dropped", topic.name(), reason);
            }
        }
    }

    private void dropped(String topic, String reason) {
        count("tlswatch.events.dropped", topic, reason).increment();
    }

    private Counter count(String name, String topic, String reason) {
        return counters.computeIfAbsent(name + '|' + topic + '|' + reason, k -> {
            // No base unit: a count of events needs none, and Prometheus would append it to the name.
            Counter.Builder builder = Counter.builder(name).tag("topic", topic)
                    .description(reason == null ? "Events Kafka acknowledged" : "Events dropped, by reason");
            if (reason != null) {
                builder.tag("reason", reason);
            }
            return builder.register(registry);
        });
    }

    /**
     * Stops accepting events, gives the buffer and the producer up to {@code limit} to deliver what they
     * hold, then closes the producer; whatever is still buffered then is counted as dropped.
     */
    public void close(Duration limit) {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            sender.join(Math.max(1, limit.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.interrupt();
        try {
            // The interrupted sender puts the event it was trying back into the buffer; wait for that before the
            // buffer is counted, or that one event would be neither sent nor counted.
            sender.join(SENDER_STOP_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        Pending<?> left;
        int lost = 0;
        while ((left = buffer.pollFirst()) != null) {
            dropped(left.topic().name(), "shutdown");
            lost++;
        }
        if (lost > 0) {
            log.warn("{} events still buffered at shutdown were dropped", lost);
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
