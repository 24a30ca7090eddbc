package io.llmslo.slo;

import io.llmslo.ppi.PpiEstimator;
import io.llmslo.ppi.PpiMoments;
import io.llmslo.ppi.RoganGladen;
import io.llmslo.slo.alert.AlertInput;
import io.llmslo.slo.alert.AlertPolicy;
import io.llmslo.slo.alert.BurnRateAlertPolicy;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The human correction of {@code quality.judge_high} (DESIGN §4 "Judge correction"): the series
 * keeps, next to its judged counts (N, ΣŶ), the additive sums of its paired requests (judged and
 * rated, {@link PpiMoments}) in the same minute and hour buckets, and at each evaluation reports
 * the PPI++ estimate of the human-useful rate with its interval, and decides the judge's alerts on
 * it.
 *
 * <ul>
 *   <li><b>Pairs</b> arrive as observations of this SLO at the rating's time whose value encodes the
 *       judge's pass and the weight ({@link #pairValue}); judged observations have no value.
 *   <li><b>Which pairs</b>: the cohort's own pairs over the SLO window when it holds at least
 *       {@code minPairs} (scope {@value #SCOPE_WINDOW}); otherwise the cohort's pairs over the longer
 *       calibration window (scope {@value #SCOPE_CALIBRATION}): the judge-vs-human difference is
 *       assumed steady over that span; otherwise the pairs of ALL the job's traffic over the
 *       calibration window ({@link PooledPairs}, scope {@value #SCOPE_POOLED}) with the cohort's
 *       own judged counts. Pooled pairs come from another population, so they do not correct by
 *       PPI (which adds the pool's mean human-minus-judge difference, a quantity that moves with
 *       the pool's own useful rate) but through the judge's error rates ({@link RoganGladen}):
 *       the judge's pass rate on useful answers and on the others is assumed the same across
 *       cohorts over that span (a judge as lenient on a small cohort as on the rest), while the
 *       cohorts' useful rates may differ. Without enough pairs in any, no estimate.
 *   <li><b>Gate</b>: over the calibration window the pairs that correct (the cohort's own, or
 *       the pool's when it uses them) must be at least {@code minPairs} with a weighted agreement
 *       on useful of at least {@code minAgreement}; otherwise the row says {@value #UNCALIBRATED}
 *       and the judge's alerts do not page (nothing opens; open ones resolve). A cohort whose own
 *       calibration-window pairs suffice is judged on them, even if the pool's agree better. A
 *       pooled estimate never pages ({@value #POOLED_NO_PAGE}): it is shown, and the review
 *       queue's strata bring the cohort its own pairs.
 *   <li><b>Range</b>: the reported estimate and interval are clipped to [0, 1] (a rate; the
 *       normal interval of PPI and the Rogan–Gladen ratio can leave it with few pairs).
 *   <li><b>Alerts</b> use the corrected estimate: every tier window's counts are replaced by the
 *       effective counts of its PPI++ estimate (judged counts of that window, the pairs above), so
 *       the burn-rate rule with its significance guard sees the corrected rate with the precision
 *       it really has. The sequential detector is not used here: it accumulates evidence from
 *       independent increments, and a correction estimated from one shared set of pairs does not
 *       give them (its error would add up step after step).
 * </ul>
 */
public final class JudgeCorrection implements Serializable {

    public static final String SCOPE_WINDOW = "cohort_slo_window";
    public static final String SCOPE_CALIBRATION = "cohort_calibration_window";
    public static final String SCOPE_POOLED = "pooled_calibration_window";
    public static final String UNCALIBRATED = "judge_uncalibrated";
    /**
     * The gate of a calibrated pooled estimate: reported, never paging. The pool's error rates are
     * an assumption about this cohort that its own few pairs cannot confirm (an offline judge
     * lenient on one surface and strict on another breaks it), so a page would rest on it alone.
     */
    public static final String POOLED_NO_PAGE = "judge_pooled";
    /** Two-sided level of the reported interval: 95 %. */
    private static final double ALPHA = 0.05;

    private final int minPairs;
    private final long calibrationWindowMs;
    private final double minAgreement;
    /** The job's pairs as this subtask holds them; null without pooling (unit tests, benchmarks). */
    private final transient PooledPairs pooled;

    /**
     * @param minPairs pairs needed to correct per cohort and to know the judge's agreement
     * @param calibrationWindow the longer span whose pairs calibrate and, if needed, correct
     * @param minAgreement the strictest {@code min_agreement} of the job's rubrics
     */
    public JudgeCorrection(int minPairs, Duration calibrationWindow, double minAgreement) {
        this(minPairs, calibrationWindow.toMillis(), minAgreement, null);
    }

    private JudgeCorrection(int minPairs, long calibrationWindowMs, double minAgreement, PooledPairs pooled) {
        this.minPairs = minPairs;
        this.calibrationWindowMs = calibrationWindowMs;
        this.minAgreement = minAgreement;
        this.pooled = pooled;
    }

    /** How long pooled pairs are kept behind the watermark: the calibration window and a day. */
    long pooledRetentionMs(long windowMs) {
        return Math.max(windowMs, calibrationWindowMs) + TimeBuckets.DAY;
    }

    /** This correction with the pooled scope, reading the pairs of one evaluator subtask. */
    public JudgeCorrection withPooled(PooledPairs pairs) {
        return new JudgeCorrection(minPairs, calibrationWindowMs, minAgreement, pairs);
    }

    /** The corrected figures of one evaluation: new columns of {@code slo_status} / {@code slo_history}. */
    public record Columns(Double corrected, Double correctedLow, Double correctedHigh, Double lambda, long judged,
            long pairs, String scope, Double agreement, long calibrationPairs, String gate) implements Serializable {}

    /** The observation value of a pair: ±weight, positive when the judge passed the answer. */
    public static double pairValue(boolean judgePass, double weight) {
        return judgePass ? weight : -weight;
    }

    /** A pair observation: of this SLO, with a value (judged observations have none). */
    static boolean isPair(String slo, double value) {
        return SloCatalog.JUDGE_HIGH.equals(slo) && !Double.isNaN(value);
    }

    /** The sums of one pair observation. */
    static PpiMoments pairOf(boolean humanUseful, double value) {
        return new PpiMoments().addPair(humanUseful, value > 0, Math.abs(value));
    }

    /** Adds pairs to their minute and hour buckets; they count nowhere else (not in n, good or C(x)). */
    void addPairs(long minuteEnd, PpiMoments pairs, SeriesState s) throws Exception {
        addTo(s.minutes(), minuteEnd, pairs, 0);
        addTo(s.hours(), TimeBuckets.endOf(minuteEnd, TimeBuckets.HOUR), pairs, MinuteMask.bit(minuteEnd));
    }

    private static void addTo(BucketStore store, long end, PpiMoments pairs, long minuteBit) throws Exception {
        Bucket b = store.get(end);
        if (b == null) {
            b = new Bucket();
        }
        b.minutes |= minuteBit;
        if (b.pairs == null) {
            b.pairs = new PpiMoments();
        }
        b.pairs.addPairs(pairs);
        store.put(end, b);
    }

    /**
     * Pairs of the window of this length ending at {@code now}, with the windows' start rule
     * ({@link RunningCounts#windowStart}): minute buckets for windows up to 6 h; beyond, the whole
     * hours (cached in {@code slot} of the series' {@link SketchCache}, moved an hour at a time) and
     * the current hour's minutes.
     */
    static PpiMoments pairs(long now, long length, SeriesState s, int slot) throws Exception {
        PpiMoments sum = new PpiMoments();
        long minutesFrom = RunningCounts.windowStart(now, length);
        if (length > TimeBuckets.MINUTE_HORIZON) {
            long floorHour = TimeBuckets.floorTo(now, TimeBuckets.HOUR);
            sum.addPairs(wholeHours(floorHour, length, s, slot));
            minutesFrom = floorHour;
        }
        MinuteMask.forEach(minutesFrom, now, s.hours(), m -> add(sum, s.minutes().get(m), 1));
        return sum;
    }

    /** Σ pairs of the hour buckets in (floorHour − length, floorHour]. */
    private static PpiMoments wholeHours(long floorHour, long length, SeriesState s, int slot) throws Exception {
        SketchCache c = s.sketches();
        long cached = c == null ? Long.MIN_VALUE : c.pairHour[slot];
        PpiMoments whole;
        if (cached != Long.MIN_VALUE && cached <= floorHour && floorHour - cached <= 48 * TimeBuckets.HOUR) {
            whole = c.pairWhole[slot];
            for (long h = cached + TimeBuckets.HOUR; h <= floorHour; h += TimeBuckets.HOUR) {
                add(whole, s.hours().get(h), 1);
                add(whole, s.hours().get(h - length), -1);
            }
        } else {
            whole = new PpiMoments();
            for (long h = floorHour - length + TimeBuckets.HOUR; h <= floorHour; h += TimeBuckets.HOUR) {
                add(whole, s.hours().get(h), 1);
            }
        }
        if (c != null) {
            c.pairHour[slot] = floorHour;
            c.pairWhole[slot] = whole;
        }
        return whole;
    }

    private static void add(PpiMoments sum, Bucket b, int sign) {
        if (b != null && b.pairs != null) {
            if (sign > 0) {
                sum.addPairs(b.pairs);
            } else {
                sum.addPairs(new PpiMoments().minus(b.pairs));
            }
        }
    }

    /** What the evaluation of one judge series needs from the correction. */
    record Result(Columns columns, AlertInput alertInput) {}

    /**
     * @param lookbackMs how far back hour buckets are kept: the calibration window is at most that
     *     long (a longer one is cut to it)
     */
    Result evaluate(long now, long windowMs, long lookbackMs, SeriesState s, WindowCounts slo, AlertInput raw)
            throws Exception {
        PpiMoments own = pairs(now, windowMs, s, 0);
        long calibrationMs = Math.max(windowMs, Math.min(calibrationWindowMs, lookbackMs));
        PpiMoments calibration = pairs(now, calibrationMs, s, 1);
        // the pool is one set of sums per subtask, not per series: it keeps the whole configured
        // calibration window (as judge_calibration does), not the series' hour retention
        long pooledMs = Math.max(windowMs, calibrationWindowMs);
        Scope sc = scope(own, calibration, () -> pooled == null ? null : pooled.pairs(now, pooledMs));
        PpiMoments labeled = sc.labeled();
        PpiEstimator.Estimate e = labeled == null ? null : estimate(PpiMoments.of(slo.n(), slo.good(), labeled), sc.name());
        double agreement = sc.gatedOn().agreement();
        boolean pooledScope = SCOPE_POOLED.equals(sc.name());
        Columns cols = new Columns(e == null ? null : rate(e.theta()), e == null ? null : rate(e.ciLow()),
                e == null ? null : rate(e.ciHigh()), e == null || Double.isNaN(e.lambda()) ? null : e.lambda(), slo.n(),
                labeled == null ? own.pairs : labeled.pairs, sc.name(), Double.isNaN(agreement) ? null : agreement,
                sc.gatedOn().pairs, !sc.calibrated() ? UNCALIBRATED : pooledScope ? POOLED_NO_PAGE : null);
        boolean pages = sc.calibrated() && labeled != null && !pooledScope;
        Map<Duration, WindowCounts> windows = new HashMap<>();
        for (Map.Entry<Duration, WindowCounts> w : raw.windows().entrySet()) {
            windows.put(w.getKey(), pages ? effective(w.getValue(), labeled, sc.name()) : WindowCounts.NONE);
        }
        AlertInput corrected = new AlertInput(raw.now(), raw.cohort(), windows, raw.status(), raw.pValue(), raw.n(),
                null);
        return new Result(cols, corrected);
    }

    /** A rate's estimate or bound, clipped to [0, 1]. */
    static double rate(double v) {
        return Math.max(0.0, Math.min(1.0, v));
    }

    /**
     * Which pairs correct and which decide the gate.
     *
     * @param name the {@code judge_scope}, null without an estimate
     * @param labeled the pairs that correct, null without an estimate
     * @param gatedOn the calibration-window pairs whose count and agreement decide the gate (also
     *     the row's {@code judge_calibration_pairs} and {@code judge_agreement})
     */
    record Scope(String name, PpiMoments labeled, PpiMoments gatedOn, boolean calibrated) {}

    /**
     * Own SLO window → own calibration window → pooled calibration window → none. The pool is
     * asked for (a map lookup and ≤ 60 minute buckets) only when the cohort's own pairs are too few.
     */
    Scope scope(PpiMoments own, PpiMoments calibration, java.util.function.Supplier<PpiMoments> pool) {
        if (own.pairs >= minPairs) {
            return new Scope(SCOPE_WINDOW, own, calibration, calibrated(calibration));
        }
        if (calibration.pairs >= minPairs) {
            return new Scope(SCOPE_CALIBRATION, calibration, calibration, calibrated(calibration));
        }
        PpiMoments pooledPairs = pool.get();
        if (pooledPairs != null && pooledPairs.pairs >= minPairs) {
            return new Scope(SCOPE_POOLED, pooledPairs, pooledPairs, calibrated(pooledPairs));
        }
        return new Scope(null, null, calibration, false);
    }

    private boolean calibrated(PpiMoments pairs) {
        return pairs.pairs >= minPairs && pairs.agreement() >= minAgreement;
    }

    /** PPI++ on the cohort's own pairs; the judge's error rates on pooled ones (see the class comment). */
    static PpiEstimator.Estimate estimate(PpiMoments m, String scope) {
        return SCOPE_POOLED.equals(scope) ? RoganGladen.estimate(m, ALPHA) : PpiEstimator.estimate(m, ALPHA);
    }

    /** Effective counts of the PPI++ estimate of one window: its judged counts, the given pairs. */
    static WindowCounts effective(WindowCounts judged, PpiMoments labeled, String scope) {
        PpiEstimator.Estimate e = estimate(PpiMoments.of(judged.n(), judged.good(), labeled), scope);
        return e == null ? WindowCounts.NONE : new WindowCounts(e.effectiveN(), e.effectiveGood());
    }

    /** The judge's alert rule: the burn-rate tiers (with their significance guard) on corrected windows. */
    static AlertPolicy policy(SloDefinition def) {
        return new BurnRateAlertPolicy(def);
    }
}
