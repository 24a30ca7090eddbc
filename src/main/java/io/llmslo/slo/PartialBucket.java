package io.llmslo.slo;

/**
 * The observations of one (slo, cohort) in one minute that one upstream subtask folded in memory
 * before sending them on (local-global aggregation): the evaluator merges partials, so its state
 * is touched once per (slo, cohort, minute, subtask), not once per observation.
 *
 * @param key "slo|cohort", the evaluator's key
 * @param minuteEnd the minute bucket the observations fall in (end of the minute, DESIGN §2)
 * @param n observations (for a tail SLO: values, judged by the evaluator)
 * @param good good ones among them
 * @param maxT the latest observation time among them, pair observations included
 * @param sketch the encoded DDSketch of their values, for quantile and tail SLOs; null otherwise
 * @param pairs {@code quality.judge_high}: the sums of its pair observations (judged requests a
 *     person rated, {@link JudgeCorrection}), which are not in {@code n}/{@code good}; null if none
 */
@org.apache.flink.api.common.typeinfo.TypeInfo(SloSerializers.PartialInfo.class)
public record PartialBucket(String key, String slo, String cohort, long minuteEnd, long n, long good, long maxT,
        byte[] sketch, io.llmslo.ppi.PpiMoments pairs) {

    public PartialBucket(String key, String slo, String cohort, long minuteEnd, long n, long good, long maxT,
            byte[] sketch) {
        this(key, slo, cohort, minuteEnd, n, good, maxT, sketch, null);
    }

    /** One observation as a partial of its own (tests, and the add path of one value). */
    public static PartialBucket of(CohortObservation o, boolean sketched) {
        if (JudgeCorrection.isPair(o.slo(), o.value())) {
            return new PartialBucket(o.key(), o.slo(), o.cohort(), TimeBuckets.endOf(o.t(), TimeBuckets.MINUTE), 0, 0,
                    o.t(), null, JudgeCorrection.pairOf(o.good(), o.value()));
        }
        byte[] sketch = sketched && !Double.isNaN(o.value()) ? QuantileSketches.add(null, o.value()) : null;
        return new PartialBucket(o.key(), o.slo(), o.cohort(), TimeBuckets.endOf(o.t(), TimeBuckets.MINUTE), 1,
                o.good() ? 1 : 0, o.t(), sketch);
    }
}
