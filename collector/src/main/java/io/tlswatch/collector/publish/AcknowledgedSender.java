package io.tlswatch.collector.publish;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tlswatch.collector.ingest.Candidate;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.topic.Topic;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Writes reports to Kafka and says when Kafka has them: unlike the fire-and-forget event publisher, the caller
 * learns of every report's acknowledgement (acks=all, idempotent producer) or failure, because the collector
 * answers 202 only for reports Kafka acknowledged.
 *
 * <p>{@link #send} never blocks its caller (an event loop): the producer's {@code send} runs on a thread of its
 * own, since it waits (up to {@code max.block.ms}) when Kafka's metadata is unknown or its buffer is full. The number of requests whose reports are on their way is bounded ({@link #tryAcquire}); a slot
 * is released when Kafka has answered for every report of the request, even if the HTTP client was answered
 * earlier (a 503 on timeout), so the memory held is bounded by {@code maxInFlight} requests.
 */
public final class AcknowledgedSender {

    /** What Kafka said about the reports of one request: those it acknowledged, and the first failure if any. */
    public record Result(List<Candidate> acknowledged, Exception failure) {
        public boolean complete() {
            return failure == null;
        }
    }

    private final Producer<String, byte[]> producer;
    private final Topic<String, ClientReportEvent> topic;
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Timer ackLatency;
    private final LongSupplier nanoTime;
    private final ExecutorService sendThread;
    private volatile boolean lastSendFailed;

    public AcknowledgedSender(Producer<String, byte[]> producer, Topic<String, ClientReportEvent> topic,
                              int maxInFlight, MeterRegistry registry, LongSupplier nanoTime) {
        this.producer = producer;
        this.sendThread = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "tlswatch-report-sender");
            thread.setDaemon(true);
            return thread;
        });
        this.topic = topic;
        this.maxInFlight = maxInFlight;
        this.nanoTime = nanoTime;
        this.ackLatency = Timer.builder("tlswatch.collector.kafka.ack.duration")
                .description("From handing a report to the producer to Kafka's acknowledgement (or failure)")
                .publishPercentileHistogram().register(registry);
        Gauge.builder("tlswatch.collector.requests.inflight", inFlight, AtomicInteger::get)
                .description("Requests whose reports Kafka has not yet answered for").register(registry);
    }

    /** Takes one of the {@code maxInFlight} slots; false when all are taken (answer 503). */
    public boolean tryAcquire() {
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Gives back a slot taken with {@link #tryAcquire} without sending. */
    public void release() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** False while the latest report Kafka answered for failed (for readiness). */
    public boolean healthy() {
        return !lastSendFailed;
    }

    /**
     * Sends the reports of one request, holding a slot from {@link #tryAcquire}; {@code done} runs exactly once,
     * on a Kafka thread or the caller's, when Kafka has answered for all of them, and the slot is then released.
     */
    public void send(List<Candidate> reports, Consumer<Result> done) {
        if (reports.isEmpty()) {
            inFlight.decrementAndGet();
            done.accept(new Result(List.of(), null));
            return;
        }
        Tracker tracker = new Tracker(reports.size(), done);
        try {
            sendThread.execute(() -> sendAll(reports, tracker));
        } catch (RejectedExecutionException e) {
            reports.forEach(report -> tracker.answered(report, e));
        }
    }

    private void sendAll(List<Candidate> reports, Tracker tracker) {
        for (Candidate report : reports) {
            long started = nanoTime.getAsLong();
            ClientReportEvent event = report.event();
            try {
                byte[] value = topic.valueSerde().serializer().serialize(topic.name(), event);
                producer.send(new ProducerRecord<>(topic.name(), event.key(), value), (metadata, error) -> {
                    ackLatency.record(nanoTime.getAsLong() - started, TimeUnit.NANOSECONDS);
                    tracker.answered(report, error);
                });
            } catch (RuntimeException e) {
                // Metadata or buffer space not there within max.block.ms, producer closed: not on its way.
                tracker.answered(report, e);
            }
        }
    }

    /** Stops sending: reports handed over later fail; those already with the producer are left to it. */
    public void close(Duration limit) {
        sendThread.shutdown();
        try {
            sendThread.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Tracker {
        private final AtomicInteger outstanding;
        private final List<Candidate> acknowledged;
        private final Consumer<Result> done;
        private volatile Exception failure;

        Tracker(int count, Consumer<Result> done) {
            this.outstanding = new AtomicInteger(count);
            this.acknowledged = Collections.synchronizedList(new ArrayList<>(count));
            this.done = done;
        }

        void answered(Candidate report, Exception error) {
            lastSendFailed = error != null;
            if (error == null) {
                acknowledged.add(report);
            } else if (failure == null) {
                failure = error;
            }
            if (outstanding.decrementAndGet() == 0) {
                inFlight.decrementAndGet();
                done.accept(new Result(List.copyOf(acknowledged), failure));
            }
        }
    }
}
