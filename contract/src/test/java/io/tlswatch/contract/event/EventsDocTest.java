package io.tlswatch.contract.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.contract.serde.JsonSerde;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/events.md is the contract other languages read: these tests keep it equal to what the code writes. */
class EventsDocTest {

    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)\\n```", Pattern.DOTALL);

    private static String doc;
    private static List<JsonNode> examples;

    static List<Event> samples() {
        return SampleEvents.all();
    }

    @BeforeAll
    static void readDoc() throws IOException {
        // Surefire runs in the module directory; an IDE may run in the repository root.
        Path fromModule = Path.of("../docs/events.md");
        Path path = Files.exists(fromModule) ? fromModule : Path.of("docs/events.md");
        doc = Files.readString(path);
        examples = new ArrayList<>();
        Matcher matcher = JSON_BLOCK.matcher(doc);
        while (matcher.find()) {
            examples.add(Json.reader().readTree(matcher.group(1)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void theDocShowsExactlyWhatTheSerializerWritesForEachSample(Event sample) throws IOException {
        JsonNode written = Json.reader().readTree(serde(sample.getClass()).serialize("t", sample));

        assertThat(examples.contains(written))
                .as("docs/events.md has a ```json example equal to what the serializer writes:%n%s",
                        written.toPrettyString())
                .isTrue();
    }

    @Test
    void everyExampleInTheDocIsAValidEventOfItsType() {
        Map<String, Class<? extends Event>> types = new LinkedHashMap<>();
        SampleEvents.all().forEach(sample -> types.put(sample.type(), sample.getClass()));

        assertThat(examples).hasSizeGreaterThanOrEqualTo(types.size());
        for (JsonNode example : examples) {
            String type = example.path("type").asText();
            assertThat(types).as("known type of example " + example.path("id")).containsKey(type);
            Event read = serde(types.get(type)).deserialize("t", example.toString().getBytes(StandardCharsets.UTF_8));
            assertThat(read.id()).isEqualTo(example.get("id").asText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everyTypeIsDocumentedWithItsTopic(Event sample) {
        assertThat(doc).contains("## `" + sample.type() + "` on `tlswatch.");
    }

    @Test
    void everyFieldTheSamplesWriteHasARowInAFieldTable() throws IOException {
        Set<String> names = new TreeSet<>();
        for (Event sample : SampleEvents.all()) {
            collectFieldNames(Json.reader().readTree(serde(sample.getClass()).serialize("t", sample)), names);
        }

        List<String> undocumented = names.stream().filter(name -> !doc.contains("| `" + name + "` |")).toList();
        assertThat(undocumented).as("fields without a table row in docs/events.md").isEmpty();
    }

    private static void collectFieldNames(JsonNode node, Set<String> names) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                // Keys of count maps are data, not field names.
                boolean dataKeys = field.getKey().endsWith("ByReason") || field.getKey().endsWith("ByErrorClass");
                names.add(field.getKey());
                if (!dataKeys) {
                    collectFieldNames(field.getValue(), names);
                }
            }
        } else if (node.isArray()) {
            node.forEach(element -> collectFieldNames(element, names));
        }
    }

    @SuppressWarnings("unchecked")
    private static JsonSerde<Event> serde(Class<? extends Event> type) {
        return (JsonSerde<Event>) (JsonSerde<?>) JsonSerde.forEvent(type);
    }
}
