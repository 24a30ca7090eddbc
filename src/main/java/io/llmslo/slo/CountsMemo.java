package io.llmslo.slo;

import java.util.Arrays;

/**
 * C(x) values of one series kept between its evaluations ({@link RunningCounts}), part of its
 * {@link SketchCache}: in memory, not state. A stored C(x) at an instant before the evaluation
 * changes only when a late value arrives, and a late value drops the series' cache; so a value
 * read here is the value in state. Two direct-mapped tables: the values recorded in the last
 * 8.5 hours, by minute (the starts of windows up to 6 h, and the next evaluation's start, were
 * recorded by an earlier evaluation), and whole-hour instants read recently, by hour (windows
 * longer than 6 h start on whole hours, so a handful serve the twelve evaluations of an hour).
 *
 * <p>Each entry is (instant, n, good) side by side in one {@code long[]}: the evaluator visits
 * hundreds of series in turn, so its reads are cache misses, and one entry is one miss (a state
 * map's lookup is four: bin, node, key, value).
 */
final class CountsMemo {

    /** Minutes of recorded values kept: more than the 6 h of fine instants windows read. */
    private static final int RECENT = 512;
    /** Whole hours kept: a window start collides with another only 128 h apart. */
    private static final int HOURS = 128;
    private static final long EMPTY = Long.MIN_VALUE;

    private final long[] recent = new long[3 * RECENT];
    private final long[] hours = new long[3 * HOURS];

    CountsMemo() {
        clear();
    }

    /** Forgets every value (a late value corrected the stored ones). */
    void clear() {
        Arrays.fill(recent, EMPTY);
        Arrays.fill(hours, EMPTY);
    }

    /** C(x) if kept (a fresh bucket), else null. */
    Bucket get(long x) {
        int i = 3 * slot(x, TimeBuckets.MINUTE, RECENT);
        if (recent[i] == x) {
            return new Bucket(recent[i + 1], recent[i + 2], null);
        }
        if (x % TimeBuckets.HOUR == 0) {
            int h = 3 * slot(x, TimeBuckets.HOUR, HOURS);
            if (hours[h] == x) {
                return new Bucket(hours[h + 1], hours[h + 2], null);
            }
        }
        return null;
    }

    /** Keeps C(x) read at a whole hour before the evaluation. */
    void keepHour(long x, Bucket c) {
        put(hours, 3 * slot(x, TimeBuckets.HOUR, HOURS), x, c);
    }

    /** C(x) as just stored (an evaluation instant, or an idle instant filled in). */
    void recorded(long x, Bucket c) {
        put(recent, 3 * slot(x, TimeBuckets.MINUTE, RECENT), x, c);
    }

    private static void put(long[] table, int i, long x, Bucket c) {
        table[i] = x;
        table[i + 1] = c.n;
        table[i + 2] = c.good;
    }

    private static int slot(long x, long unit, int slots) {
        return (int) Math.floorMod(Math.floorDiv(x, unit), (long) slots);
    }
}
