package io.tlswatch.contract.serde;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    record Stamp(Instant at, Duration grace, String note) {
    }

    @Test
    void instantsAreWrittenInUtcWithExactlyThreeFractionalDigits() throws Exception {
        assertThat(Json.writer().writeValueAsString(Instant.parse("2025-03-14T09:26:53Z")))
                .isEqualTo("\"2025-03-14T09:26:53.000Z\"");
        assertThat(Json.writer().writeValueAsString(Instant.parse("2025-03-14T09:26:53.123456789Z")))
                .isEqualTo("\"2025-03-14T09:26:53.123Z\"");
    }

    @Test
    void instantsWithAnyOffsetAndPrecisionAreRead() throws Exception {
        assertThat(Json.readerFor(Instant.class).<Instant>readValue("\"2025-03-14T11:26:53.5+02:00\""))
                .isEqualTo(Instant.parse("2025-03-14T09:26:53.500Z"));
        assertThat(Json.readerFor(Instant.class).<Instant>readValue("\"2025-03-14T09:26:53.123456789Z\""))
                .isEqualTo(Instant.parse("2025-03-14T09:26:53.123456789Z"));
    }

    @Test
    void instantsWithoutAnOffsetAreRefusedBecauseTheirZoneWouldBeAGuess() {
        assertThatThrownBy(() -> Json.readerFor(Instant.class).readValue("\"2025-03-14T09:26:53.589\""))
                .hasMessageContaining("RFC 3339");
    }

    @Test
    void durationsAreIso8601Strings() throws Exception {
        assertThat(Json.writer().writeValueAsString(Duration.ofHours(72))).isEqualTo("\"PT72H\"");
        assertThat(Json.readerFor(Duration.class).<Duration>readValue("\"P3D\"")).isEqualTo(Duration.ofHours(72));
    }

    @Test
    void aBareNumberIsNeitherAnInstantNorADuration() {
        assertThatThrownBy(() -> Json.readerFor(Instant.class).readValue("1710408413"))
                .hasMessageContaining("RFC 3339");
        assertThatThrownBy(() -> Json.readerFor(Duration.class).readValue("259200"))
                .hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> Json.readerFor(Duration.class).readValue("\"72h\""))
                .hasMessageContaining("ISO-8601");
    }

    @Test
    void nullFieldsAreLeftOut() throws Exception {
        assertThat(Json.writer().writeValueAsString(new Stamp(null, Duration.ZERO, null)))
                .isEqualTo("{\"grace\":\"PT0S\"}");
    }

    @Test
    void mapEntriesAreWrittenInKeyOrderSoEqualRowsAreEqualBytes() throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("protocol_version", 2L);
        counts.put("no_shared_cipher", 1L);

        assertThat(Json.writer().writeValueAsString(counts))
                .isEqualTo("{\"no_shared_cipher\":1,\"protocol_version\":2}");
    }

    @Test
    void mapperReturnsANewMapperThatTheCallerMayReconfigureAlone() throws Exception {
        ObjectMapper mine = Json.mapper();
        mine.enable(SerializationFeature.INDENT_OUTPUT);

        assertThat(Json.mapper()).isNotSameAs(mine);
        assertThat(Json.writer().writeValueAsString(Map.of("a", 1))).isEqualTo("{\"a\":1}");
        assertThat(Json.mapper().writeValueAsString(Instant.EPOCH)).isEqualTo("\"1970-01-01T00:00:00.000Z\"");
    }

    @Test
    void theBoundsAreWhatTheContractDocuments() {
        assertThat(Json.MAX_NESTING_DEPTH).isEqualTo(64);
        assertThat(Json.MAX_STRING_LENGTH).isEqualTo(1 << 20);
        assertThat(Json.MAX_DOCUMENT_LENGTH).isEqualTo(4L << 20);
    }
}
