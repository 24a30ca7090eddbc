package io.llmslo.slo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Drops buckets and C(x) values no evaluation at or after {@code now} will read. Keys sit on a
 * fixed grid, so only the ones that aged out since the last prune are removed, by point deletes;
 * a full scan happens only the first time or after a long idle spell.
 */
final class BucketPruner {

    private final long hourRetentionMs;
    private final long sketchRetentionMs;

    private final long intervalMs;

    BucketPruner(SloDefinition def, long intervalMs) {
        this.intervalMs = intervalMs;
        this.hourRetentionMs = Retention.hoursMs(def);
        this.sketchRetentionMs = Retention.sketchesMs(def);
    }

    void prune(long now, SeriesState s) throws Exception {
        long minuteCut = now - Retention.minutesMs();
        long hourCut = now - hourRetentionMs;
        long sketchCut = now - sketchRetentionMs;
        SeriesProgress p = s.progress();
        long last = p.prunedAt;
        p.prunedAt = now;
        if (last == Long.MIN_VALUE || now - last > TimeBuckets.DAY) {
            pruneByScan(minuteCut, hourCut, sketchCut, s);
            return;
        }
        long prevMinuteCut = last - Retention.minutesMs();
        // minute buckets leave an hour at a time, once the whole hour is past the cut: only the
        // minutes its hour bucket says hold data are deleted (a delete of a missing key still
        // writes a RocksDB tombstone); they outlive the cut by less than an hour, unread
        for (long h = TimeBuckets.endOf(prevMinuteCut + 1, TimeBuckets.HOUR); h <= minuteCut; h += TimeBuckets.HOUR) {
            MinuteMask.forEach(h - TimeBuckets.HOUR, h, s.hours(), m -> s.minutes().remove(m));
        }
        // fine C(x) serve windows up to 6 h only; they sit on the evaluation grid
        for (long x = TimeBuckets.endOf(prevMinuteCut + 1, intervalMs); x <= minuteCut; x += intervalMs) {
            if (x % TimeBuckets.HOUR != 0) {
                s.runningCounts().remove(x);
            }
        }
        long prevHourCut = last - hourRetentionMs;
        for (long h = TimeBuckets.endOf(prevHourCut + 1, TimeBuckets.HOUR); h <= hourCut; h += TimeBuckets.HOUR) {
            s.hours().remove(h);
            s.runningCounts().remove(h);
        }
        long prevSketchCut = last - sketchRetentionMs;
        for (long h = TimeBuckets.endOf(prevSketchCut + 1, TimeBuckets.HOUR); h <= sketchCut; h += TimeBuckets.HOUR) {
            Bucket b = s.hours().get(h);
            if (b != null && b.sketch != null) {
                b.sketch = null;
                s.hours().put(h, b);
            }
        }
    }

    private static void pruneByScan(long minuteCut, long hourCut, long sketchCut, SeriesState s)
            throws Exception {
        List<Long> drop = new ArrayList<>();
        for (Map.Entry<Long, Bucket> e : s.minutes().entries()) {
            if (e.getKey() <= minuteCut) {
                drop.add(e.getKey());
            }
        }
        for (Long k : drop) {
            s.minutes().remove(k);
        }
        drop.clear();
        List<Map.Entry<Long, Bucket>> strip = new ArrayList<>();
        for (Map.Entry<Long, Bucket> e : s.hours().entries()) {
            if (e.getKey() <= hourCut) {
                drop.add(e.getKey());
            } else if (e.getKey() <= sketchCut && e.getValue().sketch != null) {
                strip.add(e);
            }
        }
        for (Long k : drop) {
            s.hours().remove(k);
        }
        for (Map.Entry<Long, Bucket> e : strip) {
            e.getValue().sketch = null;
            s.hours().put(e.getKey(), e.getValue());
        }
        drop.clear();
        for (Map.Entry<Long, Bucket> e : s.runningCounts().entries()) {
            long at = e.getKey();
            if (at <= hourCut || (at % TimeBuckets.HOUR != 0 && at <= minuteCut)) {
                drop.add(at);
            }
        }
        for (Long k : drop) {
            s.runningCounts().remove(k);
        }
    }
}
