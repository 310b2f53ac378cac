package io.tlswatch.collector.ingest;

/**
 * One thing wrong with a request or with one report in it.
 *
 * @param field   the offending input: a JSON pointer into the body ({@code /reports/3/occurredAt}) or a header
 *                name; null when it is not one field's fault
 * @param code    a stable machine-readable word: {@code missing}, {@code wrong_type}, {@code invalid_value},
 *                {@code too_long}
 * @param message for a person
 */
public record Problem(String field, String code, String message) {
}
