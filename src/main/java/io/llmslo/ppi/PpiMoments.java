package io.llmslo.ppi;

/**
 * The additive sums a prediction-powered estimate of a binary rate needs (DESIGN §4 "Judge
 * correction"): over the judged requests (the "unlabeled" set, unit weights) the count and the
 * judge passes; over the judged requests that people also rated (the "labeled" set) the weighted
 * sums of the human verdict Y, the judge verdict Ŷ and their products, with weight w = 1 / the
 * request's selection probability into the human-review queue. Y and Ŷ are 0/1, so Y² = Y and
 * Ŷ² = Ŷ: these eight sums determine every quantity of {@code ppi_py.ppi_mean_ci}.
 *
 * <p>Sums of two windows add, so they live in time buckets like counts do. A Flink POJO.
 */
public final class PpiMoments {

    /** Judged requests (N) and those the judge passed (ΣŶ). */
    public long judged;
    public long judgedHigh;
    /** Paired requests (n) and Σw, Σw², ΣwY, ΣwŶ, Σw²Y, Σw²Ŷ, Σw²YŶ over them. */
    public long pairs;
    public double sw;
    public double sw2;
    public double swY;
    public double swH;
    public double sw2Y;
    public double sw2H;
    public double sw2YH;
    /** ΣwYŶ: with the others, the weighted agreement Σw·[Y = Ŷ] = Σw − ΣwY − ΣwŶ + 2ΣwYŶ. */
    public double swYH;

    public PpiMoments() {}

    public PpiMoments addJudged(boolean high) {
        judged++;
        if (high) {
            judgedHigh++;
        }
        return this;
    }

    /** One paired request: the human's useful {@code y}, the judge's pass {@code yHat}, weight w > 0. */
    public PpiMoments addPair(boolean y, boolean yHat, double w) {
        double w2 = w * w;
        pairs++;
        sw += w;
        sw2 += w2;
        if (y) {
            swY += w;
            sw2Y += w2;
        }
        if (yHat) {
            swH += w;
            sw2H += w2;
        }
        if (y && yHat) {
            sw2YH += w2;
            swYH += w;
        }
        return this;
    }

    public PpiMoments addAll(PpiMoments o) {
        judged += o.judged;
        judgedHigh += o.judgedHigh;
        addPairs(o);
        return this;
    }

    /** Adds only the labeled part of {@code o}: pairs from another span or cohort. */
    public PpiMoments addPairs(PpiMoments o) {
        pairs += o.pairs;
        sw += o.sw;
        sw2 += o.sw2;
        swY += o.swY;
        swH += o.swH;
        sw2Y += o.sw2Y;
        sw2H += o.sw2H;
        sw2YH += o.sw2YH;
        swYH += o.swYH;
        return this;
    }

    public PpiMoments minus(PpiMoments o) {
        PpiMoments d = new PpiMoments();
        d.judged = judged - o.judged;
        d.judgedHigh = judgedHigh - o.judgedHigh;
        d.pairs = pairs - o.pairs;
        d.sw = sw - o.sw;
        d.sw2 = sw2 - o.sw2;
        d.swY = swY - o.swY;
        d.swH = swH - o.swH;
        d.sw2Y = sw2Y - o.sw2Y;
        d.sw2H = sw2H - o.sw2H;
        d.sw2YH = sw2YH - o.sw2YH;
        d.swYH = swYH - o.swYH;
        return d;
    }

    /** Weighted share of pairs where the judge's pass matched the human's useful; NaN without pairs. */
    public double agreement() {
        return sw > 0 ? (sw - swY - swH + 2 * swYH) / sw : Double.NaN;
    }

    public PpiMoments copy() {
        return new PpiMoments().addAll(this);
    }

    /** Judged counts of {@code judged}, pairs of {@code labeled}: e.g. a short window with the SLO window's pairs. */
    public static PpiMoments of(long judged, long judgedHigh, PpiMoments labeled) {
        PpiMoments m = new PpiMoments();
        m.judged = judged;
        m.judgedHigh = judgedHigh;
        return m.addPairs(labeled);
    }
}
