package io.tlswatch.contract.serde;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.ClientPosture;
import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.contract.event.FingerprintPosture;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.LicenseCheckEvent;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.SampleEvents;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonSerdeTest {

    private static final String TOPIC = "tlswatch.handshakes.v1";
    private final JsonSerde<HandshakeEvent> handshakes = JsonSerde.forEvent(HandshakeEvent.class);

    static List<Event> samples() {
        return SampleEvents.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everySampleRoundTripsToAnEqualRecord(Event sample) {
        JsonSerde<Event> serde = serdeFor(sample);

        byte[] bytes = serde.serialize("topic", sample);
        Event back = serde.deserialize("topic", bytes);

        assertThat(back).isEqualTo(sample);
        assertThat(serde.serialize("topic", back)).as("re-serialised bytes").isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everySampleWritesTheEnvelopeFirstAndNoNulls(Event sample) throws Exception {
        JsonNode tree = Json.reader().readTree(serdeFor(sample).serialize("topic", sample));

        assertThat(tree.fieldNames()).toIterable().startsWith("type", "id", "time", "source");
        assertThat(tree.findValues("type")).isNotEmpty();
        assertThat(new String(serdeFor(sample).serialize("topic", sample), StandardCharsets.UTF_8))
                .doesNotContain(":null");
    }

    @Test
    void nullPayloadDeserialisesToNullAndNullValueSerialisesToNull() {
        assertThat(handshakes.deserialize(TOPIC, null)).isNull();
        assertThat(handshakes.serialize(TOPIC, null)).isNull();
    }

    @Test
    void theSerdeIsItsOwnSerializerAndDeserializer() {
        assertThat(handshakes.serializer()).isSameAs(handshakes);
        assertThat(handshakes.deserializer()).isSameAs(handshakes);
        assertThat(handshakes.targetType()).isEqualTo(HandshakeEvent.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "not json", "{\"type\":", "[1,2", "\u0000\u0001\u0002", "{\"type\" 1}"})
    void malformedBytesRaiseSerializationExceptionNamingTheTopic(String payload) {
        assertThatThrownBy(() -> handshakes.deserialize(TOPIC, payload.getBytes(StandardCharsets.UTF_8)))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining(TOPIC)
                .hasMessageContaining("HandshakeEvent");
    }

    @Test
    void aJacksonErrorIsOnlyEverTheCauseNeverTheThrownType() {
        byte[] truncated = "{\"type\":\"tlswatch.handshake/1\",\"id\":\"x".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> handshakes.deserialize(TOPIC, truncated))
                .isExactlyInstanceOf(SerializationException.class)
                .hasCauseInstanceOf(JacksonException.class);
    }

    @Test
    void theJsonNullLiteralIsRefusedRatherThanReadAsATombstone() {
        assertThatThrownBy(() -> handshakes.deserialize(TOPIC, "null".getBytes(StandardCharsets.UTF_8)))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("expected a JSON object");
    }

    @Test
    void aTopLevelArrayIsRefused() {
        JsonSerde<ClientPosture> serde = JsonSerde.of(ClientPosture.class);

        assertThatThrownBy(() -> serde.deserialize("t", "[]".getBytes(StandardCharsets.UTF_8)))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("expected a JSON object, got an array");
    }

    @Test
    void trailingGarbageAfterTheDocumentIsRefused() {
        byte[] bytes = concat(handshakes.serialize(TOPIC, SampleEvents.handshakeSuccess()), " {}");

        assertThatThrownBy(() -> handshakes.deserialize(TOPIC, bytes))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("Trailing token");
    }

    @Test
    void unknownFieldsAtTopLevelAndNestedAreIgnored() {
        // given what a newer producer might write: new fields everywhere, including new nested objects
        HandshakeEvent sample = SampleEvents.handshakeSuccess();
        ObjectNode tree = tree(handshakes.serialize(TOPIC, sample));
        tree.put("newTopLevelField", "v2 data");
        tree.putObject("newObject").put("deep", 1).putArray("list").add(1).add("two");
        ((ObjectNode) tree.get("clientHello")).put("ja4o", "t13d1011h2_1301,1302_0000,000a");
        ((ObjectNode) tree.get("negotiated")).putArray("earlyData").add(true);
        ((ObjectNode) tree.at("/negotiated/clientCertificate")).put("issuer", "CN=Acme Client CA");

        // when an older consumer reads it
        HandshakeEvent read = handshakes.deserialize(TOPIC, bytes(tree));

        // then it sees everything it knows, unchanged
        assertThat(read).isEqualTo(sample);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void anUnknownFieldInAnySampleIsIgnored(Event sample) {
        JsonSerde<Event> serde = serdeFor(sample);
        ObjectNode tree = tree(serde.serialize("t", sample));
        tree.put("addedInAMinorRelease", 42);

        assertThat(serde.deserialize("t", bytes(tree))).isEqualTo(sample);
    }

    @Test
    void theDerivedValidFieldOfALicenseCheckIsIgnoredOnRead() {
        JsonSerde<LicenseCheckEvent> serde = JsonSerde.forEvent(LicenseCheckEvent.class);
        LicenseCheckEvent sample = SampleEvents.licenseCheck();
        ObjectNode tree = tree(serde.serialize("t", sample));
        tree.put("valid", false);

        assertThat(serde.deserialize("t", bytes(tree)).valid()).isTrue();
    }

    @Test
    void aMissingRequiredStringFieldIsNamed() {
        ObjectNode tree = tree(handshakes.serialize(TOPIC, SampleEvents.handshakeSuccess()));
        tree.remove("remoteAddress");

        assertThatThrownBy(() -> handshakes.deserialize(TOPIC, bytes(tree)))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining(TOPIC)
                .hasMessageContaining("field 'remoteAddress' is required");
    }

    @Test
    void aMissingRequiredNumberIsNamedRatherThanReadAsZero() {
        ObjectNode tree = tree(handshakes.serialize(TOPIC, SampleEvents.handshakeSuccess()));
        tree.remove("remotePort");

        assertThatThrownBy(() -> handshakes.deserialize(TOPIC, bytes(tree)))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("remotePort");
    }

    @Test
    void aMissingRequiredBooleanIsNamedRatherThanReadAsFalse() {
        JsonSerde<FingerprintPosture> serde = JsonSerde.forEvent(FingerprintPosture.class);
        ObjectNode tree = tree(serde.serialize("t", SampleEvents.fingerprintPosture()));
        tree.remove("outdated");

        assertThatThrownBy(() -> serde.deserialize("t", bytes(tree)))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("outdated");
    }

    @Test
    void aMissingNestedFieldIsNamedWithItsPath() {
        ObjectNode tree = tree(handshakes.serialize(TOPIC, SampleEvents.handshakeSuccess()));
        ((ObjectNode) tree.get("clientHello")).remove("ja4");

        assertThatThrownBy(() -> handshakes.deserialize(TOPIC, bytes(tree)))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("field 'ja4' is required")
                .hasMessageContaining("$.clientHello");
    }

    @Test
    void anExplicitNullForARequiredNumberIsRefused() {
        ObjectNode tree = tree(handshakes.serialize(TOPIC, SampleEvents.handshakeSuccess()));
        tree.putNull("localPort");

        assertThatThrownBy(() -> handshakes.deserialize(TOPIC, bytes(tree)))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("localPort");
    }

    @Test
    void aWronglyTypedFieldIsNamedWithItsPath() {
        ObjectNode tree = tree(handshakes.serialize(TOPIC, SampleEvents.handshakeSuccess()));
        tree.put("remotePort", "51544");

        assertThatThrownBy(() -> handshakes.deserialize(TOPIC, bytes(tree)))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("$.remotePort");
    }

    @Test
    void aFractionalNumberForAnIntegerFieldIsRefused() {
        ObjectNode tree = tree(handshakes.serialize(TOPIC, SampleEvents.handshakeSuccess()));
        tree.put("localPort", 8443.5);

        assertThatThrownBy(() -> handshakes.deserialize(TOPIC, bytes(tree)))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("$.localPort");
    }

    @Test
    void aNumericTimestampIsRefusedBecauseItsUnitWouldBeAGuess() {
        ObjectNode tree = tree(handshakes.serialize(TOPIC, SampleEvents.handshakeSuccess()));
        tree.put("time", 1_710_408_413_589L);

        assertThatThrownBy(() -> handshakes.deserialize(TOPIC, bytes(tree)))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("RFC 3339")
                .hasMessageContaining("$.time");
    }

    @Test
    void aMalformedTimestampIsRefused() {
        ObjectNode tree = tree(handshakes.serialize(TOPIC, SampleEvents.handshakeSuccess()));
        tree.put("time", "2025-03-14 09:26:53");

        assertThatThrownBy(() -> handshakes.deserialize(TOPIC, bytes(tree)))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("RFC 3339");
    }

    @Test
    void aValueTheRecordRefusesIsNamed() {
        ObjectNode tree = tree(handshakes.serialize(TOPIC, SampleEvents.handshakeSuccess()));
        tree.put("remotePort", 70_000);

        assertThatThrownBy(() -> handshakes.deserialize(TOPIC, bytes(tree)))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("field 'remotePort' must be a port");
    }

    @Test
    void anotherEventTypeIsRefusedNamingBoth() {
        byte[] alert = JsonSerde.forEvent(AlertEvent.class).serialize("t", SampleEvents.alertFiring());

        assertThatThrownBy(() -> handshakes.deserialize(TOPIC, alert))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("'tlswatch.handshake/1'")
                .hasMessageContaining("another event type 'tlswatch.alert/1'");
    }

    @Test
    void aNewerMajorVersionIsRefusedAsSuch() {
        ObjectNode tree = tree(handshakes.serialize(TOPIC, SampleEvents.handshakeSuccess()));
        tree.put("type", "tlswatch.handshake/2");

        assertThatThrownBy(() -> handshakes.deserialize(TOPIC, bytes(tree)))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("'tlswatch.handshake/2', a newer major version");
    }

    @Test
    void aMissingTypeIsRefused() {
        ObjectNode tree = tree(handshakes.serialize(TOPIC, SampleEvents.handshakeSuccess()));
        tree.remove("type");

        assertThatThrownBy(() -> handshakes.deserialize(TOPIC, bytes(tree)))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("field 'type' is required");
    }

    @Test
    void aTypeThatIsNotAStringIsRefused() {
        ObjectNode tree = tree(handshakes.serialize(TOPIC, SampleEvents.handshakeSuccess()));
        tree.putObject("type").put("name", "tlswatch.handshake/1");

        assertThatThrownBy(() -> handshakes.deserialize(TOPIC, bytes(tree)))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("field 'type' must be a string");
    }

    @Test
    void theTypeIsFoundWhereverItStandsInTheObject() {
        // given a producer in another language that writes the type last
        HandshakeEvent sample = SampleEvents.handshakeSuccess();
        ObjectNode tree = tree(handshakes.serialize(TOPIC, sample));
        tree.remove("type");
        tree.put("type", HandshakeEvent.TYPE);

        assertThat(handshakes.deserialize(TOPIC, bytes(tree))).isEqualTo(sample);
    }

    @Test
    void ofChecksTheTypeOfEventClassesToo() {
        JsonSerde<LicenseRecord> serde = JsonSerde.of(LicenseRecord.class);
        byte[] handshake = handshakes.serialize(TOPIC, SampleEvents.handshakeSuccess());

        assertThatThrownBy(() -> serde.deserialize("tlswatch.licenses.v1", handshake))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("another event type 'tlswatch.handshake/1'");
    }

    @Test
    void anUnknownFailureReasonFromANewerProducerIsReadAsOther() {
        HandshakeEvent failure = SampleEvents.handshakeFailure();
        ObjectNode tree = tree(handshakes.serialize(TOPIC, failure));
        tree.put("failureReason", "post_quantum_mismatch");

        assertThat(handshakes.deserialize(TOPIC, bytes(tree)).failureReason()).isEqualTo(FailureReason.OTHER);
    }

    @Test
    void anUnknownValueOfAClosedEnumIsRefused() {
        JsonSerde<ClientPosture> serde = JsonSerde.forEvent(ClientPosture.class);
        ObjectNode tree = tree(serde.serialize("t", SampleEvents.clientPosture()));
        tree.put("posture", "AT_RISK");

        assertThatThrownBy(() -> serde.deserialize("t", bytes(tree)))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("$.posture");
    }

    @Test
    void duplicateKeysAreRefusedSoNoTwoParsersReadADocumentDifferently() {
        byte[] bytes = handshakes.serialize(TOPIC, SampleEvents.handshakeSuccess());
        String json = new String(bytes, StandardCharsets.UTF_8);
        String duplicated =
                json.replaceFirst("\"remoteAddress\":", "\"remoteAddress\":\"10.0.0.1\",\"remoteAddress\":");

        assertThatThrownBy(() -> handshakes.deserialize(TOPIC, duplicated.getBytes(StandardCharsets.UTF_8)))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("Duplicate field 'remoteAddress'");
    }

    @Test
    void deeplyNestedJsonIsRefusedEvenInAnIgnoredField() {
        String deep = "[".repeat(Json.MAX_NESTING_DEPTH + 10) + "]".repeat(Json.MAX_NESTING_DEPTH + 10);
        ObjectNode tree = tree(handshakes.serialize(TOPIC, SampleEvents.handshakeSuccess()));
        String json = bytesAsString(tree).replaceFirst("\\{", "{\"extra\":" + deep + ",");

        assertThatThrownBy(() -> handshakes.deserialize(TOPIC, json.getBytes(StandardCharsets.UTF_8)))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("nesting depth");
    }

    @Test
    void deeplyNestedJsonIsRefusedBeforeTheTypeIsFound() {
        String deep = "{\"a\":".repeat(200) + "1" + "}".repeat(200);
        String json = "{\"x\":" + deep + ",\"type\":\"tlswatch.handshake/1\"}";

        assertThatThrownBy(() -> handshakes.deserialize(TOPIC, json.getBytes(StandardCharsets.UTF_8)))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("nesting depth");
    }

    @Test
    void anOversizedStringIsRefused() {
        ObjectNode tree = tree(handshakes.serialize(TOPIC, SampleEvents.handshakeFailure()));
        tree.put("failureMessage", "x".repeat(Json.MAX_STRING_LENGTH + 1));

        assertThatThrownBy(() -> handshakes.deserialize(TOPIC, bytes(tree)))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("String value length");
    }

    @Test
    void anOversizedDocumentIsRefusedBeforeParsing() {
        byte[] huge = new byte[(int) Json.MAX_DOCUMENT_LENGTH + 1];
        java.util.Arrays.fill(huge, (byte) ' ');

        assertThatThrownBy(() -> handshakes.deserialize(TOPIC, huge))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("exceeds the limit");
    }

    @Test
    void aHugeNumberIsRefused() {
        ObjectNode tree = tree(handshakes.serialize(TOPIC, SampleEvents.handshakeSuccess()));
        String json = bytesAsString(tree).replaceFirst("\"localPort\":8443", "\"localPort\":" + "9".repeat(5000));

        assertThatThrownBy(() -> handshakes.deserialize(TOPIC, json.getBytes(StandardCharsets.UTF_8)))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("Number value length");
    }

    @Test
    void aTypeWithoutATypeConstantCannotBeUsedAsAnEvent() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Class<Event> notAnEvent = (Class) Event.class;

        assertThatThrownBy(() -> JsonSerde.forEvent(notAnEvent))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TYPE");
    }

    @Test
    void aPlainTypeIsServedWithoutATypeCheck() {
        record Ping(String message, int count) {
        }
        JsonSerde<Ping> serde = JsonSerde.of(Ping.class);

        assertThat(serde.deserialize("t", serde.serialize("t", new Ping("hi", 2)))).isEqualTo(new Ping("hi", 2));
    }

    @SuppressWarnings("unchecked")
    private static JsonSerde<Event> serdeFor(Event sample) {
        return (JsonSerde<Event>) (JsonSerde<?>) JsonSerde.forEvent(sample.getClass());
    }

    private static ObjectNode tree(byte[] bytes) {
        try {
            return (ObjectNode) Json.reader().readTree(bytes);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(JsonNode tree) {
        try {
            return Json.writer().writeValueAsBytes(tree);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String bytesAsString(JsonNode tree) {
        return new String(bytes(tree), StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] bytes, String suffix) {
        return (new String(bytes, StandardCharsets.UTF_8) + suffix).getBytes(StandardCharsets.UTF_8);
    }
}
