package io.tlswatch.validator.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads typed claims out of a parsed JSON object; a missing or ill-typed claim is a {@link BadClaim}. */
final class ClaimReader {

    /** A RFC 7519 NumericDate beyond this is not a date anyone means (year 10000). */
    private static final long MAX_EPOCH_SECOND = 253_402_300_799L;

    private final ObjectNode json;

    ClaimReader(ObjectNode json) {
        this.json = json;
    }

    /** A claim that is absent or not what it must be; {@code missing} tells the two apart. */
    static final class BadClaim extends Exception {
        private final boolean missing;

        BadClaim(String message, boolean missing) {
            super(message, null, false, false);
            this.missing = missing;
        }

        boolean missing() {
            return missing;
        }
    }

    boolean has(String name) {
        JsonNode node = json.get(name);
        return node != null && !node.isNull();
    }

    /** A non-empty string claim. */
    String text(String name) throws BadClaim {
        JsonNode node = required(name);
        if (!node.isTextual() || node.textValue().isEmpty()) {
            throw new BadClaim(name + " must be a non-empty string", false);
        }
        return node.textValue();
    }

    /** An array of strings, possibly empty. */
    List<String> texts(String name) throws BadClaim {
        JsonNode node = required(name);
        if (!node.isArray()) {
            throw new BadClaim(name + " must be an array of strings", false);
        }
        List<String> values = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw new BadClaim(name + " must be an array of strings", false);
            }
            values.add(element.textValue());
        }
        return List.copyOf(values);
    }

    /** A string, or an array of strings (RFC 7519 allows either for {@code aud}). */
    List<String> textOrTexts(String name) throws BadClaim {
        JsonNode node = required(name);
        if (node.isTextual()) {
            return List.of(node.textValue());
        }
        return texts(name);
    }

    /** A RFC 7519 NumericDate: seconds since the epoch, fractions rounded down. */
    Instant date(String name) throws BadClaim {
        JsonNode node = required(name);
        if (!node.isNumber()) {
            throw new BadClaim(name + " must be a number of seconds since the epoch", false);
        }
        BigDecimal seconds = node.decimalValue().setScale(0, RoundingMode.FLOOR);
        if (seconds.abs().compareTo(BigDecimal.valueOf(MAX_EPOCH_SECOND)) > 0) {
            throw new BadClaim(name + " is out of range", false);
        }
        try {
            return Instant.ofEpochSecond(seconds.longValueExact());
        } catch (ArithmeticException | DateTimeException e) {
            throw new BadClaim(name + " is out of range", false);
        }
    }

    /** A JSON object claim. */
    ObjectNode object(String name) throws BadClaim {
        JsonNode node = required(name);
        if (!node.isObject()) {
            throw new BadClaim(name + " must be a JSON object", false);
        }
        return (ObjectNode) node;
    }

    private JsonNode required(String name) throws BadClaim {
        JsonNode node = json.get(name);
        if (node == null || node.isNull()) {
            throw new BadClaim(name + " is missing", true);
        }
        return node;
    }
}
