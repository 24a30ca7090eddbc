package io.llmslo.slo;

import com.datadoghq.sketch.ddsketch.DDSketch;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arithmetic of one SLO over its time buckets: adding an observation costs two bucket
 * updates whatever the window lengths; evaluating at instant E is one pass over the kept buckets
 * (at most 6 h of minutes plus the retained hours), summing every window it needs at once.
 * No Flink here: {@link SloEvaluatorFunction} adapts it, unit tests call it directly.
 */
public final class SloEngine implements Serializable {

    /** A trailing median from fewer values than this is noise: such costs are not judged. */
    static final long MIN_TAIL_BASELINE = 20;

    /** Up to this many minutes ahead, point lookups beat a scan of all minute buckets. */
    private static final long AHEAD_SCAN_LIMIT = 120;

    private static final long DAY7 = 7 * TimeBuckets.DAY;

    private final SloDefinition def;
    private final long windowMs;
    private final boolean sketches;
    private final long intervalMs;

    public SloEngine(SloDefinition def) {
        this(def, 5 * TimeBuckets.MINUTE);
    }

    /** @param intervalMs the evaluation step: evaluation instants lie on its grid */
    public SloEngine(SloDefinition def, long intervalMs) {
        this.def = def;
        this.intervalMs = intervalMs;
        this.windowMs = def.window().toMillis();
        this.sketches = def.hasQuantile() || def.kind() == SloKind.TAIL_BLOWUP;
    }

    public SloDefinition definition() {
        return def;
    }

    public long windowMs() {
        return windowMs;
    }

    /** How long hour buckets are kept: the longest look-back any evaluation makes, plus an hour. */
    public long hourRetentionMs() {
        long keep = windowMs + DAY7; // value_7d_ago
        keep = Math.max(keep, def.budgetPeriod().toMillis());
        keep = Math.max(keep, DAY7); // burn_7d
        for (BurnTier t : def.tiers()) {
            keep = Math.max(keep, t.longWindow().toMillis());
        }
        if (def.baseline() != null) {
            keep = Math.max(keep, windowMs + def.baseline().toMillis());
        }
        return keep + TimeBuckets.HOUR;
    }

    /** Hour sketches older than this are never merged again, so they are dropped to bound state. */
    long sketchRetentionMs() {
        long keep = windowMs;
        if (def.baseline() != null && def.kind() == SloKind.TAIL_BLOWUP) {
            keep = Math.max(keep, def.baseline().toMillis());
        }
        return keep + TimeBuckets.HOUR;
    }

    /**
     * Adds one observation: its minute and hour buckets (counts, and values for quantile SLOs)
     * and the running totals. An observation at or before the last evaluation (allowed lateness)
     * also corrects the stored C(x) of every evaluation instant at or after it.
     */
    public void add(CohortObservation o, BucketStore minutes, BucketStore hours, BucketStore checkpoints,
            Cumulative cum, TailBaseline tail) throws Exception {
        boolean counted = true;
        boolean good = o.good();
        boolean late = cum.lastEval != Long.MIN_VALUE && o.t() <= cum.lastEval;
        if (def.kind() == SloKind.TAIL_BLOWUP) {
            // judged at evaluation, once the previous hours are complete (see judgeTail); only
            // a late value, whose minute was already judged, is judged here
            double median = late ? trailingMedian(o.t(), hours, tail) : Double.NaN;
            counted = late && !Double.isNaN(median);
            good = counted && o.value() <= def.factor() * median;
        }
        double value = sketches ? o.value() : Double.NaN;
        long hourEnd = TimeBuckets.endOf(o.t(), TimeBuckets.HOUR);
        update(minutes, TimeBuckets.endOf(o.t(), TimeBuckets.MINUTE), counted, good, value);
        // an hour's sketch is built once from its minutes when the hour closes (closeHours);
        // only a value arriving after that goes into the hour sketch directly
        boolean hourClosed = cum.sketchedTo != Long.MIN_VALUE && hourEnd <= cum.sketchedTo;
        update(hours, hourEnd, counted, good, hourClosed ? value : Double.NaN);
        cum.maxT = Math.max(cum.maxT, o.t());
        if (!counted) {
            return;
        }
        if (late) {
            List<Map.Entry<Long, Bucket>> stale = new ArrayList<>();
            for (Map.Entry<Long, Bucket> e : checkpoints.entries()) {
                if (e.getKey() >= o.t()) {
                    stale.add(e);
                }
            }
            for (Map.Entry<Long, Bucket> e : stale) {
                Bucket c = e.getValue();
                checkpoints.put(e.getKey(), new Bucket(c.n + 1, c.good + (good ? 1 : 0), null));
            }
        }
    }

    private static void update(BucketStore store, long end, boolean counted, boolean good, double value)
            throws Exception {
        Bucket b = store.get(end);
        if (b == null) {
            b = new Bucket();
        }
        if (counted) {
            b.n++;
            if (good) {
                b.good++;
            }
        }
        if (!Double.isNaN(value)) {
            b.sketch = QuantileSketches.add(b.sketch, value);
        }
        store.put(end, b);
    }

    /**
     * Builds the sketch of every hour that has closed since the last evaluation by merging its
     * minute sketches: per event only the small minute sketch is rewritten.
     */
    private void closeHours(long now, BucketStore minutes, BucketStore hours, Cumulative cum) throws Exception {
        if (cum.sketchedTo == Long.MIN_VALUE) {
            // the series' data starts in the hour of its first evaluation
            cum.sketchedTo = TimeBuckets.floorTo(now - 1, TimeBuckets.HOUR);
        }
        for (long h = cum.sketchedTo + TimeBuckets.HOUR; h <= now; h += TimeBuckets.HOUR) {
            Bucket hour = hours.get(h);
            if (hour != null) {
                DDSketch merged = QuantileSketches.empty();
                for (long m = h - TimeBuckets.HOUR + TimeBuckets.MINUTE; m <= h; m += TimeBuckets.MINUTE) {
                    Bucket b = minutes.get(m);
                    if (b != null) {
                        QuantileSketches.mergeInto(merged, b.sketch);
                    }
                }
                hours.put(h, new Bucket(hour.n, hour.good,
                        merged.getCount() > 0 ? QuantileSketches.encode(merged) : null));
            }
            cum.sketchedTo = h;
        }
    }

    /**
     * Tail blow-up for one minute's costs, at the evaluation that passes that minute: by then
     * every value of the baseline hours has arrived, so the verdict does not depend on arrival
     * order. Returns {valid, good}; no verdict (0, 0) without a baseline.
     */
    private long[] judgeTail(long minuteEnd, Bucket b, BucketStore hours, TailBaseline tail) throws Exception {
        double median = trailingMedian(minuteEnd, hours, tail);
        if (Double.isNaN(median)) {
            return new long[] {0, 0};
        }
        long[] aboveAndTotal = QuantileSketches.countAbove(b.sketch, def.factor() * median);
        return new long[] {aboveAndTotal[1], aboveAndTotal[1] - aboveAndTotal[0]};
    }

    /**
     * Median of the previous baseline period (whole hours before the observation's hour), never
     * of data after the observation: (floor_h(t) - baseline, floor_h(t)].
     */
    private double trailingMedian(long t, BucketStore hours, TailBaseline cache) throws Exception {
        // the start of t's own hour bucket (t - 1: a value at 10:00 belongs to (09:00, 10:00])
        long hour = TimeBuckets.floorTo(t - 1, TimeBuckets.HOUR);
        if (cache.hour == hour) {
            return cache.median;
        }
        DDSketch merged = QuantileSketches.empty();
        for (long h = hour - def.baseline().toMillis() + TimeBuckets.HOUR; h <= hour; h += TimeBuckets.HOUR) {
            Bucket b = hours.get(h);
            if (b != null) {
                QuantileSketches.mergeInto(merged, b.sketch);
            }
        }
        cache.hour = hour;
        cache.median = merged.getCount() >= MIN_TAIL_BASELINE ? merged.getValueAtQuantile(0.5) : Double.NaN;
        return cache.median;
    }

    /**
     * Evaluates the SLO at instant {@code now}: status, burn rates, budget, trend, and alert
     * transitions (appended to {@code transitions}; {@code firing} is updated in place). Each
     * window sum is C(end) - C(start) from the stored checkpoints: O(1) per window.
     */
    public SloStatus evaluate(long now, String cohort, BucketStore minutes, BucketStore hours,
            BucketStore checkpoints, Cumulative cum, TailBaseline tail, SketchCache cache,
            AlertState firing, List<AlertEvent> transitions) throws Exception {
        memo.clear();
        if (sketches) {
            closeHours(now, minutes, hours, cum);
        }
        Bucket current = checkpoint(now, minutes, hours, checkpoints, cum, tail);
        Counts slo = window(now, windowMs, current, checkpoints, cum);
        Map<String, Counts> ranges = new LinkedHashMap<>();
        ranges.put("1h", window(now, TimeBuckets.HOUR, current, checkpoints, cum));
        ranges.put("6h", window(now, 6 * TimeBuckets.HOUR, current, checkpoints, cum));
        ranges.put("24h", window(now, TimeBuckets.DAY, current, checkpoints, cum));
        ranges.put("7d", window(now, DAY7, current, checkpoints, cum));
        Counts budget = window(now, def.budgetPeriod().toMillis(), current, checkpoints, cum);
        long trendEnd = TimeBuckets.floorTo(now - DAY7, TimeBuckets.HOUR);
        Counts trend = diff(lookup(trendEnd, checkpoints, cum), lookup(trendEnd - windowMs, checkpoints, cum));
        for (BurnTier t : def.tiers()) {
            ranges.putIfAbsent(key(t.longWindow()),
                    window(now, t.longWindow().toMillis(), current, checkpoints, cum));
            if (t.shortWindow() != null) {
                ranges.putIfAbsent(key(t.shortWindow()),
                        window(now, t.shortWindow().toMillis(), current, checkpoints, cum));
            }
        }
        Counts baseline = null;
        if (def.kind() == SloKind.REFUSAL_DRIFT) {
            long currentStart = windowStart(now, windowMs);
            baseline = diff(lookup(currentStart, checkpoints, cum),
                    lookup(currentStart - def.baseline().toMillis(), checkpoints, cum));
        }
        Double quantile = def.hasQuantile() ? quantile(now, minutes, hours, cache) : null;
        Double value7dAgo = trend.n > 0 ? trend.good / (double) trend.n : null;

        if (def.kind() == SloKind.REFUSAL_DRIFT) {
            // the trend compares like with like: the drift a week ago, not a refusal share
            long weekAgoStart = trendEnd - windowMs;
            Counts baseWeekAgo = diff(lookup(weekAgoStart, checkpoints, cum),
                    lookup(weekAgoStart - def.baseline().toMillis(), checkpoints, cum));
            Double drift7dAgo = trend.n > 0 && baseWeekAgo.n > 0
                    ? (trend.n - trend.good) / (double) trend.n
                            - (baseWeekAgo.n - baseWeekAgo.good) / (double) baseWeekAgo.n
                    : null;
            return refusalDrift(now, cohort, slo, baseline, drift7dAgo, firing, transitions);
        }

        long n = slo.n;
        long good = slo.good;
        Double value = n > 0 ? good / (double) n : null;
        double[] ci = SloStatistics.wilson95(good, n);
        double p = SloStatistics.pValueBelowTarget(good, n, def.target());
        String status = n < def.minN() ? SloStatus.INSUFFICIENT
                : p < def.alpha() ? SloStatus.BREACH : SloStatus.OK;

        String alert;
        if (def.alertOnly()) {
            alert = breachAlert(now, cohort, status, p, n, firing, transitions);
        } else {
            alert = burnAlerts(now, cohort, ranges, firing, transitions);
        }
        Double budgetRemaining = def.alertOnly() ? null
                : 1.0 - SloStatistics.burnRate(budget.good, budget.n, def.target());
        return new SloStatus(def.name(), cohort, now, Durations.format(def.window()), n, good, value,
                def.target(), ci == null ? null : ci[0], ci == null ? null : ci[1],
                n > 0 ? p : null, status, burn(ranges.get("1h")), burn(ranges.get("6h")),
                burn(ranges.get("24h")), burn(ranges.get("7d")), budgetRemaining, alert, quantile,
                value7dAgo);
    }

    private SloStatus refusalDrift(long now, String cohort, Counts cur, Counts base,
            Double value7dAgo, AlertState firing, List<AlertEvent> transitions) {
        long refusedNow = cur.n - cur.good;
        long refusedBase = base.n - base.good;
        Double value = null;
        Double ciLow = null;
        Double ciHigh = null;
        if (cur.n > 0 && base.n > 0) {
            double[] ci = SloStatistics.driftInterval95(refusedNow, cur.n, refusedBase, base.n);
            value = ci[0];
            ciLow = ci[1];
            ciHigh = ci[2];
        }
        double p = SloStatistics.pValueDriftAbove(refusedNow, cur.n, refusedBase, base.n, def.factor());
        String status = cur.n < def.minN() || base.n < def.minN() ? SloStatus.INSUFFICIENT
                : p < def.alpha() ? SloStatus.BREACH : SloStatus.OK;
        String alert = breachAlert(now, cohort, status, p, cur.n, firing, transitions);
        return new SloStatus(def.name(), cohort, now, Durations.format(def.window()), cur.n, cur.good,
                value, def.factor(), ciLow, ciHigh, cur.n > 0 && base.n > 0 ? p : null, status,
                null, null, null, null, null, alert, null, value7dAgo);
    }

    /** SLOs without a budget alert on a significant breach only, as one "ticket". */
    private String breachAlert(long now, String cohort, String status, double p, long n,
            AlertState firing, List<AlertEvent> transitions) {
        boolean breach = SloStatus.BREACH.equals(status);
        transition(now, cohort, "ticket", breach, !breach, windowMs / 4, Durations.format(def.window()),
                null, null, null, p, n, firing, transitions);
        return firing.open.containsKey("ticket") ? "ticket" : null;
    }

    /**
     * Multi-window, multi-burn-rate alerts with the low-traffic guard. A tier opens when both
     * windows burn faster than the tier, the long window's bad count is significant against H0
     * bad_rate <= burn * (1 - target), and the long window holds enough events. It resolves when
     * the long window no longer burns, or the short window does not while holding enough events
     * to mean it (at least one bad one expected at the tier's rate), and that has held for a
     * quarter of the long window: a short window of three requests going quiet does not close an
     * outage, and a dip in the middle of an incident does not split it into two alerts.
     * Returns the highest open severity (tiers are listed highest first).
     */
    private String burnAlerts(long now, String cohort, Map<String, Counts> ranges,
            AlertState firing, List<AlertEvent> transitions) {
        String highest = null;
        double budget = 1.0 - def.target();
        for (BurnTier t : def.tiers()) {
            Counts lw = ranges.get(key(t.longWindow()));
            Counts sw = t.shortWindow() == null ? null : ranges.get(key(t.shortWindow()));
            double allowed = Math.min(1.0, t.burn() * budget);
            double burnLong = SloStatistics.burnRate(lw.good, lw.n, def.target());
            Double burnShort = sw == null ? null : SloStatistics.burnRate(sw.good, sw.n, def.target());
            double p = SloStatistics.pValueBadAbove(lw.n - lw.good, lw.n, allowed);
            boolean open = burnLong > t.burn()
                    && (burnShort == null || burnShort > t.burn())
                    && p < def.alpha()
                    && lw.n >= def.alertFloor();
            long meaningfulShort = (long) Math.ceil(1.0 / allowed);
            boolean recovered = burnLong <= t.burn()
                    || (burnShort != null && burnShort <= t.burn() && sw.n >= meaningfulShort);
            // one incident, one alert: stay open a quarter of the long window after recovery
            // starts (at least one short window), so a dip mid-incident does not close it
            long hold = Math.max(t.longWindow().toMillis() / 4,
                    t.shortWindow() == null ? TimeBuckets.HOUR : t.shortWindow().toMillis());
            transition(now, cohort, t.severity(), open, recovered, hold, Durations.format(t.longWindow()),
                    Durations.format(t.shortWindow()), burnLong, burnShort, p, lw.n, firing, transitions);
            if (highest == null && firing.open.containsKey(t.severity())) {
                highest = t.severity();
            }
        }
        return highest;
    }

    private void transition(long now, String cohort, String severity, boolean open, boolean recovered,
            long hold, String longW, String shortW, Double burnLong, Double burnShort, double p, long n,
            AlertState firing, List<AlertEvent> transitions) {
        Long since = firing.open.get(severity);
        if (since == null) {
            if (open) {
                firing.open.put(severity, AlertState.NOT_RESOLVING);
                transitions.add(new AlertEvent(def.name(), cohort, severity, AlertEvent.FIRING, now, longW,
                        shortW, burnLong, burnShort, p, n));
            }
            return;
        }
        if (!recovered) {
            firing.open.put(severity, AlertState.NOT_RESOLVING);
            return;
        }
        if (since == AlertState.NOT_RESOLVING) {
            since = now;
            firing.open.put(severity, since);
        }
        if (now - since >= hold) {
            firing.open.remove(severity);
            transitions.add(new AlertEvent(def.name(), cohort, severity, AlertEvent.RESOLVED, now, longW,
                    shortW, burnLong, burnShort, p, n));
        }
    }

    /**
     * Drops buckets and checkpoints no evaluation at or after {@code now} will read. Keys sit on
     * a fixed grid, so only the ones that aged out since the last prune are removed, by point
     * deletes; a full scan happens only the first time or after a long idle spell.
     */
    public void prune(long now, BucketStore minutes, BucketStore hours, BucketStore checkpoints,
            Cumulative cum) throws Exception {
        long minuteCut = now - TimeBuckets.MINUTE_HORIZON - TimeBuckets.HOUR;
        long hourCut = now - hourRetentionMs();
        long sketchCut = now - sketchRetentionMs();
        long last = cum.prunedAt;
        cum.prunedAt = now;
        if (last == Long.MIN_VALUE || now - last > TimeBuckets.DAY) {
            pruneByScan(minuteCut, hourCut, sketchCut, minutes, hours, checkpoints);
            return;
        }
        long prevMinuteCut = last - TimeBuckets.MINUTE_HORIZON - TimeBuckets.HOUR;
        for (long m = TimeBuckets.endOf(prevMinuteCut + 1, TimeBuckets.MINUTE); m <= minuteCut;
                m += TimeBuckets.MINUTE) {
            minutes.remove(m);
            if (m % TimeBuckets.HOUR != 0) {
                checkpoints.remove(m); // fine checkpoints serve windows up to 6 h only
            }
        }
        long prevHourCut = last - hourRetentionMs();
        for (long h = TimeBuckets.endOf(prevHourCut + 1, TimeBuckets.HOUR); h <= hourCut; h += TimeBuckets.HOUR) {
            hours.remove(h);
            checkpoints.remove(h);
        }
        long prevSketchCut = last - sketchRetentionMs();
        for (long h = TimeBuckets.endOf(prevSketchCut + 1, TimeBuckets.HOUR); h <= sketchCut; h += TimeBuckets.HOUR) {
            Bucket b = hours.get(h);
            if (b != null && b.sketch != null) {
                hours.put(h, new Bucket(b.n, b.good, null));
            }
        }
    }

    private void pruneByScan(long minuteCut, long hourCut, long sketchCut, BucketStore minutes,
            BucketStore hours, BucketStore checkpoints) throws Exception {
        List<Long> drop = new ArrayList<>();
        for (Map.Entry<Long, Bucket> e : minutes.entries()) {
            if (e.getKey() <= minuteCut) {
                drop.add(e.getKey());
            }
        }
        for (Long k : drop) {
            minutes.remove(k);
        }
        drop.clear();
        List<Map.Entry<Long, Bucket>> strip = new ArrayList<>();
        for (Map.Entry<Long, Bucket> e : hours.entries()) {
            if (e.getKey() <= hourCut) {
                drop.add(e.getKey());
            } else if (e.getKey() <= sketchCut && e.getValue().sketch != null) {
                strip.add(e);
            }
        }
        for (Long k : drop) {
            hours.remove(k);
        }
        for (Map.Entry<Long, Bucket> e : strip) {
            hours.put(e.getKey(), new Bucket(e.getValue().n, e.getValue().good, null));
        }
        drop.clear();
        for (Map.Entry<Long, Bucket> e : checkpoints.entries()) {
            long at = e.getKey();
            if (at <= hourCut || (at % TimeBuckets.HOUR != 0 && at <= minuteCut)) {
                drop.add(at);
            }
        }
        for (Long k : drop) {
            checkpoints.remove(k);
        }
    }

    private Double burn(Counts r) {
        return r.n > 0 ? SloStatistics.burnRate(r.good, r.n, def.target()) : null;
    }

    /** Counts over a window: a difference of two cumulative checkpoints. */
    record Counts(long n, long good) {}

    private static Counts diff(Bucket end, Bucket start) {
        return new Counts(end.n - start.n, end.good - start.good);
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

    /** The window of this length ending at {@code now}, whose C is {@code current}. */
    private Counts window(long now, long length, Bucket current, BucketStore checkpoints, Cumulative cum)
            throws Exception {
        return diff(current, lookup(windowStart(now, length), checkpoints, cum));
    }

    /** Windows of equal length share a start: look each start up once per evaluation. */
    private final java.util.HashMap<Long, Bucket> memo = new java.util.HashMap<>();

    /**
     * Stores C(now) = C(last evaluation) + the minute buckets since it. Observations that arrived
     * ahead of {@code now} sit in later minute buckets and are not touched; late ones already
     * corrected the stored checkpoints in {@link #add}. Instants skipped while the series was
     * idle get the last value, since nothing happened in between.
     */
    private Bucket checkpoint(long now, BucketStore minutes, BucketStore hours, BucketStore checkpoints,
            Cumulative cum, TailBaseline tail) throws Exception {
        Bucket previous = cum.lastEval == Long.MIN_VALUE ? null : checkpoints.get(cum.lastEval);
        long from = previous == null ? Long.MIN_VALUE : cum.lastEval;
        long n = previous == null ? 0 : previous.n;
        long good = previous == null ? 0 : previous.good;
        List<Map.Entry<Long, Bucket>> since = new ArrayList<>();
        if (previous != null && (now - from) / TimeBuckets.MINUTE <= AHEAD_SCAN_LIMIT) {
            for (long m = from + TimeBuckets.MINUTE; m <= now; m += TimeBuckets.MINUTE) {
                Bucket b = minutes.get(m);
                if (b != null) {
                    since.add(Map.entry(m, b));
                }
            }
        } else {
            // first evaluation, or back from a long idle spell: one pass over the buckets
            for (Map.Entry<Long, Bucket> e : minutes.entries()) {
                if (e.getKey() > from && e.getKey() <= now) {
                    since.add(e);
                }
            }
        }
        for (Map.Entry<Long, Bucket> e : since) {
            if (def.kind() == SloKind.TAIL_BLOWUP) {
                long[] judged = judgeTail(e.getKey(), e.getValue(), hours, tail);
                n += judged[0];
                good += judged[1];
            } else {
                n += e.getValue().n;
                good += e.getValue().good;
            }
        }
        if (previous != null && now > from + intervalMs) {
            fillIdle(from, now, previous, checkpoints);
        }
        Bucket c = new Bucket(n, good, null);
        checkpoints.put(now, c);
        if (cum.firstEval == Long.MIN_VALUE) {
            cum.firstEval = now;
        }
        cum.lastEval = Math.max(cum.lastEval, now);
        return c;
    }

    private void fillIdle(long from, long to, Bucket value, BucketStore checkpoints) throws Exception {
        long fineFrom = to - TimeBuckets.MINUTE_HORIZON - TimeBuckets.HOUR;
        long hourCut = to - hourRetentionMs();
        for (long h = TimeBuckets.endOf(Math.max(from, hourCut), TimeBuckets.HOUR); h < to; h += TimeBuckets.HOUR) {
            if (h > from) {
                checkpoints.put(h, value);
            }
        }
        long step = intervalMs;
        for (long x = TimeBuckets.endOf(Math.max(from + 1, fineFrom), step); x < to; x += step) {
            checkpoints.put(x, value);
        }
    }

    /** C(x): zero before the series began; otherwise the checkpoint at x (or the latest before). */
    private Bucket lookup(long x, BucketStore checkpoints, Cumulative cum) throws Exception {
        if (cum.firstEval == Long.MIN_VALUE || x < cum.firstEval) {
            return ZERO;
        }
        Bucket c = memo.get(x);
        if (c == null) {
            c = checkpoints.get(x);
            if (c != null) {
                memo.put(x, c);
            }
        }
        if (c != null) {
            return c;
        }
        // not an evaluation instant (config change, or older than retention): take the floor
        long best = Long.MIN_VALUE;
        Bucket found = ZERO;
        for (Map.Entry<Long, Bucket> e : checkpoints.entries()) {
            if (e.getKey() <= x && e.getKey() > best) {
                best = e.getKey();
                found = e.getValue();
            }
        }
        return found;
    }

    private static final Bucket ZERO = new Bucket(0, 0, null);

    /**
     * The quantile over the window: minute buckets for windows up to 6 h; otherwise the whole
     * hours since the window's start plus the current hour's minutes up to {@code now}. Merges are
     * cached per series (in memory, rebuilt on need), so an evaluation merges a few minutes.
     */
    private Double quantile(long now, BucketStore minutes, BucketStore hours, SketchCache cache)
            throws Exception {
        DDSketch merged;
        if (windowMs <= TimeBuckets.MINUTE_HORIZON) {
            merged = QuantileSketches.empty();
            for (long m = now - windowMs + TimeBuckets.MINUTE; m <= now; m += TimeBuckets.MINUTE) {
                Bucket b = minutes.get(m);
                if (b != null) {
                    QuantileSketches.mergeInto(merged, b.sketch);
                }
            }
        } else {
            long fh = TimeBuckets.floorTo(now, TimeBuckets.HOUR);
            if (cache.hour != fh || cache.wholeHours == null || cache.partialTo > now) {
                DDSketch whole = QuantileSketches.empty();
                for (long h = fh - windowMs + TimeBuckets.HOUR; h <= fh; h += TimeBuckets.HOUR) {
                    Bucket b = hours.get(h);
                    if (b != null) {
                        QuantileSketches.mergeInto(whole, b.sketch);
                    }
                }
                cache.hour = fh;
                cache.wholeHours = whole;
                cache.partial = QuantileSketches.empty();
                cache.partialTo = fh;
            }
            // the current hour from its minute buckets up to now only: values that arrived ahead
            // of this instant belong to later evaluations
            for (long m = cache.partialTo + TimeBuckets.MINUTE; m <= now; m += TimeBuckets.MINUTE) {
                Bucket b = minutes.get(m);
                if (b != null) {
                    QuantileSketches.mergeInto(cache.partial, b.sketch);
                }
            }
            cache.partialTo = now;
            merged = cache.wholeHours.copy();
            merged.mergeWith(cache.partial);
        }
        return merged.getCount() > 0 ? merged.getValueAtQuantile(def.quantile()) : null;
    }

    private static String key(Duration d) {
        return "w" + d.toMillis();
    }
}
