package io.tlswatch.contract.serde;

import com.fasterxml.jackson.core.JsonFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link JsonSerde#withOpenKeys}: documents whose field names are data (client ids) read and written exactly as
 * {@link JsonSerde#of} does, without Jackson's shared field-name table.
 */
class JsonSerdeOpenKeysTest {

    /** A map keyed by client id, as the streams job's address book is. */
    record Book(Map<String, Instant> clients) {
    }

    private final JsonSerde<Book> open = JsonSerde.withOpenKeys(Book.class);
    private final JsonSerde<Book> schema = JsonSerde.of(Book.class);

    @Test
    void readsAndWritesTheSameAsTheSchemaSerdeAcrossTensOfThousandsOfDistinctNames() {
        // given documents that together hold far more distinct names than Jackson's table keeps (6,000)
        for (int batch = 0; batch < 50; batch++) {
            Map<String, Instant> clients = new TreeMap<>();
            for (int i = 0; i < 400; i++) {
                clients.put("client-" + batch + "-" + i, Instant.ofEpochMilli(1_700_000_000_000L + batch * 1000L + i));
            }
            Book book = new Book(clients);

            // when written and read by both serdes
            byte[] written = open.serialize("t", book);

            // then the bytes and the values are the same
            assertThat(written).isEqualTo(schema.serialize("t", book));
            assertThat(open.deserialize("t", written)).isEqualTo(book).isEqualTo(schema.deserialize("t", written));
        }
    }

    @Test
    void keepsNoSharedNameTableWhileTheSchemaReaderDoes() {
        assertThat(Json.readerWithOpenKeysFor(Book.class).getFactory()
                .isEnabled(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)).isFalse();
        assertThat(Json.readerFor(Book.class).getFactory()
                .isEnabled(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)).isTrue();
    }

    @Test
    void refusesADuplicateNameAsTheSchemaSerdeDoes() {
        byte[] duplicate = "{\"clients\":{\"a\":\"2025-01-01T00:00:00.000Z\",\"a\":\"2025-01-02T00:00:00.000Z\"}}"
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> open.deserialize("t", duplicate)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("Duplicate field 'a'");
        assertThatThrownBy(() -> schema.deserialize("t", duplicate)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("Duplicate field 'a'");
    }

    @Test
    void refusesANameAboveTheBoundAsTheSchemaSerdeDoes() {
        byte[] longName = ("{\"clients\":{\"" + "x".repeat(Json.MAX_NAME_LENGTH + 1)
                + "\":\"2025-01-01T00:00:00.000Z\"}}").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> open.deserialize("t", longName)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("Name length");
        assertThatThrownBy(() -> schema.deserialize("t", longName)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("Name length");
    }
}
