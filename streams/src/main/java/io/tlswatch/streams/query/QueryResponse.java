package io.tlswatch.streams.query;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * An answer of the query API: a body to write as JSON, or the raw JSON another instance answered with.
 *
 * @param status the HTTP status
 * @param body   the value to write as JSON; {@code null} when {@code raw} is set
 * @param raw    JSON bytes relayed as they came
 */
public record QueryResponse(HttpResponseStatus status, Object body, byte[] raw) {

    public static QueryResponse ok(Object body) {
        return new QueryResponse(HttpResponseStatus.OK, body, null);
    }

    public static QueryResponse relayed(int status, byte[] raw) {
        return new QueryResponse(HttpResponseStatus.valueOf(status), null, raw);
    }

    public static QueryResponse error(HttpResponseStatus status, String code, String message, String field) {
        java.util.Map<String, Object> error = new java.util.LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        if (field != null) {
            error.put("field", field);
        }
        return new QueryResponse(status, java.util.Map.of("error", error), null);
    }
}
