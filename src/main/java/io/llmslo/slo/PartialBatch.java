package io.llmslo.slo;

import java.util.List;

/**
 * What one upstream subtask sends the evaluator for one (slo, cohort) and one history interval:
 * the {@link PartialBucket}s of that interval's minutes, in minute order. Evaluations happen only
 * at interval boundaries, so sending an interval's minutes together loses nothing, and the
 * evaluator merges them with one read and one write of the series' bookkeeping and one hour-bucket
 * update, not one of each per minute; the key and names cross the shuffle once per batch.
 *
 * <p>Every minute carries this batch's key, slo and cohort (the same string objects).
 *
 * @param key "slo|cohort", the evaluator's key
 * @param minutes at least one, ascending minute ends, all within one history interval
 */
@org.apache.flink.api.common.typeinfo.TypeInfo(SloSerializers.BatchInfo.class)
public record PartialBatch(String key, String slo, String cohort, List<PartialBucket> minutes) {

    /** A batch of one minute (tests, and callers with a single partial). */
    public static PartialBatch of(PartialBucket p) {
        return new PartialBatch(p.key(), p.slo(), p.cohort(), List.of(p));
    }

    /** The earliest minute of the batch. */
    public long firstMinute() {
        return minutes.get(0).minuteEnd();
    }

    /** Observations in the batch (pair observations of the judge correction are not counted). */
    public long observations() {
        long n = 0;
        for (PartialBucket p : minutes) {
            n += p.n();
        }
        return n;
    }

    /** The same minutes under another cohort name (the cohort cap folding a value). */
    public PartialBatch relabelled(String newCohort) {
        String newKey = slo + "|" + newCohort;
        PartialBucket[] out = new PartialBucket[minutes.size()];
        for (int i = 0; i < out.length; i++) {
            PartialBucket p = minutes.get(i);
            out[i] = new PartialBucket(newKey, slo, newCohort, p.minuteEnd(), p.n(), p.good(), p.maxT(), p.sketch(),
                    p.pairs());
        }
        return new PartialBatch(newKey, slo, newCohort, List.of(out));
    }
}
