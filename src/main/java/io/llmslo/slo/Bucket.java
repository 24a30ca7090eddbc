package io.llmslo.slo;

/**
 * Counts of one time bucket of one (slo, cohort): valid and good events, and for quantile SLOs
 * the serialized DDSketch of the measured values. Serialized field by field ({@link
 * SloSerializers.BucketSerializer}); the sketch travels as bytes.
 */
@org.apache.flink.api.common.typeinfo.TypeInfo(SloSerializers.BucketInfo.class)
public class Bucket {
    public long n;
    public long good;
    public byte[] sketch;
    /**
     * {@code quality.judge_high} only: the sums of the bucket's paired (judged and human-rated)
     * requests for the judge correction ({@link JudgeCorrection}); null elsewhere. Buckets of two
     * partial aggregations add these too ({@link io.llmslo.ppi.PpiMoments#addPairs}).
     */
    public io.llmslo.ppi.PpiMoments pairs;
    /** Hour buckets: which of its minutes hold data ({@link MinuteMask}); 0 on minute buckets. */
    public long minutes;

    public Bucket() {}

    public Bucket(long n, long good, byte[] sketch) {
        this.n = n;
        this.good = good;
        this.sketch = sketch;
    }
}
