package io.tlswatch.contract.serde;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The one JSON configuration of tlswatch (docs/events.md, "Encoding"): what every producer writes and every
 * consumer accepts.
 *
 * <ul>
 *   <li>Instants are RFC 3339 strings in UTC with exactly three fractional digits
 *       ({@code 2025-03-14T09:26:53.589Z}); on read any RFC 3339 offset and precision is accepted.</li>
 *   <li>Durations are ISO-8601 strings ({@code PT72H}); on read, days ({@code P3D}) are accepted too.</li>
 *   <li>Neither is ever a bare number on read: its unit would be a guess.</li>
 *   <li>{@code null} fields are left out; unknown fields are ignored on read, so an older consumer keeps
 *       working when a newer producer adds one.</li>
 *   <li>No silent coercion: a string where a number belongs, or {@code 1.5} for an integer, is an error.</li>
 *   <li>Hard input bounds, because these bytes come from other processes and, through the collector, from
 *       the internet: nesting depth {@value #MAX_NESTING_DEPTH}, strings of {@value #MAX_STRING_LENGTH}
 *       characters, documents of {@value #MAX_DOCUMENT_LENGTH} bytes; duplicate keys are refused, so no two
 *       parsers can read one document differently.</li>
 * </ul>
 *
 * <p>The shared reader and writer are immutable and thread-safe; the mapper behind them is never handed
 * out. {@link #mapper()} returns a fresh one for callers that need a mapper of their own.
 */
public final class Json {

    public static final int MAX_NESTING_DEPTH = 64;
    public static final int MAX_STRING_LENGTH = 1 << 20;
    public static final long MAX_DOCUMENT_LENGTH = 4L << 20;
    /** Field names are short in every tlswatch schema; a long one is an attack, not data. */
    public static final int MAX_NAME_LENGTH = 1024;
    /** Digits in one number: longer ones cost super-linear time to parse and are never legitimate here. */
    public static final int MAX_NUMBER_LENGTH = 64;

    private static final ObjectMapper SHARED = newMapper(true);
    private static final ObjectReader READER = SHARED.reader();
    private static final ObjectWriter WRITER = SHARED.writer();
    private static final ObjectReader OPEN_KEYS_READER = newMapper(false).reader();

    private Json() {
    }

    /** A new mapper with the tlswatch configuration; reconfiguring it affects only the caller's copy. */
    public static ObjectMapper mapper() {
        return newMapper();
    }

    /** The shared reader; use {@link ObjectReader#forType} to bind to a type. */
    public static ObjectReader reader() {
        return READER;
    }

    /** The shared reader bound to {@code type}. */
    public static ObjectReader readerFor(Class<?> type) {
        return READER.forType(type);
    }

    /**
     * The shared reader, bound to {@code type}, for documents whose field names are data rather than a schema's
     * fixed names (a map keyed by client id). Jackson keeps the field names it reads in a table shared by every
     * parser of its factory and throws the table away once it passes 6,000 names; with client ids as names it
     * would refill and discard it for ever, so this reader keeps no table. Same rules and bounds otherwise.
     */
    public static ObjectReader readerWithOpenKeysFor(Class<?> type) {
        return OPEN_KEYS_READER.forType(type);
    }

    /** The shared writer (compact output). */
    public static ObjectWriter writer() {
        return WRITER;
    }

    private static ObjectMapper newMapper() {
        return newMapper(true);
    }

    private static ObjectMapper newMapper(boolean canonicalizeNames) {
        JsonFactory factory = JsonFactory.builder()
                .configure(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES, canonicalizeNames)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .maxDocumentLength(MAX_DOCUMENT_LENGTH)
                        .maxNameLength(MAX_NAME_LENGTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .build())
                .streamWriteConstraints(StreamWriteConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                // Registered after JavaTimeModule so that its Instant and Duration handling wins.
                .addModule(timeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                        JsonInclude.Include.NON_NULL))
                .build();
    }

    /** A JSON token as a person would name it, for error messages. */
    static String describe(JsonToken token) {
        if (token == null) {
            return "end of input";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }

    /** Input echoed into an error message is cut short: messages end up in logs and dead-letter records. */
    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    private static SimpleModule timeModule() {
        SimpleModule module = new SimpleModule("tlswatch-time");
        module.addSerializer(Instant.class, new InstantSerializer());
        module.addDeserializer(Instant.class, new InstantDeserializer());
        module.addDeserializer(Duration.class, new DurationDeserializer());
        return module;
    }

    /** Always three fractional digits, so every producer writes the same bytes for the same instant. */
    private static final class InstantSerializer extends StdScalarSerializer<Instant> {
        InstantSerializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(InstantText.format(value));
        }
    }

    /**
     * Strings only: Jackson's default would also take numbers as epoch seconds, which a producer in another
     * language could easily write by mistake in milliseconds.
     */
    private static final class InstantDeserializer extends StdScalarDeserializer<Instant> {
        InstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) ctxt.reportInputMismatch(this,
                        "expected an RFC 3339 timestamp string such as 2025-03-14T09:26:53.589Z, got %s",
                        describe(p.currentToken()));
            }
            String text = p.getText();
            Instant canonical = InstantText.parseCanonical(text);
            if (canonical != null) {
                return canonical;
            }
            try {
                return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                return (Instant) ctxt.reportInputMismatch(this,
                        "expected an RFC 3339 timestamp such as 2025-03-14T09:26:53.589Z, got '%s'", abbreviate(text));
            }
        }
    }

    /** Strings only, for the same reason as instants: a bare number would leave its unit to a guess. */
    private static final class DurationDeserializer extends StdScalarDeserializer<Duration> {
        DurationDeserializer() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return (Duration) ctxt.reportInputMismatch(this,
                        "expected an ISO-8601 duration string such as PT72H, got %s", describe(p.currentToken()));
            }
            String text = p.getText();
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException e) {
                return (Duration) ctxt.reportInputMismatch(this,
                        "expected an ISO-8601 duration such as PT72H, got '%s'", abbreviate(text));
            }
        }
    }
}
