package io.tlswatch.contract.serde;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Instants as the contract writes them ({@code 2025-03-14T09:26:53.589Z}), without {@link DateTimeFormatter} on
 * the common path: formatting and parsing through it took about a sixth of the posture job's CPU per event.
 *
 * <p>{@link #format} writes exactly what {@link #FORMAT} writes, for every instant: years 0 to 9999 by
 * arithmetic, any other year through the formatter. {@link #parseCanonical} reads only the form every tlswatch
 * producer writes (upper-case {@code T} and {@code Z}, zero to nine fractional digits, a valid date and time);
 * for anything else it answers {@code null} and the caller falls back to the full RFC 3339 parser, so what is
 * accepted and what is refused does not change. {@code InstantTextTest} holds both paths to that.
 */
public final class InstantText {

    /** The contract's form: UTC, exactly three fractional digits (truncated, never rounded). */
    public static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final int SECONDS_PER_DAY = 86_400;
    /** {@code yyyy-MM-ddTHH:mm:ssZ}, the shortest canonical form. */
    private static final int SHORTEST = 20;
    private static final int[] NANO_SCALE = {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};
    private static final long MIN_FAST_SECOND = -62_167_219_200L; // 0000-01-01T00:00:00Z
    private static final long MAX_FAST_SECOND = 253_402_300_799L; // 9999-12-31T23:59:59Z

    private InstantText() {
    }

    /** The instant as {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, identical to {@link #FORMAT}'s output. */
    public static String format(Instant instant) {
        long second = instant.getEpochSecond();
        if (second < MIN_FAST_SECOND || second > MAX_FAST_SECOND) {
            return FORMAT.format(instant);
        }
        long day = Math.floorDiv(second, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(second, SECONDS_PER_DAY);
        long civil = civilFromDays(day);
        int year = (int) (civil >> 9);
        int month = (int) (civil >> 5) & 0xF;
        int dayOfMonth = (int) civil & 0x1F;
        char[] out = new char[24];
        digits(out, 0, year, 4);
        out[4] = '-';
        digits(out, 5, month, 2);
        out[7] = '-';
        digits(out, 8, dayOfMonth, 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        out[19] = '.';
        digits(out, 20, instant.getNano() / 1_000_000, 3);
        out[23] = 'Z';
        return new String(out);
    }

    /**
     * The instant of a canonical timestamp ({@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with a valid date and time), or
     * {@code null} for any other text, which the caller hands to the full parser.
     */
    public static Instant parseCanonical(String text) {
        int length = text.length();
        if (length < SHORTEST || length > SHORTEST + 10 || text.charAt(length - 1) != 'Z'
                || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int day = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nano = 0;
        if (length > SHORTEST) {
            int fractionDigits = length - SHORTEST - 1;
            if (text.charAt(19) != '.' || fractionDigits < 1) {
                return null;
            }
            int fraction = number(text, 20, fractionDigits);
            if (fraction < 0) {
                return null;
            }
            nano = fraction * NANO_SCALE[fractionDigits];
        }
        long epochSecond = daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second;
        return Instant.ofEpochSecond(epochSecond, nano);
    }

    /** The decimal number in {@code text[from, from + count)}, or -1 if any of it is not an ASCII digit. */
    private static int number(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static void digits(char[] out, int at, int value, int count) {
        for (int i = at + count - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms"). */
    private static long daysFromCivil(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468;
    }

    /** The date of a day since 1970-01-01, packed as {@code year << 9 | month << 5 | day} (same source). */
    private static long civilFromDays(long days) {
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        int dayOfEra = (int) (z - era * 146_097);
        int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int mp = (5 * dayOfYear + 2) / 153;
        int day = dayOfYear - (153 * mp + 2) / 5 + 1;
        int month = mp < 10 ? mp + 3 : mp - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        return year << 9 | (long) month << 5 | day;
    }
}
