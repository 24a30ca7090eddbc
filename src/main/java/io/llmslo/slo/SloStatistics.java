package io.llmslo.slo;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.interval.ConfidenceInterval;
import org.apache.commons.math3.stat.interval.WilsonScoreInterval;

/** The tests of DESIGN §4, on counts. Pure functions; commons-math3 does the distributions. */
public final class SloStatistics {

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);
    private static final WilsonScoreInterval WILSON = new WilsonScoreInterval();

    private SloStatistics() {}

    /**
     * One-sided exact binomial test of H0 {@code p_good >= target} against {@code p_good <
     * target}: P(X <= good) for X ~ Bin(n, target). Same as scipy's {@code binomtest(good, n,
     * target, alternative='less')}.
     */
    public static double pValueBelowTarget(long good, long n, double target) {
        if (n == 0) {
            return 1.0;
        }
        if (target >= 1.0) {
            return good < n ? 0.0 : 1.0;
        }
        return new BinomialDistribution(null, toInt(n), target).cumulativeProbability(toInt(good));
    }

    /**
     * One-sided exact binomial test of H0 {@code bad_rate <= rate}: P(X >= bad) for X ~ Bin(n,
     * rate). The significance guard of burn-rate alerts.
     */
    public static double pValueBadAbove(long bad, long n, double rate) {
        if (bad <= 0 || n == 0) {
            return 1.0;
        }
        if (rate >= 1.0) {
            return 1.0;
        }
        if (rate <= 0.0) {
            return 0.0;
        }
        return 1.0
                - new BinomialDistribution(null, toInt(n), rate).cumulativeProbability(toInt(bad) - 1);
    }

    /**
     * Refusal drift: one-sided test of H0 {@code p_now - p_base <= margin}, as a Wald z-test on
     * the difference of two proportions with the margin shifted out (non-inferiority form). The
     * variance uses the observed rates, floored at half an event so a zero count cannot make the
     * test infinitely confident.
     */
    public static double pValueDriftAbove(
            long refusedNow, long nNow, long refusedBase, long nBase, double margin) {
        if (nNow == 0 || nBase == 0) {
            return 1.0;
        }
        double pNow = refusedNow / (double) nNow;
        double pBase = refusedBase / (double) nBase;
        double vNow = Math.max(pNow * (1 - pNow), 0.5 / nNow) / nNow;
        double vBase = Math.max(pBase * (1 - pBase), 0.5 / nBase) / nBase;
        double z = (pNow - pBase - margin) / Math.sqrt(vNow + vBase);
        return 1.0 - STANDARD_NORMAL.cumulativeProbability(z);
    }

    /** Wilson 95 % score interval of good / n; {@code null} when n is 0. */
    public static double[] wilson95(long good, long n) {
        if (n == 0) {
            return null;
        }
        if (n > Integer.MAX_VALUE) {
            // the interval is a point at this size; avoid the int-only API
            double p = good / (double) n;
            return new double[] {p, p};
        }
        ConfidenceInterval ci = WILSON.createInterval(toInt(n), toInt(good), 0.95);
        return new double[] {ci.getLowerBound(), ci.getUpperBound()};
    }

    /** Burn rate (SRE workbook): bad fraction over the window divided by the error budget 1 - target. */
    public static double burnRate(long good, long n, double target) {
        if (n == 0) {
            return 0.0;
        }
        return ((n - good) / (double) n) / (1.0 - target);
    }

    private static int toInt(long v) {
        return (int) Math.min(v, Integer.MAX_VALUE);
    }
}
