package io.tlswatch.streams.query;

import io.tlswatch.contract.event.Posture;
import io.tlswatch.streams.event.TlsVersions;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads and checks the query parameters of the query API; every refusal names the parameter. */
public final class QueryParams {

    private final Map<String, List<String>> params;

    public QueryParams(Map<String, List<String>> params) {
        this.params = params;
    }

    public String raw(String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new BadQuery(name, "query parameter '" + name + "' given more than once");
        }
        return values.get(0);
    }

    /** {@code null} when absent. */
    public Posture posture(String name) {
        String raw = raw(name);
        if (raw == null) {
            return null;
        }
        for (Posture p : Posture.values()) {
            if (p.name().toLowerCase(Locale.ROOT).equals(raw)) {
                return p;
            }
        }
        throw new BadQuery(name, "query parameter '" + name + "' must be one of " + Arrays.stream(Posture.values())
                .map(p -> p.name().toLowerCase(Locale.ROOT)).toList() + ", was '" + abbreviate(raw) + "'");
    }

    public int limit(String name, int defaultValue, int max) {
        String raw = raw(name);
        if (raw == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new BadQuery(name, "query parameter '" + name + "' must be a whole number from 1 to " + max
                + ", was '" + abbreviate(raw) + "'");
    }

    /** {@code null} when absent. */
    public Boolean bool(String name) {
        String raw = raw(name);
        if (raw == null) {
            return null;
        }
        return switch (raw) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new BadQuery(name, "query parameter '" + name + "' must be true or false, was '"
                    + abbreviate(raw) + "'");
        };
    }

    public String tlsVersion(String name) {
        String raw = raw(name);
        if (raw == null) {
            throw new BadQuery(name, "query parameter '" + name + "' is required, e.g. TLSv1.3");
        }
        if (!TlsVersions.known(raw)) {
            throw new BadQuery(name, "query parameter '" + name + "' must be one of SSLv3, TLSv1, TLSv1.1, TLSv1.2,"
                    + " TLSv1.3, was '" + abbreviate(raw) + "'");
        }
        return raw;
    }

    private static String abbreviate(String raw) {
        return raw.length() <= 40 ? raw : raw.substring(0, 40) + "...";
    }
}
