package io.tlswatch.collector.ingest;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the fields of one JSON object strictly, collecting a {@link Problem} per bad field (named by its JSON
 * pointer) instead of stopping at the first, so that a client learns everything wrong with a report at once.
 * A field given as JSON {@code null} counts as absent.
 */
final class FieldReader {

    private final JsonNode object;
    private final String pointer;
    private final List<Problem> problems;

    FieldReader(JsonNode object, String pointer, List<Problem> problems) {
        this.object = object;
        this.pointer = pointer;
        this.problems = problems;
    }

    String pointer(String name) {
        return pointer + "/" + name;
    }

    List<Problem> problems() {
        return problems;
    }

    private JsonNode node(String name) {
        JsonNode node = object.get(name);
        return node == null || node.isNull() ? null : node;
    }

    String requiredText(String name, int maxLength) {
        String value = text(name, maxLength);
        if (value == null && node(name) == null) {
            problems.add(new Problem(pointer(name), "missing", name + " is required"));
        }
        return value;
    }

    String text(String name, int maxLength) {
        JsonNode node = node(name);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            problems.add(new Problem(pointer(name), "wrong_type", name + " must be a string"));
            return null;
        }
        String value = node.textValue();
        if (value.isBlank()) {
            problems.add(new Problem(pointer(name), "invalid_value", name + " must not be empty"));
            return null;
        }
        if (value.length() > maxLength) {
            problems.add(new Problem(pointer(name), "too_long", name + " is longer than " + maxLength
                    + " characters"));
            return null;
        }
        return value;
    }

    /**
     * A diagnostic field that a report is still worth having without: its value, or null (and no problem) when it
     * is absent, empty, not a string or longer than {@code maxLength}. User agents send such fields empty when
     * they did not get that far (NEL's {@code server_ip} and {@code protocol} of a failed connection).
     */
    String lenientText(String name, int maxLength) {
        JsonNode node = node(name);
        if (node == null || !node.isTextual() || node.textValue().isBlank() || node.textValue().length() > maxLength) {
            return null;
        }
        return node.textValue();
    }

    /** As {@link #lenientText}, for a JSON integer within [min, max]. */
    Long lenientInteger(String name, long min, long max) {
        JsonNode node = node(name);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            return null;
        }
        long value = node.longValue();
        return value < min || value > max ? null : value;
    }

    Instant requiredInstant(String name) {
        Instant value = instant(name);
        if (value == null && node(name) == null) {
            problems.add(new Problem(pointer(name), "missing", name + " is required"));
        }
        return value;
    }

    /** RFC 3339 with an offset; a number is refused, since the unit would have to be guessed. */
    Instant instant(String name) {
        JsonNode node = node(name);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            problems.add(new Problem(pointer(name), "wrong_type", name
                    + " must be an RFC 3339 timestamp string, such as 2025-03-14T09:26:53.589Z"));
            return null;
        }
        try {
            return OffsetDateTime.parse(node.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(new Problem(pointer(name), "invalid_value", name
                    + " must be an RFC 3339 timestamp with an offset, such as 2025-03-14T09:26:53.589Z"));
            return null;
        }
    }

    /** A JSON integer within [min, max]; absent gives {@code null}. */
    Long integer(String name, long min, long max) {
        JsonNode node = node(name);
        if (node == null) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            problems.add(new Problem(pointer(name), "wrong_type", name + " must be a whole number"));
            return null;
        }
        long value = node.longValue();
        if (value < min || value > max) {
            problems.add(new Problem(pointer(name), "invalid_value", name + " must be between " + min + " and "
                    + max));
            return null;
        }
        return value;
    }

    /** A nested object, or null (with a problem when present and not an object). */
    FieldReader object(String name) {
        JsonNode node = node(name);
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            problems.add(new Problem(pointer(name), "wrong_type", name + " must be an object"));
            return null;
        }
        return new FieldReader(node, pointer(name), problems);
    }

    boolean has(String name) {
        return node(name) != null;
    }

    /** An array of strings; absent gives an empty list. */
    List<String> texts(String name, int maxItems, int maxLength) {
        JsonNode node = node(name);
        List<String> values = new ArrayList<>();
        if (node == null) {
            return values;
        }
        if (!node.isArray()) {
            problems.add(new Problem(pointer(name), "wrong_type", name + " must be an array of strings"));
            return values;
        }
        if (node.size() > maxItems) {
            problems.add(new Problem(pointer(name), "too_long", name + " has more than " + maxItems + " entries"));
            return values;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual() || item.textValue().isBlank() || item.textValue().length() > maxLength) {
                problems.add(new Problem(pointer(name) + "/" + i, "invalid_value", name
                        + " entries must be non-empty strings of at most " + maxLength + " characters"));
                continue;
            }
            values.add(item.textValue());
        }
        return values;
    }
}
