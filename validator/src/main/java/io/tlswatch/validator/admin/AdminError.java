package io.tlswatch.validator.admin;

/**
 * A request the admin API refuses: the status, a stable code, the field at fault (a JSON pointer such as
 * {@code /notAfter}, a query parameter such as {@code ?status}, or null) and a message for a person.
 */
public final class AdminError extends RuntimeException {

    private final int status;
    private final String code;
    private final String field;

    public AdminError(int status, String code, String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public static AdminError invalid(String field, String message) {
        return new AdminError(422, "invalid_field", field, message);
    }

    public static AdminError notFound(String field, String message) {
        return new AdminError(404, "not_found", field, message);
    }

    public static AdminError conflict(String code, String field, String message) {
        return new AdminError(409, code, field, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}
