package io.tlswatch.contract.serde;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The arithmetic path for instants against {@link DateTimeFormatter}: it must write the same text for every
 * instant and read the same instant from every canonical timestamp, and hand everything else to the full parser.
 */
class InstantTextTest {

    private static final long FIRST_SECOND = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long LAST_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    private static final int SAMPLES = 50_000;

    @Test
    void formatsEveryInstantExactlyAsTheFormatterDoes() {
        // given instants spread over the years 0 to 9999, at every precision
        SplittableRandom random = new SplittableRandom(20261207);
        for (int i = 0; i < SAMPLES; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(FIRST_SECOND, LAST_SECOND + 1),
                    random.nextInt(1_000_000_000));

            // when formatted by both, then the text is the same
            assertThat(InstantText.format(instant)).as("%s", instant).isEqualTo(InstantText.FORMAT.format(instant));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0000-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z",
            "2000-02-29T12:00:00.5Z", "2024-02-29T23:59:59.999Z", "2100-03-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
            "1600-02-29T00:00:00Z", "1900-02-28T00:00:00Z"})
    void formatsTheEdgesOfMonthsYearsAndTheRangeAsTheFormatterDoes(String text) {
        Instant instant = Instant.parse(text);

        assertThat(InstantText.format(instant)).isEqualTo(InstantText.FORMAT.format(instant));
    }

    @Test
    void leavesYearsBeyondFourDigitsToTheFormatter() {
        Instant beyond = Instant.parse("+10000-01-01T00:00:00Z");
        Instant before = Instant.parse("-0001-12-31T23:59:59.123Z");

        assertThat(InstantText.format(beyond)).isEqualTo("+10000-01-01T00:00:00.000Z");
        assertThat(InstantText.format(before)).isEqualTo(InstantText.FORMAT.format(before));
    }

    @Test
    void readsEveryCanonicalTimestampAsTheFullParserDoes() {
        // given canonical timestamps over the years 0 to 9999 with 0 to 9 fractional digits
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < SAMPLES; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(FIRST_SECOND, LAST_SECOND + 1),
                    random.nextInt(1_000_000_000));
            String text = canonical(instant, random.nextInt(10));

            // when read by both, then the instant is the same
            assertThat(InstantText.parseCanonical(text)).as(text).isEqualTo(fullParser(text));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // other forms RFC 3339 allows: the full parser reads them
            "2025-03-14T09:26:53.589+01:00", "2025-03-14T09:26:53-05:30", "2025-03-14t09:26:53.589z",
            "2025-03-14T09:26:53.589+00:00", "2025-03-14T09:26Z",
            // not timestamps, or impossible dates and times: the full parser refuses them
            "2025-02-29T00:00:00Z", "2024-02-30T00:00:00Z", "2025-04-31T00:00:00Z", "2025-13-01T00:00:00Z",
            "2025-00-10T00:00:00Z", "2025-01-00T00:00:00Z", "2025-01-01T24:00:00Z", "2025-01-01T23:60:00Z",
            "2025-01-01T23:59:60Z", "2025-01-01T00:00:00.Z", "2025-01-01T00:00:00.1234567890Z",
            "2025-01-01T00:00:00,5Z", "2025-01-01 00:00:00Z", "2025-1-01T00:00:00Z", "+2025-01-01T00:00:00Z",
            "2025-01-01T00:00:00", "２０２５-01-01T00:00:00Z", "2025-01-01T0a:00:00Z", "2025-01-01T00:00:00.-1Z",
            ""})
    void leavesEveryOtherFormToTheFullParser(String text) {
        assertThat(InstantText.parseCanonical(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-03-14T09:26:53.589+01:00", "2025-03-14t09:26:53.589z", "2025-02-29T00:00:00Z",
            "2025-01-01T23:59:60Z", "2025-01-01T00:00:00.1234567890Z"})
    void theJsonReaderAcceptsAndRefusesWhatTheFullParserDoes(String text) throws Exception {
        // given a timestamp outside the fast path, when Json reads it
        byte[] json = ("\"" + text + "\"").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Instant expected;
        try {
            expected = fullParser(text);
        } catch (DateTimeParseException e) {
            // then a text the full parser refuses is refused
            assertThatThrownBy(() -> Json.readerFor(Instant.class).readValue(json))
                    .hasMessageContaining("RFC 3339");
            return;
        }
        // then a text it accepts is read as the same instant
        assertThat((Instant) Json.readerFor(Instant.class).readValue(json)).isEqualTo(expected);
    }

    private static String canonical(Instant instant, int fractionDigits) {
        String seconds = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(java.time.ZoneOffset.UTC)
                .format(instant);
        if (fractionDigits == 0) {
            return seconds + "Z";
        }
        String nanos = String.format("%09d", instant.getNano());
        return seconds + "." + nanos.substring(0, fractionDigits) + "Z";
    }

    private static Instant fullParser(String text) {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }
}
