package io.llmslo.slo;

/**
 * C(x) values of one series kept between its evaluations ({@link RunningCounts}), part of its
 * {@link SketchCache}: in memory, not state. A stored C(x) at an instant before the evaluation
 * changes only when a late value arrives, and a late value drops the series' cache; so a value
 * read here is the value in state. Two parts: the values recorded in the last 8.5 hours, by
 * minute (the starts of windows up to 6 h, and the next evaluation's start, were recorded by an
 * earlier evaluation), and a few whole-hour instants read recently (windows longer than 6 h
 * start on whole hours, so a handful serve the twelve evaluations of an hour). Most of an
 * evaluation's C(x) lookups (hash-map or RocksDB reads) are not made.
 */
final class CountsMemo {

    /** Minutes of recorded values kept: more than the 6 h of fine instants windows read. */
    private static final int RECENT = 512;
    /** Two hours' worth of whole-hour window starts (budget, trend, long windows). */
    private static final int HOURS = 16;

    private final long[] recentAt = new long[RECENT];
    private final Bucket[] recent = new Bucket[RECENT];
    private final long[] hourAt = new long[HOURS];
    private final Bucket[] hours = new Bucket[HOURS];
    private int nextHour;

    /** Forgets every value (a late value corrected the stored ones). */
    void clear() {
        java.util.Arrays.fill(recent, null);
        java.util.Arrays.fill(hours, null);
    }

    /** C(x) if kept, else null. */
    Bucket get(long x) {
        int slot = slot(x);
        if (recentAt[slot] == x && recent[slot] != null) {
            return recent[slot];
        }
        for (int i = 0; i < HOURS; i++) {
            if (hourAt[i] == x && hours[i] != null) {
                return hours[i];
            }
        }
        return null;
    }

    /** Keeps C(x) read at a whole hour before the evaluation (the oldest such value replaced). */
    void keepHour(long x, Bucket c) {
        hourAt[nextHour] = x;
        hours[nextHour] = c;
        nextHour = (nextHour + 1) % HOURS;
    }

    /** C(x) as just stored (an evaluation instant, or an idle instant filled in). */
    void recorded(long x, Bucket c) {
        int slot = slot(x);
        recentAt[slot] = x;
        recent[slot] = c;
    }

    private static int slot(long x) {
        return (int) Math.floorMod(Math.floorDiv(x, TimeBuckets.MINUTE), (long) RECENT);
    }
}
