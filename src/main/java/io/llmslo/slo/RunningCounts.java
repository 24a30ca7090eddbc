package io.llmslo.slo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * C(x) bookkeeping: C(x), the counts of observations with t <= x, is stored at every evaluation
 * instant, so every window (a, b] is C(b) − C(a): two lookups whatever its length. Fine instants
 * (every history interval) are kept for windows up to 6 h, whole hours for longer ones.
 */
final class RunningCounts {

    /** Up to this many minutes ahead, point lookups beat a scan of all minute buckets. */
    private static final long AHEAD_SCAN_LIMIT = 120;

    private static final Bucket ZERO = new Bucket(0, 0, null);

    /** How one minute bucket counts towards C(x): {valid, good}. */
    interface MinuteCounter {
        long[] count(long minuteEnd, Bucket minute) throws Exception;
    }

    private final long intervalMs;
    private final long hourRetentionMs;

    RunningCounts(long intervalMs, long hourRetentionMs) {
        this.intervalMs = intervalMs;
        this.hourRetentionMs = hourRetentionMs;
    }

    /** Late observations (at or before the last evaluation) join every stored C(x) with x >= t. */
    static void correctLate(long t, long n, long good, BucketStore counts) throws Exception {
        List<Map.Entry<Long, Bucket>> stale = new ArrayList<>();
        for (Map.Entry<Long, Bucket> e : counts.entries()) {
            if (e.getKey() >= t) {
                stale.add(e);
            }
        }
        for (Map.Entry<Long, Bucket> e : stale) {
            Bucket c = e.getValue();
            counts.put(e.getKey(), new Bucket(c.n + n, c.good + good, null));
        }
    }

    /**
     * Stores C(now) = C(last evaluation) + the minute buckets since it. Observations that arrived
     * ahead of {@code now} sit in later minute buckets and are not touched; late ones already
     * corrected the stored values in {@link #correctLate}. Instants skipped while the series was
     * idle get the last value, since nothing happened in between.
     */
    Bucket record(long now, SeriesState s, MinuteCounter counter) throws Exception {
        SeriesProgress p = s.progress();
        BucketStore counts = s.runningCounts();
        CountsMemo memo = s.sketches() == null ? null : s.sketches().counts;
        Bucket previous = p.lastEval == Long.MIN_VALUE ? null : memo == null ? null : memo.get(p.lastEval);
        if (previous == null && p.lastEval != Long.MIN_VALUE) {
            previous = counts.get(p.lastEval);
        }
        long from = previous == null ? Long.MIN_VALUE : p.lastEval;
        long n = previous == null ? 0 : previous.n;
        long good = previous == null ? 0 : previous.good;
        List<Map.Entry<Long, Bucket>> since = new ArrayList<>();
        if (previous != null && p.addedTo != Long.MIN_VALUE && p.addedTo <= from) {
            // no bucket was ever added after the last evaluation (most steps of a sparse series)
        } else if (previous != null && (now - from) / TimeBuckets.MINUTE <= AHEAD_SCAN_LIMIT) {
            MinuteMask.forEach(from, now, s.hours(), m -> {
                Bucket b = s.minutes().get(m);
                if (b != null) {
                    since.add(Map.entry(m, b));
                }
            });
        } else {
            // first evaluation, or back from a long idle spell: one pass over the buckets
            for (Map.Entry<Long, Bucket> e : s.minutes().entries()) {
                if (e.getKey() > from && e.getKey() <= now) {
                    since.add(e);
                }
            }
        }
        for (Map.Entry<Long, Bucket> e : since) {
            long[] c = counter.count(e.getKey(), e.getValue());
            n += c[0];
            good += c[1];
            p.dataTo = Math.max(p.dataTo, e.getKey());
        }
        if (previous != null && now > from + intervalMs) {
            fillIdle(from, now, previous, counts, memo);
        }
        Bucket c = new Bucket(n, good, null);
        counts.put(now, c);
        if (memo != null) {
            memo.recorded(now, c);
        }
        if (p.firstEval == Long.MIN_VALUE) {
            p.firstEval = now;
        }
        p.lastEval = Math.max(p.lastEval, now);
        return c;
    }

    private void fillIdle(long from, long to, Bucket value, BucketStore counts, CountsMemo memo) throws Exception {
        long fineFrom = to - Retention.minutesMs();
        long hourCut = to - hourRetentionMs;
        for (long h = TimeBuckets.endOf(Math.max(from, hourCut), TimeBuckets.HOUR); h < to; h += TimeBuckets.HOUR) {
            if (h > from) {
                counts.put(h, value);
                if (memo != null) {
                    memo.recorded(h, value);
                }
            }
        }
        for (long x = TimeBuckets.endOf(Math.max(from + 1, fineFrom), intervalMs); x < to; x += intervalMs) {
            counts.put(x, value);
            if (memo != null) {
                memo.recorded(x, value);
            }
        }
    }

    /**
     * Where a window of this length ending at {@code now} starts: exact for windows up to 6 h,
     * rounded down to the whole hour beyond (so it holds between length and length + 1 h).
     */
    static long windowStart(long now, long length) {
        return length <= TimeBuckets.MINUTE_HORIZON
                ? now - length
                : TimeBuckets.floorTo(now, TimeBuckets.HOUR) - length;
    }

    /** Reads of C(x) during one evaluation at {@code now}, whose C is {@code current}. */
    View view(long now, Bucket current, SeriesState s, MinuteCounter counter) {
        return new View(now, current, s, counter, intervalMs);
    }

    /**
     * Reads of C(x) during one evaluation; windows of equal length share a start, looked up once
     * (a few instants: a linear scan of two arrays, no map). Whole-hour instants before the
     * evaluation are kept in the series' {@link CountsMemo} for its next evaluations.
     */
    static final class View {
        private static final int READS = 16;
        private final BucketStore counts;
        private final SeriesProgress progress;
        private final BucketStore minutes;
        private final BucketStore hours;
        private final MinuteCounter counter;
        private final long interval;
        private final long now;
        private final Bucket current;
        private final CountsMemo series;
        private final long[] readAt = new long[READS];
        private final Bucket[] read = new Bucket[READS];
        private int reads;

        private View(long now, Bucket current, SeriesState s, MinuteCounter counter, long interval) {
            this.now = now;
            this.current = current;
            this.counts = s.runningCounts();
            this.progress = s.progress();
            this.minutes = s.minutes();
            this.hours = s.hours();
            this.counter = counter;
            this.interval = interval;
            this.series = s.sketches() == null ? null : s.sketches().counts;
        }

        /** The window of this length ending at the evaluation instant. */
        WindowCounts window(long length) throws Exception {
            return WindowCounts.between(current, at(windowStart(now, length)));
        }

        /** (start, end] for instants before the evaluation instant. */
        WindowCounts between(long start, long end) throws Exception {
            return WindowCounts.between(at(end), at(start));
        }

        /**
         * C(x): zero before the series began; the stored value at an evaluation instant; between
         * instants (a window that is not a multiple of the interval) the instant before plus the
         * minute buckets up to x, exact while those minutes are kept; otherwise the latest before.
         */
        Bucket at(long x) throws Exception {
            for (int i = 0; i < reads; i++) {
                if (readAt[i] == x) {
                    return read[i];
                }
            }
            // C(x) before the evaluation instant is final until a late value (which drops the memo)
            boolean kept = series != null && x < now;
            Bucket c = kept ? series.get(x) : null;
            if (c == null) {
                c = lookup(x);
                if (kept && x % TimeBuckets.HOUR == 0) {
                    series.keepHour(x, c);
                }
            }
            if (reads < READS) {
                readAt[reads] = x;
                read[reads++] = c;
            }
            return c;
        }

        private Bucket lookup(long x) throws Exception {
            boolean offGrid = x % interval != 0 && x % TimeBuckets.MINUTE == 0;
            if (offGrid && x > now - TimeBuckets.MINUTE_HORIZON - interval && progress.firstEval != Long.MIN_VALUE) {
                long floor = TimeBuckets.floorTo(x, interval);
                Bucket base = floor < progress.firstEval ? ZERO : counts.get(floor);
                if (base != null) {
                    long[] sum = {base.n, base.good};
                    MinuteMask.forEach(floor, x, hours, m -> {
                        Bucket b = minutes.get(m);
                        if (b != null) {
                            long[] add = counter.count(m, b);
                            sum[0] += add[0];
                            sum[1] += add[1];
                        }
                    });
                    return new Bucket(sum[0], sum[1], null);
                }
            }
            if (progress.firstEval == Long.MIN_VALUE || x < progress.firstEval) {
                return ZERO;
            }
            Bucket c = counts.get(x);
            if (c != null) {
                return c;
            }
            // not an evaluation instant (config change, or older than retention): take the floor
            long best = Long.MIN_VALUE;
            Bucket found = ZERO;
            for (Map.Entry<Long, Bucket> e : counts.entries()) {
                if (e.getKey() <= x && e.getKey() > best) {
                    best = e.getKey();
                    found = e.getValue();
                }
            }
            return found;
        }
    }
}
