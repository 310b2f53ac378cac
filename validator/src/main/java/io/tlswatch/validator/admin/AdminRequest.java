package io.tlswatch.validator.admin;

import java.util.List;
import java.util.Map;

/**
 * One admin request, copied off the connection so that it can be answered on a worker thread.
 *
 * @param method        the HTTP method, upper case
 * @param path          the path without the query
 * @param query         the query parameters
 * @param authorization the {@code Authorization} header, or null
 * @param contentType   the {@code Content-Type} header, or null
 * @param body          the body's bytes (empty when none)
 */
public record AdminRequest(String method, String path, Map<String, List<String>> query, String authorization,
                           String contentType, byte[] body) {

    public AdminRequest {
        query = Map.copyOf(query);
    }

    /** The first value of a query parameter, or null. */
    public String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Leaves the authorization out: a request may be logged, a token never. */
    @Override
    public String toString() {
        return "AdminRequest[" + method + " " + path + "]";
    }
}
