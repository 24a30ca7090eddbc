package io.llmslo.slo;

/**
 * Running totals of one (slo, cohort) since its state began, and the evaluation bookkeeping that
 * makes every window sum two lookups: C(x) = counts of observations with t <= x is stored at
 * each evaluation instant, and a window (a, b] is C(b) - C(a). POJO for Flink state.
 */
public class Cumulative {
    public long n;
    public long good;
    /** First and last evaluation instants; Long.MIN_VALUE before the first. */
    public long firstEval = Long.MIN_VALUE;
    public long lastEval = Long.MIN_VALUE;
    /** Latest observation time added. */
    public long maxT = Long.MIN_VALUE;

    public Cumulative() {}
}
