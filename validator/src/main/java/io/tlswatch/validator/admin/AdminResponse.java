package io.tlswatch.validator.admin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the admin API answers: a status, a body written as JSON, and extra headers.
 *
 * @param operation the route's name, for meters and logs ({@code licenses.revoke}); {@code none} before routing
 */
public record AdminResponse(int status, Object body, Map<String, String> headers, String operation) {

    public AdminResponse {
        headers = Map.copyOf(headers);
    }

    public static AdminResponse ok(Object body) {
        return new AdminResponse(200, body, Map.of(), "none");
    }

    public static AdminResponse created(Object body) {
        return new AdminResponse(201, body, Map.of(), "none");
    }

    /** The error body of docs/api.md, "Errors": {@code {"error":{"code","message","field"}}}. */
    public static AdminResponse error(int status, String code, String message, String field) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        if (field != null) {
            error.put("field", field);
        }
        return new AdminResponse(status, Map.of("error", error), Map.of(), "none");
    }

    public AdminResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new AdminResponse(status, body, more, operation);
    }

    public AdminResponse named(String name) {
        return new AdminResponse(status, body, headers, name);
    }
}
