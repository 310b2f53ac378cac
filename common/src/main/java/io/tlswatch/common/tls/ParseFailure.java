package io.tlswatch.common.tls;

/**
 * Internal signal that parsing stops with a {@link ParseError}. It never leaves the package: the parser turns it
 * into a {@link ParseResult.Failed}. Checked, so that no code path can forget it; without a stack trace, because it
 * is an expected outcome for hostile input and must stay cheap.
 */
final class ParseFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final ParseError error;

    ParseFailure(ParseError error, String detail) {
        super(detail, null, false, false);
        this.error = error;
    }

    ParseError error() {
        return error;
    }

    ParseResult.Failed toResult() {
        return new ParseResult.Failed(error, getMessage());
    }
}
