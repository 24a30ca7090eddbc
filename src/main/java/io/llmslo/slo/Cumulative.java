package io.llmslo.slo;

/**
 * Evaluation bookkeeping of one (slo, cohort). Every window sum is two lookups: C(x), the counts
 * of observations with t <= x, is stored at each evaluation instant, and a window (a, b] is
 * C(b) - C(a). POJO for Flink state.
 */
public class Cumulative {
    /** First and last evaluation instants; Long.MIN_VALUE before the first. */
    public long firstEval = Long.MIN_VALUE;
    public long lastEval = Long.MIN_VALUE;
    /** The instant of the last prune: the next one deletes only what aged out since. */
    public long prunedAt = Long.MIN_VALUE;
    /** End of the last hour whose sketch was built from its minutes (quantile and tail SLOs). */
    public long sketchedTo = Long.MIN_VALUE;
    /** Latest observation time added. */
    public long maxT = Long.MIN_VALUE;

    public Cumulative() {}
}
