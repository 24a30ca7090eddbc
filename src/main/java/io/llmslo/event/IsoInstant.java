package io.llmslo.event;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * ISO-8601 date-times with an offset, read exactly as {@link OffsetDateTime#parse(CharSequence)}
 * reads them, only cheaper for the forms producers send. java.time's formatter builds a field map,
 * resolves it and cross-checks it for every record (6.5 % of a dense RocksDB run's samples); the
 * fast path reads {@code yyyy-MM-ddTHH:mm[:ss[.f…]](Z|±HH:MM)} with fixed-position ASCII digits
 * and computes the instant arithmetically. It never rejects: a string it does not recognise, or
 * whose fields are out of range (Feb 29 of a common year, second 60, hour 24, offset ±18:00 and
 * beyond), goes to java.time, which accepts or rejects it as before. So the set of accepted
 * strings and their instants are java.time's by construction; {@code IsoInstantTest} checks the
 * fast path against java.time on random instants and forms and on hostile strings.
 */
final class IsoInstant {

    /** Days from 0000-01-01 to 1970-01-01 (as in {@code LocalDate}). */
    private static final long DAYS_0000_TO_1970 = 719_528L;
    private static final int[] SCALE = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
        100_000_000, 1_000_000_000};

    private IsoInstant() {}

    /** The instant; throws {@link DateTimeException} exactly when {@link OffsetDateTime#parse} does. */
    static Instant parse(String text) {
        Instant fast = fast(text);
        return fast != null ? fast : OffsetDateTime.parse(text).toInstant();
    }

    /**
     * The instant of a common form, or {@code null} when java.time must decide (which includes
     * every string java.time rejects). Four-digit years only: signed or longer years are rare and
     * java.time's.
     */
    static Instant fast(String s) {
        int n = s.length();
        // shortest handled form: 2026-10-01T12:34Z (17 characters)
        if (n < 17 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(13) != ':') {
            return null;
        }
        char t = s.charAt(10);
        if (t != 'T' && t != 't') { // ISO_OFFSET_DATE_TIME parses case-insensitively
            return null;
        }
        int year = number(s, 0, 4);
        int month = number(s, 5, 2);
        int day = number(s, 8, 2);
        int hour = number(s, 11, 2);
        int minute = number(s, 14, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
            return null;
        }
        int i = 16;
        int second = 0;
        int nano = 0;
        if (s.charAt(i) == ':') {
            second = i + 3 <= n ? number(s, i + 1, 2) : -1;
            if (second < 0 || second > 59) {
                return null;
            }
            i += 3;
            if (i < n && s.charAt(i) == '.') {
                int start = ++i;
                // at most nine digits: a tenth is no offset, and java.time rejects the string
                while (i < n && i - start < 9 && isDigit(s.charAt(i))) {
                    nano = nano * 10 + (s.charAt(i) - '0');
                    i++;
                }
                if (i == start) {
                    return null;
                }
                nano *= SCALE[9 - (i - start)];
            }
        }
        int offset = offsetSeconds(s, i);
        if (offset == Integer.MIN_VALUE) {
            return null;
        }
        long seconds = epochDay(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second - offset;
        return Instant.ofEpochSecond(seconds, nano);
    }

    /** {@code Z}, {@code z} or {@code ±HH:MM} (hours below 18) ending the string at {@code i}; else MIN_VALUE. */
    private static int offsetSeconds(String s, int i) {
        int n = s.length();
        if (i == n - 1) {
            char z = s.charAt(i);
            return z == 'Z' || z == 'z' ? 0 : Integer.MIN_VALUE;
        }
        if (i != n - 6 || s.charAt(i + 3) != ':') {
            return Integer.MIN_VALUE;
        }
        char sign = s.charAt(i);
        int hours = number(s, i + 1, 2);
        int minutes = number(s, i + 4, 2);
        if ((sign != '+' && sign != '-') || hours < 0 || hours > 17 || minutes < 0 || minutes > 59) {
            return Integer.MIN_VALUE;
        }
        int total = hours * 3_600 + minutes * 60;
        return sign == '-' ? -total : total;
    }

    /** The ASCII digits at {@code [from, from + len)} as a number, or -1 (java.time reads ASCII digits only). */
    private static int number(String s, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLeap(int year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> isLeap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** {@code LocalDate.toEpochDay} for years 0..9999 (proleptic Gregorian, as java.time). */
    private static long epochDay(int year, int month, int day) {
        long y = year;
        long total = 365 * y + (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
        total += (367 * month - 362) / 12;
        total += day - 1;
        if (month > 2) {
            total--;
            if (!isLeap(year)) {
                total--;
            }
        }
        return total - DAYS_0000_TO_1970;
    }
}
