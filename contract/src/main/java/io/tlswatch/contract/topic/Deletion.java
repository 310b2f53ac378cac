package io.tlswatch.contract.topic;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who deleted a row of a compacted table, and why. A tombstone has no value to carry the operator and reason that
 * every other row names, so they travel as record headers, readable until compaction drops the tombstone
 * ({@code delete.retention.ms}).
 */
public record Deletion(String operator, String reason) {

    public static final String OPERATOR_HEADER = "tlswatch.operator";
    public static final String REASON_HEADER = "tlswatch.reason";

    /** The headers to put on the tombstone; an absent reason is left out. */
    public List<Header> headers() {
        List<Header> headers = new ArrayList<>(2);
        if (operator != null) {
            headers.add(new RecordHeader(OPERATOR_HEADER, operator.getBytes(StandardCharsets.UTF_8)));
        }
        if (reason != null) {
            headers.add(new RecordHeader(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8)));
        }
        return headers;
    }

    /** The deletion a tombstone's headers record, if it names an operator. */
    public static Optional<Deletion> from(Headers headers) {
        String operator = text(headers, OPERATOR_HEADER);
        return operator == null ? Optional.empty() : Optional.of(new Deletion(operator, text(headers, REASON_HEADER)));
    }

    private static String text(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
