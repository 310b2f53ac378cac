package io.tlswatch.collector.ingest;

import java.util.List;

/**
 * Why a whole request was refused: the HTTP status, a stable code (also the metric's {@code reason}), the field
 * at fault (or null), a message, and for a batch every item's problems (each naming its own field).
 */
public record Refusal(int status, String code, String field, String message, List<Problem> problems) {

    public Refusal {
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    public static Refusal malformed(String message) {
        return new Refusal(400, "malformed_json", null, message, List.of());
    }

    public static Refusal of(int status, String code, String field, String message) {
        return new Refusal(status, code, field, message, List.of());
    }

    /** 422: one or more reports are invalid; nothing of the request is written. */
    public static Refusal invalid(List<Problem> problems) {
        Problem first = problems.get(0);
        String message = problems.size() == 1 ? first.message()
                : problems.size() + " problems, the first: " + first.field() + ": " + first.message();
        return new Refusal(422, "invalid_report", first.field(), message, problems);
    }
}
