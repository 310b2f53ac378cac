package io.tlswatch.tlsserver.clienthello;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile bytes at the parser and the fingerprints computed from what it accepts.
 *
 * <p>The property: every input gets a result; a failure is one of the typed {@link ParseError}s and never
 * {@link ParseError#INTERNAL} (the parser turns its own bugs into INTERNAL rather than throwing, so INTERNAL is
 * the bug this test looks for); whatever parses can be fingerprinted and summarised without throwing; the input
 * is not modified. Under {@code mvn verify} the committed seeds ({@code ClientHelloFuzzTestInputs/}) run as
 * regression tests and, in the {@code fuzz} execution, {@link #parseRecords} is fuzzed for a bounded time.
 */
class ClientHelloFuzzTest {

    private final ClientHelloParser parser = new ClientHelloParser();

    @FuzzTest(maxDuration = "20s")
    void parseRecords(byte[] input) {
        byte[] before = input.clone();

        check(parser.parseRecords(input));

        assertThat(input).isEqualTo(before);
    }

    @FuzzTest(maxDuration = "20s")
    void parseHandshakeBody(byte[] input) {
        check(parser.parseHandshakeBody(Arrays.copyOf(input, input.length)));
    }

    private static void check(ParseResult result) {
        assertThat(result).isNotNull();
        if (result instanceof ParseResult.Failed failed) {
            assertThat(failed.error()).as("parser bug: %s", failed.detail()).isNotEqualTo(ParseError.INTERNAL);
            // A partial hello comes with a malformed extension only, and must summarise as any hello does.
            if (failed.partial() != null) {
                assertThat(failed.error()).isEqualTo(ParseError.MALFORMED_EXTENSION);
                assertThat(ClientHelloSummaries.of(failed.partial()).incomplete()).isTrue();
            }
        } else {
            ClientHello hello = ((ParseResult.Parsed) result).clientHello();
            assertThat(Ja3.of(hello)).isNotNull();
            assertThat(Ja4.of(hello)).isNotNull();
            assertThat(ClientHelloSummaries.of(hello)).isNotNull();
        }
    }
}
