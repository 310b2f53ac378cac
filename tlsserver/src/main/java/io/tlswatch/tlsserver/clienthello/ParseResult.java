package io.tlswatch.tlsserver.clienthello;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link ClientHelloParser}: the decoded hello, or a typed reason why there is none (with the
 * hello as far as it was read, when only an extension was malformed). The parser
 * returns this instead of throwing, so that a malformed hello can never become an exception in an event loop.
 */
public sealed interface ParseResult permits ParseResult.Parsed, ParseResult.Failed {

    /** The hello when parsing succeeded. */
    default Optional<ClientHello> hello() {
        return this instanceof Parsed parsed ? Optional.of(parsed.clientHello()) : Optional.empty();
    }

    /** The hello as far as it was read, when parsing stopped at a malformed extension. */
    default Optional<PartialClientHello> partialHello() {
        return this instanceof Failed failed ? Optional.ofNullable(failed.partial()) : Optional.empty();
    }

    /** The decoded ClientHello. */
    record Parsed(ClientHello clientHello) implements ParseResult {
        public Parsed {
            Objects.requireNonNull(clientHello, "clientHello");
        }
    }

    /**
     * No whole ClientHello could be read.
     *
     * @param error   the reason, from a fixed set
     * @param detail  a short explanation for logs; built from numbers and fixed words only, never from the input's
     *                text, so it is safe to log
     * @param partial the hello as far as it was read when its fixed part was whole and one of its extensions was
     *                not ({@link ParseError#MALFORMED_EXTENSION}); {@code null} otherwise
     */
    record Failed(ParseError error, String detail, PartialClientHello partial) implements ParseResult {
        public Failed {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(detail, "detail");
        }

        /** A failure with nothing of the hello kept. */
        public Failed(ParseError error, String detail) {
            this(error, detail, null);
        }
    }
}
