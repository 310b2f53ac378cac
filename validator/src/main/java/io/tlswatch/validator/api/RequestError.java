package io.tlswatch.validator.api;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Why a request was refused: the status, a stable machine-readable code, the offending field (a JSON
 * pointer such as {@code /clientId}, or a header name; null when no single field is at fault) and a message
 * for a person.
 */
public record RequestError(HttpResponseStatus status, String code, String field, String message) {

    public static RequestError malformed(String message) {
        return new RequestError(HttpResponseStatus.BAD_REQUEST, "malformed_json", null, message);
    }

    public static RequestError invalid(String field, String message) {
        return new RequestError(HttpResponseStatus.UNPROCESSABLE_ENTITY, "invalid_field", field, message);
    }
}
