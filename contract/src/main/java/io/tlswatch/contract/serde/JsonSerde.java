package io.tlswatch.contract.serde;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.tlswatch.contract.event.Event;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Objects;

/**
 * Kafka serde for one JSON type, configured as {@link Json} says. Serializer, deserializer and serde in one
 * stateless, thread-safe object.
 *
 * <ul>
 *   <li>{@code null} maps to {@code null} both ways (a tombstone on a compacted topic).</li>
 *   <li>Anything that cannot become a valid {@code T} (malformed JSON, a wrong JSON type, a missing or
 *       invalid field, a document over the {@link Json} bounds) raises {@link SerializationException} naming
 *       the topic, the target type, the field where known, and the problem; the Jackson exception is only
 *       ever the cause.</li>
 *   <li>For an {@link Event} type the {@code type} field is checked first, so a record of another event type,
 *       or of a newer major version, is refused with a message that says exactly that.</li>
 * </ul>
 */
public final class JsonSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final Class<T> targetType;
    private final ObjectReader reader;
    private final ObjectWriter writer;
    /** The expected {@code type} field, or {@code null} for a type that is not an event. */
    private final EventType eventType;

    private JsonSerde(Class<T> targetType, EventType eventType, ObjectReader reader) {
        this.targetType = targetType;
        this.reader = reader;
        this.writer = Json.writer().forType(targetType);
        this.eventType = eventType;
    }

    /**
     * A serde for any JSON-mapped type. For an {@link Event} type this is the same as {@link #forEvent}: the
     * {@code type} check comes with it.
     */
    public static <T> JsonSerde<T> of(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return new JsonSerde<>(type, Event.class.isAssignableFrom(type) ? EventType.of(type) : null, Json.readerFor(type));
    }

    /**
     * A serde for a type whose JSON field names are data (a map keyed by client id), read with
     * {@link Json#readerWithOpenKeysFor}: same bytes and the same rules as {@link #of}, without Jackson's shared
     * field-name table, which unbounded names would overflow and rebuild on every few records.
     */
    public static <T> JsonSerde<T> withOpenKeys(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return new JsonSerde<>(type, Event.class.isAssignableFrom(type) ? EventType.of(type) : null,
                Json.readerWithOpenKeysFor(type));
    }

    /**
     * A serde for an event record that refuses records whose {@code type} is not the class's
     * {@code public static final String TYPE}.
     *
     * @throws IllegalArgumentException if the class has no such constant or it is not {@code <name>/<major>}
     */
    public static <T extends Event> JsonSerde<T> forEvent(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return new JsonSerde<>(type, EventType.of(type), Json.readerFor(type));
    }

    public Class<T> targetType() {
        return targetType;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        try {
            return writer.writeValueAsBytes(data);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new SerializationException(where(topic) + "cannot serialize " + targetType.getSimpleName()
                    + ": " + problem(e), e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            if (data.length > Json.MAX_DOCUMENT_LENGTH) {
                throw fail(topic, "payload of " + data.length + " bytes exceeds the limit of "
                        + Json.MAX_DOCUMENT_LENGTH, null);
            }
            if (eventType != null) {
                eventType.check(readTypeField(data));
            }
            T value = reader.readValue(data);
            if (value == null) {
                throw fail(topic, "payload is JSON null, expected an object", null);
            }
            return value;
        } catch (WrongType e) {
            throw fail(topic, e.getMessage(), null);
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException se) {
                throw se;
            }
            throw fail(topic, problem(e), e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Nothing to configure: the JSON contract is fixed, not per client.
    }

    @Override
    public void close() {
        // Stateless.
    }

    @Override
    public String toString() {
        return "JsonSerde[" + targetType.getName() + "]";
    }

    private SerializationException fail(String topic, String problem, Throwable cause) {
        return new SerializationException(where(topic) + "cannot deserialize " + targetType.getSimpleName()
                + ": " + problem, cause);
    }

    private static String where(String topic) {
        return "topic " + (topic == null ? "(none)" : topic) + ": ";
    }

    /**
     * Reads the top-level {@code type} field without binding the whole document. Our producers write it
     * first, so this usually stops after one field; it is still bounded by the same constraints.
     */
    private static String readTypeField(byte[] data) throws IOException, WrongType {
        try (JsonParser parser = Json.reader().createParser(data)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new WrongType("expected a JSON object, got " + Json.describe(parser.currentToken()));
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("type".equals(name)) {
                    if (value != JsonToken.VALUE_STRING) {
                        throw new WrongType("field 'type' must be a string, got " + Json.describe(value));
                    }
                    return parser.getText();
                }
                parser.skipChildren();
            }
            throw new WrongType("field 'type' is required");
        }
    }

    /**
     * One line saying what is wrong and where, from Jackson's exception: the root cause for a record whose
     * constructor refused a value (its message names the field), Jackson's own message otherwise.
     */
    static String problem(Throwable e) {
        String message;
        if (e instanceof ValueInstantiationException && e.getCause() != null) {
            Throwable root = e.getCause();
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            message = root.getMessage();
        } else if (e instanceof JsonProcessingException jpe) {
            message = jpe.getOriginalMessage();
        } else {
            message = e.getMessage();
        }
        if (message == null) {
            message = e.getClass().getSimpleName();
        }
        String path = e instanceof JsonMappingException jme ? path(jme) : "";
        String location = "";
        // A refused value carries the field name in its message; the parser position would only add noise.
        boolean refusedValue = e instanceof ValueInstantiationException;
        if (e instanceof JsonProcessingException jpe && jpe.getLocation() != null && path.isEmpty() && !refusedValue) {
            location = " (line " + jpe.getLocation().getLineNr() + ", column " + jpe.getLocation().getColumnNr()
                    + ")";
        }
        return message.replace('\n', ' ') + (path.isEmpty() ? "" : " (at " + path + ")") + location;
    }

    /** The JSON path of the failure, e.g. {@code $.clientHello.cipherSuites[3]}. */
    private static String path(JsonMappingException e) {
        if (e.getPath().isEmpty()) {
            return "";
        }
        StringBuilder path = new StringBuilder("$");
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** A type check failure, kept apart from Jackson's exceptions so its message is used as it is. */
    private static final class WrongType extends Exception {
        WrongType(String message) {
            super(message, null, false, false);
        }
    }

    /** The {@code <name>/<major>} an event class declares in its {@code TYPE} constant. */
    private record EventType(String value, String name, int major) {

        static EventType of(Class<?> type) {
            String value;
            try {
                Field field = type.getField("TYPE");
                if (!Modifier.isStatic(field.getModifiers()) || field.getType() != String.class) {
                    throw new NoSuchFieldException("TYPE");
                }
                value = (String) field.get(null);
            } catch (NoSuchFieldException | IllegalAccessException e) {
                throw new IllegalArgumentException(type.getName()
                        + " must declare public static final String TYPE to be used as an event", e);
            }
            EventType parsed = parse(value);
            if (parsed == null) {
                throw new IllegalArgumentException(type.getName() + ".TYPE must be <name>/<major>, was " + value);
            }
            return parsed;
        }

        static EventType parse(String value) {
            if (value == null) {
                return null;
            }
            int slash = value.lastIndexOf('/');
            if (slash <= 0 || slash == value.length() - 1) {
                return null;
            }
            String major = value.substring(slash + 1);
            if (major.length() > 9 || !major.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            return new EventType(value, value.substring(0, slash), Integer.parseInt(major));
        }

        void check(String actual) throws WrongType {
            if (value.equals(actual)) {
                return;
            }
            EventType other = parse(actual);
            String shown = "'" + Json.abbreviate(actual) + "'";
            if (other == null) {
                throw new WrongType("field 'type' must be '" + value + "', got malformed " + shown);
            }
            if (!other.name.equals(name)) {
                throw new WrongType("field 'type' must be '" + value + "', got another event type " + shown);
            }
            if (other.major > major) {
                throw new WrongType("field 'type' is " + shown + ", a newer major version than this consumer"
                        + " reads ('" + value + "'): upgrade the consumer");
            }
            throw new WrongType("field 'type' is " + shown + ", an older major version than this consumer"
                    + " reads ('" + value + "')");
        }
    }
}
