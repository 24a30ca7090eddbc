package io.llmslo.slo;

/**
 * Cached trailing median of a cohort's values for {@code cost.tail_blowup}: recomputed from the
 * hour sketches only when an observation falls in a new hour. POJO so it can live in state.
 */
public class TailBaseline {
    /** The hour (floor) the cached median was computed for; Long.MIN_VALUE when none. */
    public long hour = Long.MIN_VALUE;

    public double median = Double.NaN;

    public TailBaseline() {}
}
