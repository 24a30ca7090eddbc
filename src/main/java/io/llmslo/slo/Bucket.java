package io.llmslo.slo;

/**
 * Counts of one time bucket of one (slo, cohort): valid and good events, and for quantile SLOs
 * the serialized DDSketch of the measured values. A POJO (public fields, no-arg constructor) so
 * Flink serializes it without Kryo; the sketch travels as bytes for the same reason.
 */
public class Bucket {
    public long n;
    public long good;
    public byte[] sketch;

    public Bucket() {}

    public Bucket(long n, long good, byte[] sketch) {
        this.n = n;
        this.good = good;
        this.sketch = sketch;
    }
}
