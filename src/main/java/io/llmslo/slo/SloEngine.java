package io.llmslo.slo;

import io.llmslo.slo.alert.AlertInput;
import io.llmslo.slo.alert.AlertOutcome;
import io.llmslo.slo.alert.AlertPolicies;
import io.llmslo.slo.alert.AlertPolicy;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The arithmetic of one SLO over its time buckets: adding an observation costs two bucket
 * updates whatever the window lengths; evaluating at instant E stores C(E) and reads every window
 * as a difference of two C values. No Flink here: {@link SloEvaluatorFunction} adapts it, unit
 * tests call it directly. The concerns live in their own classes: {@link RunningCounts} (C(x)
 * and idle filling), {@link HourSketches} (quantiles), {@link TailJudge} (tail blow-up),
 * {@link BucketPruner} (retention), {@link Verdict} (status and drift) and the
 * {@link AlertPolicy} (alert decision and state machine).
 */
public final class SloEngine implements Serializable {

    /** The result of one evaluation: the status row and the alert transitions it caused. */
    public record Evaluation(SloStatus status, List<AlertEvent> transitions) {}

    private static final Duration H1 = Duration.ofHours(1);
    private static final Duration H6 = Duration.ofHours(6);
    private static final Duration H24 = Duration.ofHours(24);
    private static final Duration D7 = Duration.ofDays(7);

    private final SloDefinition def;
    private final long windowMs;
    private final boolean sketches;
    private final RunningCounts counts;
    private final HourSketches quantiles;
    private final TailJudge tail;
    private final BucketPruner pruner;
    private final AlertPolicy alerts;
    /** {@code quality.judge_high} only: the human correction of the judge; null elsewhere. */
    private final JudgeCorrection judge;

    public SloEngine(SloDefinition def) {
        this(def, 5 * TimeBuckets.MINUTE);
    }

    /** @param intervalMs the evaluation step: evaluation instants lie on its grid */
    public SloEngine(SloDefinition def, long intervalMs) {
        this(def, intervalMs, AlertPolicies.forDefinition(def));
    }

    /** With another alert rule (sequential detectors, tests). */
    public SloEngine(SloDefinition def, long intervalMs, AlertPolicy alerts) {
        this(def, intervalMs, alerts, null);
    }

    /**
     * @param judge the judge correction, used by {@code quality.judge_high} (whose alerts then
     *     follow {@link JudgeCorrection}) and ignored by every other SLO; null for none
     */
    public SloEngine(SloDefinition def, long intervalMs, AlertPolicy alerts, JudgeCorrection judge) {
        this.def = def;
        this.judge = SloCatalog.JUDGE_HIGH.equals(def.name()) ? judge : null;
        this.windowMs = def.window().toMillis();
        this.sketches = def.sketched();
        this.counts = new RunningCounts(intervalMs, Retention.hoursMs(def));
        this.quantiles = new HourSketches(def);
        this.tail = def.kind() == SloKind.TAIL_BLOWUP ? new TailJudge(def) : null;
        this.pruner = new BucketPruner(def, intervalMs);
        this.alerts = this.judge != null ? JudgeCorrection.policy(def) : alerts;
    }

    public SloDefinition definition() {
        return def;
    }

    public long windowMs() {
        return windowMs;
    }

    /** How long hour buckets are kept: the longest look-back any evaluation makes, plus an hour. */
    public long hourRetentionMs() {
        return Retention.hoursMs(def);
    }

    /** Adds one observation (tests and benchmarks): a partial bucket of one. */
    public void add(CohortObservation o, SeriesState s) throws Exception {
        add(PartialBucket.of(o, sketches), s);
    }

    /**
     * Merges a partial bucket (the observations of one minute from one upstream subtask) into its
     * minute and hour buckets (counts, and the sketch for quantile SLOs) and the latest time. A
     * partial at or before the last evaluation (allowed lateness) also corrects the stored C(x) of
     * every evaluation instant at or after it. Needs {@code s.tail()} only for a late tail partial.
     */
    public void add(PartialBucket b, SeriesState s) throws Exception {
        if (b.pairs() != null && judge != null) {
            // judged-and-rated requests: sums for the judge correction only, never in n, good or C(x)
            judge.addPairs(b.minuteEnd(), b.pairs(), s);
        }
        SeriesProgress p = s.progress();
        long n = b.n();
        long good = b.good();
        // evaluation instants lie on the minute grid, so "t <= last evaluation" is "its minute is"
        boolean late = p.isLate(b.minuteEnd());
        if (tail != null) {
            // judged at evaluation, once the previous hours are complete (TailJudge.judgeMinute);
            // only late values, whose minute was already judged, are judged here
            long[] verdict = late ? tail.judgeLate(b.minuteEnd(), b.sketch(), s.hours(), s.tail()) : null;
            n = verdict == null ? 0 : verdict[0];
            good = verdict == null ? 0 : verdict[1];
        }
        byte[] sketch = sketches ? b.sketch() : null;
        long hourEnd = TimeBuckets.endOf(b.minuteEnd(), TimeBuckets.HOUR);
        // a minute (an hour) after the latest one added has no bucket yet: no lookup needed;
        // pairs wrote theirs just above
        boolean pairs = b.pairs() != null && judge != null;
        boolean newMinute = !pairs && p.addedTo != Long.MIN_VALUE && b.minuteEnd() > p.addedTo;
        boolean newHour = !pairs && p.addedTo != Long.MIN_VALUE
                && hourEnd > TimeBuckets.endOf(p.addedTo, TimeBuckets.HOUR);
        merge(s.minutes(), b.minuteEnd(), n, good, sketch, 0, newMinute);
        // an hour's sketch is built once from its minutes when the hour closes (closeHours);
        // only values arriving after that go into the hour sketch directly
        merge(s.hours(), hourEnd, n, good, HourSketches.hourClosed(hourEnd, p) ? sketch : null,
                MinuteMask.bit(b.minuteEnd()), newHour);
        p.addedTo = Math.max(p.addedTo, b.minuteEnd());
        p.maxT = Math.max(p.maxT, b.maxT());
        if (late) {
            p.dataTo = Math.max(p.dataTo, b.minuteEnd());
        }
        if (n > 0 && late) {
            RunningCounts.correctLate(b.minuteEnd(), n, good, s.runningCounts());
        }
        if (late && s.sketches() != null) {
            // the job drops a series' cache on a late value; a caller that keeps it must not read
            // C(x) values or merges from before the correction
            s.sketches().forgetLate();
        }
    }

    /**
     * Merges the minutes of one batch ({@link PartialBatch}: one series, ascending minutes of one
     * history interval) as {@link #add(PartialBucket, SeriesState)} of each in turn would, with one
     * update of their hour bucket instead of one per minute. Late minutes, closed hours and judge
     * pairs take the minute-by-minute path (they read or write the hour in between).
     */
    public void add(List<PartialBucket> minutes, SeriesState s) throws Exception {
        SeriesProgress p = s.progress();
        if (minutes.size() == 1 || !foldable(minutes, p)) {
            for (PartialBucket b : minutes) {
                add(b, s);
            }
            return;
        }
        long hourEnd = Long.MIN_VALUE;
        long n = 0;
        long good = 0;
        long bits = 0;
        boolean newHour = false;
        for (PartialBucket b : minutes) {
            long h = TimeBuckets.endOf(b.minuteEnd(), TimeBuckets.HOUR);
            if (h != hourEnd) {
                if (hourEnd != Long.MIN_VALUE) {
                    merge(s.hours(), hourEnd, n, good, null, bits, newHour);
                }
                hourEnd = h;
                n = 0;
                good = 0;
                bits = 0;
                newHour = p.addedTo != Long.MIN_VALUE && h > TimeBuckets.endOf(p.addedTo, TimeBuckets.HOUR);
            }
            // on time, so a tail minute counts nothing here (judged at evaluation, see add)
            long bn = tail != null ? 0 : b.n();
            long bg = tail != null ? 0 : b.good();
            boolean newMinute = p.addedTo != Long.MIN_VALUE && b.minuteEnd() > p.addedTo;
            merge(s.minutes(), b.minuteEnd(), bn, bg, sketches ? b.sketch() : null, 0, newMinute);
            n += bn;
            good += bg;
            bits |= MinuteMask.bit(b.minuteEnd());
            p.addedTo = Math.max(p.addedTo, b.minuteEnd());
            p.maxT = Math.max(p.maxT, b.maxT());
        }
        merge(s.hours(), hourEnd, n, good, null, bits, newHour);
    }

    /** No minute late, none in an hour whose sketch is built, no judge pairs: one hour update. */
    private boolean foldable(List<PartialBucket> minutes, SeriesProgress p) {
        for (PartialBucket b : minutes) {
            if (p.isLate(b.minuteEnd()) || (b.pairs() != null && judge != null)
                    || HourSketches.hourClosed(TimeBuckets.endOf(b.minuteEnd(), TimeBuckets.HOUR), p)) {
                return false;
            }
        }
        return true;
    }

    private static void merge(BucketStore store, long end, long n, long good, byte[] sketch, long minuteBit,
            boolean absent) throws Exception {
        Bucket b = absent ? null : store.get(end);
        if (b == null) {
            b = new Bucket(n, good, sketch);
            b.minutes = minuteBit;
        } else {
            b.minutes |= minuteBit;
            b.n += n;
            b.good += good;
            if (sketch != null) {
                b.sketch = SketchBins.merge(b.sketch, sketch);
            }
        }
        store.put(end, b);
    }

    /**
     * Evaluates the SLO at instant {@code now}: status, burn rates, budget, trend, and alert
     * transitions ({@code s.alerts()} is updated in place). Each window sum is C(end) − C(start):
     * O(1) per window.
     */
    public Evaluation evaluate(long now, String cohort, SeriesState s) throws Exception {
        if (sketches) {
            quantiles.closeHours(now, s);
        }
        RunningCounts.MinuteCounter counter = tail == null
                ? (end, b) -> new long[] {b.n, b.good}
                : (end, b) -> tail.judgeMinute(end, b, s.hours(), s.tail());
        Bucket current = counts.record(now, s, counter);
        RunningCounts.View c = counts.view(now, current, s, counter);
        WindowCounts slo = c.window(windowMs);
        long trendEnd = TimeBuckets.floorTo(now - Retention.DAY7, TimeBuckets.HOUR);
        WindowCounts trend = c.between(trendEnd - windowMs, trendEnd);

        if (def.kind() == SloKind.REFUSAL_DRIFT) {
            long baseMs = def.baseline().toMillis();
            long currentStart = RunningCounts.windowStart(now, windowMs);
            WindowCounts baseline = c.between(currentStart - baseMs, currentStart);
            // the trend compares like with like: the drift a week ago, not a refusal share
            long weekAgoStart = trendEnd - windowMs;
            WindowCounts baseWeekAgo = c.between(weekAgoStart - baseMs, weekAgoStart);
            Verdict v = Verdict.drift(def, slo, baseline);
            Map<Duration, WindowCounts> driftWindows = new HashMap<>();
            driftWindows.put(def.window(), slo);
            driftWindows.put(def.baseline(), baseline);
            AlertOutcome a = alerts.decide(new AlertInput(now, cohort, driftWindows, v.status(), v.p(), v.n(),
                    new WindowCounts(current.n, current.good)), s.alerts());
            SloStatus row = row(now, cohort, v, def.factor(), null, null, null, null, null, a.highestOpen(),
                    null, Verdict.driftOf(trend, baseWeekAgo));
            return new Evaluation(a.evidence() == null ? row : withEvidence(row, a.evidence()), a.transitions());
        }

        // the row's burn windows now; the tiers' other windows only if the alert rule reads them
        // (the sequential detector does on a transition only): each is two C(x) lookups
        Map<Duration, WindowCounts> windows = new LazyWindows(c);
        for (Duration d : List.of(H1, H6, H24, D7)) {
            windows.put(d, c.window(d.toMillis()));
        }
        for (BurnTier t : def.tiers()) {
            for (Duration d : new Duration[] {t.longWindow(), t.shortWindow()}) {
                if (d != null) {
                    ((LazyWindows) windows).allow(d);
                }
            }
        }
        windows.putIfAbsent(def.window(), slo); // rules that read the SLO window itself (bench detection's naive rule)
        WindowCounts budget = c.window(def.budgetPeriod().toMillis());
        Double quantile = def.hasQuantile() ? quantiles.quantile(now, s) : null;
        Double value7dAgo = trend.n() > 0 ? trend.good() / (double) trend.n() : null;

        Verdict v = Verdict.ratio(def, slo);
        AlertInput in = new AlertInput(now, cohort, windows, v.status(), v.p(), v.n(),
                new WindowCounts(current.n, current.good));
        JudgeCorrection.Result corrected = judge == null ? null : judge.evaluate(now, windowMs,
                Retention.hoursMs(def) - 2 * TimeBuckets.HOUR, s, slo, in);
        AlertOutcome a = alerts.decide(corrected == null ? in : corrected.alertInput(), s.alerts());
        Double budgetRemaining = def.alertOnly() ? null
                : 1.0 - SloStatistics.burnRate(budget.good(), budget.n(), def.target());
        SloStatus row = row(now, cohort, v, def.target(), burn(windows.get(H1)), burn(windows.get(H6)),
                burn(windows.get(H24)), burn(windows.get(D7)), budgetRemaining, a.highestOpen(), quantile,
                value7dAgo);
        SloStatus out = a.evidence() == null ? row : withEvidence(row, a.evidence());
        return new Evaluation(corrected == null ? out : out.withJudge(corrected.columns()), a.transitions());
    }

    private SloStatus row(long now, String cohort, Verdict v, double target, Double b1h, Double b6h, Double b24h,
            Double b7d, Double budgetRemaining, String alert, Double quantile, Double value7dAgo) {
        return new SloStatus(def.name(), cohort, now, Durations.format(def.window()), v.n(), v.good(), v.value(),
                target, v.ciLow(), v.ciHigh(), v.reportedP(), v.status(), b1h, b6h, b24h, b7d, budgetRemaining,
                alert, quantile, value7dAgo);
    }

    private static SloStatus withEvidence(SloStatus r, AlertOutcome.Evidence e) {
        return new SloStatus(r.slo(), r.cohort(), r.evalTime(), r.window(), r.n(), r.good(), r.value(), r.target(),
                r.ciLow(), r.ciHigh(), r.pValue(), r.status(), r.burn1h(), r.burn6h(), r.burn24h(), r.burn7d(),
                r.budgetRemaining(), r.alert(), r.quantileValue(), r.value7dAgo(), e.eValue(), e.eThreshold(),
                e.alphaAdjusted(), e.detectedAt());
    }

    /** Drops buckets and C(x) values no evaluation at or after {@code now} will read. */
    public void prune(long now, SeriesState s) throws Exception {
        pruner.prune(now, s);
    }

    private Double burn(WindowCounts r) {
        return r.n() > 0 ? SloStatistics.burnRate(r.good(), r.n(), def.target()) : null;
    }

    /**
     * Window counts by length, the ones not yet summed computed on first read. Iteration (the
     * judge correction rewrites every window) sums them all.
     */
    private static final class LazyWindows extends java.util.AbstractMap<Duration, WindowCounts> {
        private final RunningCounts.View counts;
        private final Map<Duration, WindowCounts> summed = new HashMap<>();
        private final java.util.Set<Duration> allowed = new java.util.LinkedHashSet<>();

        LazyWindows(RunningCounts.View counts) {
            this.counts = counts;
        }

        void allow(Duration d) {
            allowed.add(d);
        }

        @Override
        public WindowCounts put(Duration d, WindowCounts w) {
            allowed.add(d);
            return summed.put(d, w);
        }

        @Override
        public boolean containsKey(Object d) {
            return allowed.contains(d);
        }

        @Override
        public WindowCounts get(Object key) {
            if (!(key instanceof Duration d) || !allowed.contains(d)) {
                return null;
            }
            WindowCounts w = summed.get(d);
            if (w == null) {
                try {
                    w = counts.window(d.toMillis());
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException("reading window " + d, e);
                }
                summed.put(d, w);
            }
            return w;
        }

        @Override
        public java.util.Set<Map.Entry<Duration, WindowCounts>> entrySet() {
            java.util.Set<Map.Entry<Duration, WindowCounts>> out = new java.util.LinkedHashSet<>();
            for (Duration d : allowed) {
                out.add(Map.entry(d, get(d)));
            }
            return out;
        }
    }
}
