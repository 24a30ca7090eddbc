package io.llmslo.slo;

/**
 * In-memory cache of one series' merged sketches: the whole hours of the window (rebuilt once an
 * hour) and the current hour's minutes up to the last evaluation (extended by the few minutes
 * since); and of its recently read C(x) values ({@link CountsMemo}). Not state: rebuilt from the
 * buckets after a restore or a late observation, and a pure function of the buckets at or before
 * the evaluation instant, so results do not depend on arrival timing.
 */
public final class SketchCache {
    final CountsMemo counts = new CountsMemo();
    /**
     * The window's quantile as of the last evaluation; {@code quantileStale} once
     * {@code wholeHours} or {@code partial} changed since (most evaluations of a sparse series
     * add no minute: the same merge would give the same value).
     */
    Double quantile;
    boolean quantileStale = true;
    long hour = Long.MIN_VALUE;
    /** The whole hours of the window ending at floor hour {@code hour}. */
    SketchBins wholeHours;
    /** Minute buckets of the current hour merged so far, up to and including {@code partialTo}. */
    SketchBins partial;
    long partialTo = Long.MIN_VALUE;
    /**
     * {@code quality.judge_high}: pair sums of the whole hours of the SLO window [0] and of the
     * calibration window [1] as of floor hour {@code pairHour[i]} ({@link JudgeCorrection}), moved on
     * an hour at a time by adding the new hour and removing the one that left.
     */
    final long[] pairHour = {Long.MIN_VALUE, Long.MIN_VALUE};
    final io.llmslo.ppi.PpiMoments[] pairWhole = new io.llmslo.ppi.PpiMoments[2];

    /**
     * Forgets what a late value changed (for callers that keep the cache; the job drops it): the
     * C(x) memo and the sketch merges, which are moved on an hour at a time and would otherwise
     * keep the hours as they were.
     */
    void forgetLate() {
        counts.clear();
        hour = Long.MIN_VALUE;
        partialTo = Long.MIN_VALUE;
        quantileStale = true;
    }
}
