package io.tlswatch.streams.query;

/** A query parameter that cannot be used: answered 400 with the parameter named. */
public final class BadQuery extends RuntimeException {

    private final String field;

    public BadQuery(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
