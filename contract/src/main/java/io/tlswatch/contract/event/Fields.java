package io.tlswatch.contract.event;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Validation and normalisation shared by the compact constructors. Every failure is an
 * {@link IllegalArgumentException} whose message starts with the field name, so that the serde can tell a
 * consumer exactly which field of a bad record is wrong.
 */
final class Fields {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern JKT = Pattern.compile("[A-Za-z0-9_-]{43}");

    private Fields() {
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    static void envelope(String expectedType, String type, String id, Instant time, String source) {
        if (type == null) {
            throw missing("type");
        }
        if (!expectedType.equals(type)) {
            throw new IllegalArgumentException(
                    "field 'type' must be '" + expectedType + "' but was '" + type + "'");
        }
        text("id", id);
        required("time", time);
        text("source", source);
    }

    static <T> T required(String field, T value) {
        if (value == null) {
            throw missing(field);
        }
        return value;
    }

    static String text(String field, String value) {
        if (value == null) {
            throw missing(field);
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException("field '" + field + "' must not be blank");
        }
        return value;
    }

    /** Nullable, but when present not blank: an empty string would be a third state consumers must handle. */
    static String optionalText(String field, String value) {
        return value == null ? null : text(field, value);
    }

    /** Sub-millisecond precision is dropped so that a record equals itself after a trip through JSON. */
    static Instant millis(Instant value) {
        return value == null ? null : value.truncatedTo(ChronoUnit.MILLIS);
    }

    static Instant requiredMillis(String field, Instant value) {
        return millis(required(field, value));
    }

    static <T> List<T> list(String field, List<T> values) {
        if (values == null) {
            return List.of();
        }
        noNullElements(field, values);
        return List.copyOf(values);
    }

    /** Sorted, so that the JSON array of a set is stable and two equal rows serialise to the same bytes. */
    static Set<String> sortedSet(String field, Collection<String> values) {
        if (values == null) {
            return Collections.emptySortedSet();
        }
        noNullElements(field, values);
        return Collections.unmodifiableSortedSet(new TreeSet<>(values));
    }

    /** Sorted for the same reason as {@link #sortedSet}. */
    static <V> Map<String, V> sortedMap(String field, Map<String, V> values) {
        if (values == null) {
            return Collections.emptySortedMap();
        }
        SortedMap<String, V> copy = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k == null || v == null) {
                throw new IllegalArgumentException("field '" + field + "' must not contain null keys or values");
            }
            copy.put(k, v);
        });
        return Collections.unmodifiableSortedMap(copy);
    }

    static Map<String, Long> counts(String field, Map<String, Long> values) {
        Map<String, Long> copy = sortedMap(field, values);
        copy.forEach((k, v) -> {
            if (v < 0) {
                throw new IllegalArgumentException("field '" + field + "' has a negative count for '" + k + "'");
            }
        });
        return copy;
    }

    static long nonNegative(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("field '" + field + "' must not be negative, was " + value);
        }
        return value;
    }

    static double nonNegative(String field, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException("field '" + field + "' must be a finite non-negative number, was "
                    + value);
        }
        return value;
    }

    static int port(String field, int value) {
        if (value < 0 || value > 65_535) {
            throw new IllegalArgumentException("field '" + field + "' must be a port in 0..65535, was " + value);
        }
        return value;
    }

    /** Lowercase hex of a SHA-256 digest; one spelling so consumers can compare with a plain string compare. */
    static String sha256(String field, String value) {
        if (value != null && !SHA256_HEX.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "field '" + field + "' must be 64 lowercase hex digits (SHA-256), was '" + value + "'");
        }
        return value;
    }

    /**
     * An RFC 7638 SHA-256 JWK thumbprint, base64url without padding (43 characters), as Nimbus and the DPoP
     * {@code cnf.jkt} claim write it; one spelling so consumers can compare with a plain string compare.
     */
    static String jkt(String field, String value) {
        if (value != null && !JKT.matcher(value).matches()) {
            throw new IllegalArgumentException("field '" + field
                    + "' must be an RFC 7638 SHA-256 thumbprint (43 base64url characters), was '" + value + "'");
        }
        return value;
    }

    static IllegalArgumentException missing(String field) {
        return new IllegalArgumentException("field '" + field + "' is required");
    }

    private static void noNullElements(String field, Collection<?> values) {
        for (Object value : values) {
            if (value == null) {
                throw new IllegalArgumentException("field '" + field + "' must not contain null elements");
            }
        }
    }
}
