package io.tlswatch.validator.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlswatch.contract.event.HeartbeatLapse;
import io.tlswatch.contract.event.MachineActivation;
import io.tlswatch.contract.event.PolicyTerms;
import io.tlswatch.contract.serde.Json;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request's JSON object, read field by field: every refusal is a 422 naming the field as a JSON pointer
 * ({@code /notAfter}), and a field the endpoint does not know is refused rather than ignored, so that a typo
 * never silently changes nothing.
 */
public final class AdminBody {

    private static final Pattern FIELD_IN_MESSAGE = Pattern.compile("field '([A-Za-z]+)'");
    private static final Set<String> TERMS = Set.of("maxMachines", "machineWindow", "heartbeatInterval",
            "heartbeatLapse", "tokenLifetime", "offlineGrace", "proofRequired", "activation", "allowedScopes");

    private final ObjectNode node;

    private AdminBody(ObjectNode node) {
        this.node = node;
    }

    /** An empty body reads as {@code {}}; anything but a JSON object is a 400. */
    public static AdminBody parse(byte[] body, Set<String> known) {
        JsonNode node;
        if (body.length == 0) {
            node = Json.mapper().createObjectNode();
        } else {
            try {
                node = Json.reader().readTree(body);
            } catch (IOException e) {
                throw new AdminError(400, "malformed_json", null, "the body is not valid JSON");
            }
        }
        if (!(node instanceof ObjectNode object)) {
            throw new AdminError(400, "malformed_json", null, "the body must be a JSON object");
        }
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw AdminError.invalid("/" + name, "unknown field '" + name + "'; this endpoint takes "
                        + known.stream().sorted().toList());
            }
        }
        return new AdminBody(object);
    }

    public boolean has(String field) {
        return node.has(field);
    }

    public String text(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw AdminError.invalid("/" + field, field + " must be a non-blank string");
        }
        return value.asText();
    }

    public String requiredText(String field) {
        String value = text(field);
        if (value == null) {
            throw AdminError.invalid("/" + field, field + " is required");
        }
        return value;
    }

    public Integer integer(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw AdminError.invalid("/" + field, field + " must be an integer");
        }
        return value.intValue();
    }

    public Instant instant(String field) {
        String value = text(field);
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw AdminError.invalid("/" + field, field + " must be an RFC 3339 instant such as "
                    + "2027-01-01T00:00:00Z, was '" + value + "'");
        }
    }

    public Duration duration(String field) {
        return duration("/" + field, field, text(field));
    }

    public List<String> strings(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw AdminError.invalid("/" + field, field + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            if (!element.isTextual() || element.asText().isBlank()) {
                throw AdminError.invalid("/" + field + "/" + i, field + " must hold non-blank strings");
            }
            out.add(element.asText());
        }
        return out;
    }

    /** Policy terms from the object at {@code field}; null when absent or null. */
    public PolicyTerms terms(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!(value instanceof ObjectNode object)) {
            throw AdminError.invalid("/" + field, field + " must be an object of terms");
        }
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!TERMS.contains(name)) {
                throw AdminError.invalid("/" + field + "/" + name, "unknown term '" + name + "'; terms are "
                        + TERMS.stream().sorted().toList());
            }
        }
        AdminBody terms = new AdminBody(object);
        String p = "/" + field + "/";
        try {
            return new PolicyTerms(
                    terms.integer("maxMachines"),
                    duration(p + "machineWindow", "machineWindow", terms.text("machineWindow")),
                    duration(p + "heartbeatInterval", "heartbeatInterval", terms.text("heartbeatInterval")),
                    choice(p + "heartbeatLapse", terms.text("heartbeatLapse"), HeartbeatLapse.class),
                    duration(p + "tokenLifetime", "tokenLifetime", terms.text("tokenLifetime")),
                    duration(p + "offlineGrace", "offlineGrace", terms.text("offlineGrace")),
                    terms.bool("proofRequired"),
                    choice(p + "activation", terms.text("activation"), MachineActivation.class),
                    terms.strings("allowedScopes"));
        } catch (AdminError e) {
            throw e.field() != null && !e.field().startsWith(p)
                    ? AdminError.invalid(p + e.field().substring(1), e.getMessage()) : e;
        } catch (IllegalArgumentException e) {
            throw fieldError(p, e);
        }
    }

    private Boolean bool(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw AdminError.invalid("/" + field, field + " must be true or false");
        }
        return value.booleanValue();
    }

    /** A record's own check failed: its message names the field as {@code field 'x'}, which becomes the pointer. */
    public static AdminError fieldError(String prefix, IllegalArgumentException e) {
        Matcher m = FIELD_IN_MESSAGE.matcher(String.valueOf(e.getMessage()));
        return AdminError.invalid(m.find() ? prefix + m.group(1) : null, String.valueOf(e.getMessage()));
    }

    private static Duration duration(String pointer, String field, String value) {
        try {
            return value == null ? null : Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw AdminError.invalid(pointer, field + " must be an ISO 8601 duration such as PT72H or P30D, was '"
                    + value + "'");
        }
    }

    private static <E extends Enum<E>> E choice(String pointer, String value, Class<E> type) {
        if (value == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().toLowerCase(Locale.ROOT).equals(value)) {
                return constant;
            }
        }
        throw AdminError.invalid(pointer, "must be one of " + Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT)).toList() + ", was '" + value + "'");
    }
}
