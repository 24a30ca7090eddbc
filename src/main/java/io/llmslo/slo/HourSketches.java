package io.llmslo.slo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Quantiles over a window from mergeable sketches: each minute bucket carries its sketch, each
 * hour's sketch is built once from its minutes when the hour closes, and the window's quantile
 * merges whole hours plus the current hour's minutes (cached per series in {@link SketchCache}).
 * Sketch bytes are read into {@link SketchBins}: no DDSketch objects on this path.
 */
final class HourSketches {

    /** Up to this many hours since the last close, step through them; beyond, visit those in state. */
    private static final long MAX_HOUR_STEPS = 48;

    private final long windowMs;
    private final double quantile;
    /** Scratch bins of this engine (one series at a time): an hour being built, a short window. */
    private final SketchBins scratch = new SketchBins();

    HourSketches(SloDefinition def) {
        this.windowMs = def.window().toMillis();
        this.quantile = def.quantile();
    }

    /** True when a value at {@code hourEnd}'s hour must go into the hour sketch directly. */
    static boolean hourClosed(long hourEnd, SeriesProgress p) {
        return p.sketchedTo != Long.MIN_VALUE && hourEnd <= p.sketchedTo;
    }

    /**
     * Builds the sketch of every hour that has closed since the last evaluation by merging its
     * minute sketches: per event only the small minute sketch is rewritten.
     */
    void closeHours(long now, SeriesState s) throws Exception {
        SeriesProgress p = s.progress();
        if (p.sketchedTo == Long.MIN_VALUE) {
            // the series' data starts in the hour of its first evaluation
            p.sketchedTo = TimeBuckets.floorTo(now - 1, TimeBuckets.HOUR);
        }
        // after a long quiet spell only the hours that hold data are visited: work never grows
        // with empty event time (DESIGN §7b)
        List<Long> due = new ArrayList<>();
        if ((now - p.sketchedTo) / TimeBuckets.HOUR <= MAX_HOUR_STEPS) {
            for (long h = p.sketchedTo + TimeBuckets.HOUR; h <= now; h += TimeBuckets.HOUR) {
                due.add(h);
            }
        } else {
            for (Map.Entry<Long, Bucket> e : s.hours().entries()) {
                if (e.getKey() > p.sketchedTo && e.getKey() <= now) {
                    due.add(e.getKey());
                }
            }
            Collections.sort(due);
        }
        for (long h : due) {
            Bucket hour = s.hours().get(h);
            if (hour != null) {
                SketchBins merged = scratch;
                merged.clear();
                for (long m = h - TimeBuckets.HOUR + TimeBuckets.MINUTE; m <= h; m += TimeBuckets.MINUTE) {
                    Bucket b = hour.minutes == 0 || (hour.minutes & MinuteMask.bit(m)) != 0 ? s.minutes().get(m) : null;
                    if (b != null) {
                        merged.add(b.sketch);
                    }
                }
                hour.sketch = merged.count() > 0 ? merged.encode() : null;
                s.hours().put(h, hour);
            }
        }
        p.sketchedTo = Math.max(p.sketchedTo, TimeBuckets.floorTo(now, TimeBuckets.HOUR));
    }

    /**
     * The quantile over the window: minute buckets for windows up to 6 h; otherwise the whole
     * hours since the window's start plus the current hour's minutes up to {@code now}. Merges are
     * cached per series (in memory, rebuilt on need), so an evaluation merges a few minutes.
     */
    Double quantile(long now, SeriesState s) throws Exception {
        if (windowMs <= TimeBuckets.MINUTE_HORIZON) {
            SketchBins window = scratch;
            window.clear();
            MinuteMask.forEach(now - windowMs, now, s.hours(), m -> {
                Bucket b = s.minutes().get(m);
                if (b != null) {
                    window.add(b.sketch);
                }
            });
            return window.quantile(quantile);
        }
        SketchCache cache = s.sketches();
        long fh = TimeBuckets.floorTo(now, TimeBuckets.HOUR);
        if (cache.hour != fh || cache.wholeHours == null || cache.partialTo > now) {
            if (cache.wholeHours != null && cache.hour == fh - TimeBuckets.HOUR && cache.partialTo <= now) {
                // the window moved on by one hour: add the hour that closed, remove the one that
                // left (whole counts: the same bins as a rebuild); two reads instead of a window's
                Bucket closed = s.hours().get(fh);
                Bucket left = s.hours().get(fh - windowMs);
                cache.wholeHours.add(closed == null ? null : closed.sketch);
                cache.wholeHours.subtract(left == null ? null : left.sketch);
            } else {
                SketchBins whole = cache.wholeHours == null ? new SketchBins() : cache.wholeHours;
                whole.clear();
                for (long h = fh - windowMs + TimeBuckets.HOUR; h <= fh; h += TimeBuckets.HOUR) {
                    Bucket b = s.hours().get(h);
                    if (b != null) {
                        whole.add(b.sketch);
                    }
                }
                cache.wholeHours = whole;
            }
            cache.hour = fh;
            if (cache.partial == null) {
                cache.partial = new SketchBins();
            }
            cache.partial.clear();
            cache.partialTo = fh;
            cache.quantileStale = true;
        }
        // the current hour from its minute buckets up to now only: values that arrived ahead
        // of this instant belong to later evaluations
        // (none after the latest minute ever added: most steps of a sparse series visit none)
        long addedTo = s.progress().addedTo;
        long to = addedTo == Long.MIN_VALUE ? now : Math.min(now, addedTo);
        MinuteMask.forEach(cache.partialTo, to, s.hours(), m -> {
            Bucket b = s.minutes().get(m);
            if (b != null) {
                cache.partial.add(b.sketch);
                cache.quantileStale = true;
            }
        });
        cache.partialTo = now;
        if (cache.quantileStale) {
            cache.quantile = SketchBins.quantile(quantile, cache.wholeHours, cache.partial);
            cache.quantileStale = false;
        }
        return cache.quantile;
    }
}
