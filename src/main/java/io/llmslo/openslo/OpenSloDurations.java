package io.llmslo.openslo;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenSLO's duration shorthand ({@code 5m}, {@code 6h}, {@code 7d}, {@code 2w}): a positive whole
 * number and one unit. The calendar units {@code M}, {@code Q}, {@code Y} have no fixed length, so
 * they cannot be a rolling window here.
 */
final class OpenSloDurations {

    private static final Pattern SHORTHAND = Pattern.compile("([1-9][0-9]*)([mhdw])");

    private OpenSloDurations() {}

    /** Null when {@code text} is not the shorthand with a fixed-length unit. */
    static Duration parse(String text) {
        Matcher m = SHORTHAND.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            return null;
        }
        long v = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(v);
            case "h" -> Duration.ofHours(v);
            case "d" -> Duration.ofDays(v);
            default -> Duration.ofDays(7 * v);
        };
    }

    /** The largest of d, h, m that divides {@code d} exactly: 7d, 24h (as 1d), 30m. */
    static String format(Duration d) {
        long min = d.toMinutes();
        if (min <= 0 || d.toMillis() % 60_000 != 0) {
            throw new IllegalArgumentException("OpenSLO durations are whole minutes, got " + d);
        }
        if (min % 1440 == 0) {
            return min / 1440 + "d";
        }
        if (min % 60 == 0) {
            return min / 60 + "h";
        }
        return min + "m";
    }
}
