package io.llmslo.ppi;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The human-useful rate of a cohort from its judge pass rate and the judge's error rates measured
 * on pairs of another, larger population (the pooled scope of the judge correction): the
 * misclassification correction of Rogan and Gladen ("Estimating prevalence from the results of a
 * screening test", Am. J. Epidemiol. 107, 1978). With the judge's sensitivity a = P(pass | useful)
 * and false-pass rate b = P(pass | not useful), a cohort whose judge pass rate is q has
 * θ̂ = (q − b) / (a − b).
 *
 * <p>Why not PPI on pooled pairs: PPI (any λ) adds the pool's mean human-minus-judge difference,
 * which depends on the pool's own useful rate (for a judge with fixed a and b it is
 * θ(1 − a) − (1 − θ)b): when the pool's rate moves (one cohort regresses) every cohort corrected
 * with it moves too. Fixed error rates conditional on the human verdict — the assumption here —
 * let cohorts' rates differ and still pool the judge's behaviour.
 *
 * <p>a and b are weighted ratios over the pairs (w = 1 / selection probability, as in PPI);
 * standard error by the delta method: SE² = (Var(q) + θ²·Var(a) + (1 − θ)²·Var(b)) / (a − b)²,
 * Var(q) = q(1 − q)/N, Var(a) = Σw²·ã(1 − ã) / (Σw)² over the useful pairs with ã the rate after
 * adding one pass and one fail at the mean weight (Agresti and Caffo 2000: no zero variance when
 * every bad answer was failed), Var(b) likewise over the others; normal interval, not clipped.
 */
public final class RoganGladen {

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private RoganGladen() {}

    /**
     * @return the estimate ({@code lambda} NaN: there is none), or null without judged requests,
     *     without pairs of both verdicts, or for a judge no better than chance (a ≤ b)
     */
    public static PpiEstimator.Estimate estimate(PpiMoments m, double alpha) {
        long bigN = m.judged;
        double s1 = m.swY;
        double s0 = m.sw - m.swY;
        if (bigN <= 0 || m.pairs <= 0 || !(s1 > 0) || !(s0 > 0)) {
            return null;
        }
        double a = m.swYH / s1;
        double b = (m.swH - m.swYH) / s0;
        double d = a - b;
        if (!(d > 0)) {
            return null;
        }
        double q = m.judgedHigh / (double) bigN;
        double theta = (q - b) / d;
        double meanW = m.sw / m.pairs;
        double varA = variance(m.swYH, s1, m.sw2Y, meanW);
        double varB = variance(m.swH - m.swYH, s0, m.sw2 - m.sw2Y, meanW);
        double varQ = q * (1 - q) / bigN;
        double se = Math.sqrt(varQ + theta * theta * varA + (1 - theta) * (1 - theta) * varB) / d;
        double z = STANDARD_NORMAL.inverseCumulativeProbability(1 - alpha / 2);
        return new PpiEstimator.Estimate(theta, se, Double.NaN, theta - z * se, theta + z * se, bigN, m.pairs);
    }

    /** Variance of the weighted rate passes / total (Σw² of its pairs: sumW2), at the add-one rate. */
    private static double variance(double passes, double total, double sumW2, double meanW) {
        double smoothed = (passes + meanW) / (total + 2 * meanW);
        return sumW2 * smoothed * (1 - smoothed) / (total * total);
    }
}
