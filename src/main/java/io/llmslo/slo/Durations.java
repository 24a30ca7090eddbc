package io.llmslo.slo;

import java.time.Duration;

/** Compact duration text for table columns: 5m, 6h, 7d. */
public final class Durations {

    private Durations() {}

    public static String format(Duration d) {
        if (d == null) {
            return null;
        }
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        return ms / 1000.0 + "s";
    }
}
