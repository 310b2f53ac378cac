package io.tlswatch.collector.ingest;

/**
 * Why an item of a NEL batch was not stored. The first two are reports tlswatch has no use for (the response
 * calls them {@code ignored}); the others are items that cannot be read as a report at all (the response calls
 * them {@code skipped}), named like the {@link Problem} codes of the item's first problem. A fixed set: each is
 * a value of the {@code reason} tag of {@code tlswatch.collector.nel.skipped}.
 */
public enum SkipReason {

    /** A report of another type (CSP, deprecation, intervention, ...). */
    OTHER_TYPE("other_type", true),
    /** A NEL success sample ({@code body.type} {@code ok}). */
    SUCCESS_SAMPLE("success_sample", true),
    /** An array element that is not a JSON object. */
    NOT_AN_OBJECT("not_an_object", false),
    /** A field a network error cannot do without ({@code type}, {@code url}, {@code body}, {@code body.type}, {@code body.phase}) is absent. */
    MISSING("missing", false),
    /** Such a field, or {@code age}, has the wrong JSON type. */
    WRONG_TYPE("wrong_type", false),
    /** Such a field, or {@code age}, has a value no user agent sends (empty, negative, not a NEL error type). */
    INVALID_VALUE("invalid_value", false),
    /** Such a field is longer than the collector keeps. */
    TOO_LONG("too_long", false);

    private final String tag;
    private final boolean ignored;

    SkipReason(String tag, boolean ignored) {
        this.tag = tag;
        this.ignored = ignored;
    }

    public String tag() {
        return tag;
    }

    /** A well-formed report tlswatch does not store, as opposed to an item it cannot read. */
    public boolean ignored() {
        return ignored;
    }

    /** The reason for an unreadable item whose first problem is {@code problem}. */
    static SkipReason of(Problem problem) {
        return switch (problem.code()) {
            case "missing" -> MISSING;
            case "wrong_type" -> WRONG_TYPE;
            case "too_long" -> TOO_LONG;
            default -> INVALID_VALUE;
        };
    }
}
