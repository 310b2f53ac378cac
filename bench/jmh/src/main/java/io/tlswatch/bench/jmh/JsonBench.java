package io.tlswatch.bench.jmh;

import com.fasterxml.jackson.databind.ObjectReader;
import io.tlswatch.contract.serde.InstantText;
import io.tlswatch.contract.serde.Json;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The two JSON costs of the posture job's stream thread (issue 19), each beside the reference it replaced:
 * <ul>
 *   <li>instants written and read by arithmetic ({@link InstantText}) against {@link DateTimeFormatter} and
 *       {@link OffsetDateTime#parse};</li>
 *   <li>a document keyed by client ids (the address book) read without Jackson's shared name table against the
 *       schema reader, cycling through 12,000 distinct names: more than the 6,000 the table keeps.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JsonBench {

    /** A map keyed by client id, shaped as the streams job's address book. */
    public record Book(Map<String, Instant> clients) {
    }

    private static final int BOOKS = 40;
    private static final int CLIENTS_PER_BOOK = 300;

    private final Instant instant = Instant.parse("2026-12-07T18:41:07.123456789Z");
    private final String text = "2026-12-07T18:41:07.123Z";
    private final ObjectReader schemaReader = Json.readerFor(Book.class);
    private final ObjectReader openKeysReader = Json.readerWithOpenKeysFor(Book.class);
    private byte[][] books;
    private int next;

    @Setup
    public void books() throws IOException {
        books = new byte[BOOKS][];
        for (int b = 0; b < BOOKS; b++) {
            Map<String, Instant> clients = new TreeMap<>();
            for (int c = 0; c < CLIENTS_PER_BOOK; c++) {
                clients.put("c-" + b + "-" + c + "-0123456789abcdef", instant.plusSeconds(c));
            }
            books[b] = Json.writer().writeValueAsBytes(new Book(clients));
        }
    }

    @Benchmark
    public String formatInstantReference() {
        return InstantText.FORMAT.format(instant);
    }

    @Benchmark
    public String formatInstant() {
        return InstantText.format(instant);
    }

    @Benchmark
    public Instant parseInstantReference() {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }

    @Benchmark
    public Instant parseInstant() {
        return InstantText.parseCanonical(text);
    }

    @Benchmark
    public Book readClientKeyedBookReference() throws IOException {
        return schemaReader.readValue(nextBook());
    }

    @Benchmark
    public Book readClientKeyedBook() throws IOException {
        return openKeysReader.readValue(nextBook());
    }

    private byte[] nextBook() {
        next = next + 1 == BOOKS ? 0 : next + 1;
        return books[next];
    }
}
