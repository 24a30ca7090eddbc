package io.llmslo.slo;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Beta;

/** The tests of DESIGN §4, on counts. Pure functions; commons-math3 does the distributions. */
public final class SloStatistics {

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);
    /** Two-sided 95 % standard normal quantile. */
    static final double Z95 = 1.959963984540054;

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
        return binomialCdf(good, n, target);
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
        // upper tail through the incomplete beta directly: exact for tiny p-values, where
        // 1 - cdf would round to zero
        return Beta.regularizedBeta(rate, bad, n - bad + 1.0);
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

    /**
     * The refusal-rate increase p_now - p_base with its Wald 95 % interval: {diff, low, high}.
     */
    public static double[] driftInterval95(long refusedNow, long nNow, long refusedBase, long nBase) {
        double pNow = refusedNow / (double) nNow;
        double pBase = refusedBase / (double) nBase;
        double se = Math.sqrt(pNow * (1 - pNow) / nNow + pBase * (1 - pBase) / nBase);
        double diff = pNow - pBase;
        return new double[] {diff, diff - Z95 * se, diff + Z95 * se};
    }

    /** Wilson 95 % score interval of good / n; {@code null} when n is 0. */
    public static double[] wilson95(long good, long n) {
        if (n == 0) {
            return null;
        }
        // the closed form commons-math's WilsonScoreInterval uses, without the normal
        // distribution (and random generator) it builds on every call; SloStatisticsTest
        // checks the two agree
        return wilson95(good / (double) n, (double) n);
    }

    /** Wilson 95 % interval of a proportion {@code p} from {@code n} (possibly effective, fractional) trials. */
    public static double[] wilson95(double p, double n) {
        double z2 = Z95 * Z95;
        double denom = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denom;
        double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denom;
        return new double[] {Math.max(0.0, centre - half), Math.min(1.0, centre + half)};
    }

    /** Burn rate (SRE workbook): bad fraction over the window divided by the error budget 1 - target. */
    public static double burnRate(long good, long n, double target) {
        if (n == 0) {
            return 0.0;
        }
        return ((n - good) / (double) n) / (1.0 - target);
    }

    /**
     * P(X <= k) for X ~ Bin(n, p), as commons-math's BinomialDistribution computes it (regularized
     * incomplete beta), without constructing a distribution and its random generator per call.
     */
    static double binomialCdf(long k, long n, double p) {
        if (k < 0) {
            return 0.0;
        }
        if (k >= n) {
            return 1.0;
        }
        return 1.0 - Beta.regularizedBeta(p, k + 1.0, (double) (n - k));
    }
}
