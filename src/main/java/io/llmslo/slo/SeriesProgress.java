package io.llmslo.slo;

/**
 * Where one (slo, cohort) series stands in event time: its evaluation instants, the last prune,
 * how far hour sketches are built, and its latest observation. Flink state, serialized by {@link SloSerializers.ProgressSerializer}.
 */
@org.apache.flink.api.common.typeinfo.TypeInfo(SloSerializers.ProgressInfo.class)
public class SeriesProgress {
    /** First and last evaluation instants; Long.MIN_VALUE before the first. */
    public long firstEval = Long.MIN_VALUE;
    public long lastEval = Long.MIN_VALUE;
    /** The instant of the last prune: the next one deletes only what aged out since. */
    public long prunedAt = Long.MIN_VALUE;
    /** End of the last hour whose sketch was built from its minutes (quantile and tail SLOs). */
    public long sketchedTo = Long.MIN_VALUE;
    /** Latest observation time added. */
    public long maxT = Long.MIN_VALUE;
    /**
     * The latest minute bucket at or before the last evaluation (or a late one) that holds data;
     * Long.MIN_VALUE for none. With data read ahead of the evaluations (a replay) {@code maxT} says
     * nothing about the next window, this does: no bucket scan per evaluation.
     */
    public long dataTo = Long.MIN_VALUE;
    /**
     * The latest minute bucket ever added to (with pairs or values); Long.MIN_VALUE before the
     * first. A later minute, or a minute of a later hour, has no bucket yet: adding to it needs no
     * lookup (with RocksDB a lookup of a missing key costs as much as of a present one).
     */
    public long addedTo = Long.MIN_VALUE;
    /** The pending evaluation timer, and the timer that drops an idle series; NONE when unset. */
    public long nextEval = NONE;
    public long cleanupAt = NONE;

    public static final long NONE = Long.MIN_VALUE;

    public SeriesProgress() {}

    /** True when an observation at {@code t} falls at or before an instant already evaluated. */
    public boolean isLate(long t) {
        return lastEval != Long.MIN_VALUE && t <= lastEval;
    }
}
