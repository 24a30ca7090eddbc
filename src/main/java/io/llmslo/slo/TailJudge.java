package io.llmslo.slo;

/**
 * {@code cost.tail_blowup}: a cost is good when at most {@code factor} × the cohort's trailing
 * median, the median of the baseline period's whole hours before the cost's own hour.
 */
final class TailJudge {

    /** A trailing median from fewer values than this is noise: such costs are not judged. */
    static final long MIN_TAIL_BASELINE = 20;

    private final double factor;
    private final long baselineMs;
    /** Scratch bins of this engine (one series at a time). */
    private final SketchBins merged = new SketchBins();

    TailJudge(SloDefinition def) {
        this.factor = def.factor();
        this.baselineMs = def.baseline().toMillis();
    }

    /**
     * The verdict on late values of one minute, the minute already judged: {valid, good}, null
     * without a baseline.
     */
    long[] judgeLate(long minuteEnd, byte[] sketch, BucketStore hours, TailBaseline tail) throws Exception {
        double median = trailingMedian(minuteEnd, hours, tail);
        if (Double.isNaN(median) || sketch == null) {
            return null;
        }
        long[] aboveAndTotal = SketchBins.countAbove(sketch, factor * median);
        return new long[] {aboveAndTotal[1], aboveAndTotal[1] - aboveAndTotal[0]};
    }

    /**
     * Tail blow-up for one minute's costs, at the evaluation that passes that minute: by then
     * every value of the baseline hours has arrived, so the verdict does not depend on arrival
     * order. Returns {valid, good}; no verdict (0, 0) without a baseline.
     */
    long[] judgeMinute(long minuteEnd, Bucket b, BucketStore hours, TailBaseline tail) throws Exception {
        double median = trailingMedian(minuteEnd, hours, tail);
        if (Double.isNaN(median)) {
            return new long[] {0, 0};
        }
        long[] aboveAndTotal = SketchBins.countAbove(b.sketch, factor * median);
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
        merged.clear();
        for (long h = hour - baselineMs + TimeBuckets.HOUR; h <= hour; h += TimeBuckets.HOUR) {
            Bucket b = hours.get(h);
            if (b != null) {
                merged.add(b.sketch);
            }
        }
        cache.hour = hour;
        cache.median = merged.count() >= MIN_TAIL_BASELINE ? merged.quantile(0.5) : Double.NaN;
        return cache.median;
    }
}
