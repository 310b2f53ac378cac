package io.tlswatch.validator.token;

import io.tlswatch.validator.token.CompactJws.Ok;
import io.tlswatch.validator.token.CompactJws.Problem;
import io.tlswatch.validator.token.CompactJws.Refused;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class CompactJwsTest {

    @Test
    void aWellFormedJwsIsSplitDecodedAndParsed() {
        // given
        String compact = Jose.compact("{\"alg\":\"EdDSA\"}", "{\"sub\":\"x\"}", new byte[] {1, 2, 3});

        // when
        CompactJws.Parsed parsed = CompactJws.parse(compact, 8192);

        // then
        CompactJws jws = ((Ok) parsed).jws();
        assertThat(jws.header().get("alg").asText()).isEqualTo("EdDSA");
        assertThat(jws.payload().get("sub").asText()).isEqualTo("x");
        assertThat(jws.signature()).containsExactly(1, 2, 3);
        assertThat(jws.signingInput()).isEqualTo(compact.substring(0, compact.lastIndexOf('.')));
    }

    @Test
    void theLengthIsCheckedBeforeAnythingElse() {
        // given: garbage one character over the limit
        String compact = "!".repeat(1025);

        // when / then
        assertThat(CompactJws.parse(compact, 1024)).isEqualTo(new Refused(Problem.TOO_LARGE,
                "longer than 1024 characters"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{}|1",
            "[]|1",
            "{\"a\":[1,{\"b\":[]}]}|4",
            "{\"a\":\"[[[[[[[[[[\"}|1",
            "{\"a\":\"\\\"[[[[\"}|1",
            "{\"a\":\"\\\\\",\"b\":[[]]}|3",
            "\"\"|0"})
    void depthCountsArraysAndObjectsButNotBracketsInStrings(String json, int depth) {
        assertThat(CompactJws.depth(json)).isEqualTo(depth);
    }

    @Test
    void nestingBeyondTheLimitIsRefusedBeforeParsing() {
        // given
        String deep = "{\"a\":" + Jose.nestedArrays(CompactJws.MAX_NESTING_DEPTH) + "}";
        String limit = "{\"a\":" + Jose.nestedArrays(CompactJws.MAX_NESTING_DEPTH - 1) + "}";

        // when / then
        assertThat(CompactJws.parse(Jose.compact("{}", deep, new byte[0]), 8192))
                .isEqualTo(new Refused(Problem.TOO_DEEP, "payload nests JSON deeper than 8 levels"));
        assertThat(CompactJws.parse(Jose.compact("{}", limit, new byte[0]), 8192)).isInstanceOf(Ok.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "e30|two parts",
            "e30.e30.AA.AA|four parts",
            ".e30.AA|empty header",
            "e30..AA|empty payload",
            "e30=.e30.AA|padding",
            "e30.e30.A+/A|standard base64 alphabet",
            "e30 .e30.AA|space",
            "e30.e30.A|impossible base64 length"})
    void malformedStructureIsRefused(String compact, String why) {
        assertThat(CompactJws.parse(compact, 8192)).as(why)
                .isInstanceOfSatisfying(Refused.class, r -> assertThat(r.problem()).isEqualTo(Problem.MALFORMED));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[]|an array",
            "\"text\"|a string",
            "null|null",
            "{\"a\":1}{}|trailing content",
            "{\"a\":1,\"a\":2}|a duplicated member",
            "{'a':1}|single quotes",
            "{\"a\":NaN}|NaN",
            "{\"a\":1} // comment|a comment"})
    void aHeaderThatIsNotOneStrictJsonObjectIsRefused(String header, String why) {
        assertThat(CompactJws.parse(Jose.compact(header, "{}", new byte[0]), 8192)).as(why)
                .isInstanceOfSatisfying(Refused.class, r -> assertThat(r.problem()).isEqualTo(Problem.MALFORMED));
    }

    @Test
    void bytesThatAreNotUtf8AreRefused() {
        // given: a lone continuation byte
        String compact = Jose.b64(new byte[] {'{', (byte) 0x80, '}'}) + ".e30.";

        // when / then
        assertThat(CompactJws.parse(compact, 8192)).isEqualTo(new Refused(Problem.MALFORMED, "header is not UTF-8"));
    }

    @Test
    void anEmptySignatureIsStructurallyAllowedSoThatAlgNoneIsRefusedForItsAlg() {
        assertThat(CompactJws.parse("e30.e30.", 8192)).isInstanceOfSatisfying(Ok.class,
                ok -> assertThat(ok.jws().signature()).isEmpty());
    }
}
