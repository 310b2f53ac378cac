package io.tlswatch.streams.topology;

/** The headers a dead-letter record carries besides the original key and value bytes (docs/streams.md). */
public final class DeadLetterHeaders {

    public static final String REASON = "tlswatch.dlq.reason";
    public static final String TOPIC = "tlswatch.dlq.topic";
    public static final String PARTITION = "tlswatch.dlq.partition";
    public static final String OFFSET = "tlswatch.dlq.offset";

    private DeadLetterHeaders() {
    }
}
