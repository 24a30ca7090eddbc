package io.llmslo.slo;

/** Valid and good events of one window (a, b]: C(b) − C(a) of the running counts. */
public record WindowCounts(long n, long good) {

    public static final WindowCounts NONE = new WindowCounts(0, 0);

    static WindowCounts between(Bucket end, Bucket start) {
        return new WindowCounts(end.n - start.n, end.good - start.good);
    }

    public long bad() {
        return n - good;
    }
}
