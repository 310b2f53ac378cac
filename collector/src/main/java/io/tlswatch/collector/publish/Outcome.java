package io.tlswatch.collector.publish;

/** What became of the reports of one request, for its answer. */
public sealed interface Outcome {

    /** Every report is in Kafka: {@code written} now, {@code duplicates} earlier (within the dedup window). */
    record Written(int written, int duplicates) implements Outcome {
    }

    /** A client's rate limit: nothing written, retry after the given seconds. */
    record RateLimited(String limit, long retryAfterSeconds) implements Outcome {
    }

    /** Too many requests waiting for Kafka already: nothing sent. */
    record Overloaded() implements Outcome {
    }

    /** Kafka did not take every report: the client must retry (those written are deduplicated then). */
    record Failed(String reason) implements Outcome {
    }
}
