package io.tlswatch.tlsserver.clienthello;

/**
 * Internal signal that parsing stops with a {@link ParseError}. It never leaves the package: the parser turns it
 * into a {@link ParseResult.Failed}. Checked, so that no code path can forget it; without a stack trace, because it
 * is an expected outcome for hostile input and must stay cheap.
 */
final class ParseFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final ParseError error;
    private final PartialClientHello partial;

    ParseFailure(ParseError error, String detail) {
        this(error, detail, null);
    }

    private ParseFailure(ParseError error, String detail, PartialClientHello partial) {
        super(detail, null, false, false);
        this.error = error;
        this.partial = partial;
    }

    /** The same failure, with the hello as far as it was read. */
    ParseFailure withPartial(PartialClientHello value) {
        return new ParseFailure(error, getMessage(), value);
    }

    ParseError error() {
        return error;
    }

    ParseResult.Failed toResult() {
        return new ParseResult.Failed(error, getMessage(), partial);
    }
}
