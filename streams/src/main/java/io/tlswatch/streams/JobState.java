package io.tlswatch.streams;

import io.tlswatch.http.HealthCheck;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Follows the Kafka Streams state, and what stopped it: ready while RUNNING; one log line per change. */
final class JobState implements KafkaStreams.StateListener, HealthCheck {

    private static final Logger log = LoggerFactory.getLogger(JobState.class);

    private volatile KafkaStreams.State state = KafkaStreams.State.CREATED;
    private volatile Throwable failure;

    @Override
    public void onChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
        synchronized (this) {
            state = newState;
            notifyAll();
        }
        log.info("Streams state {} -> {}", oldState, newState);
    }

    KafkaStreams.State state() {
        return state;
    }

    /** Records what killed a stream thread (the first only), for start-up to report instead of a bare state. */
    synchronized void failed(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        notifyAll();
    }

    /** What killed a stream thread, or null. */
    Throwable failure() {
        return failure;
    }

    @Override
    public String name() {
        return "streams";
    }

    @Override
    public boolean ready() {
        return state == KafkaStreams.State.RUNNING;
    }
}
