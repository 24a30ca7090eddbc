package io.llmslo.detect;

import io.llmslo.slo.SloStatistics;

/**
 * The yardstick of DESIGN §4: the traffic a one-shot exact binomial test needs to tell an
 * incident's bad rate from the target's, knowing when the incident began. The test rejects H0
 * {@code bad_rate <= p0} when X ≥ c(n), c the smallest count with P0(X ≥ c) ≤ α; the limit is the
 * smallest n whose power P1(X ≥ c(n)) reaches {@code power}.
 */
public final class StatisticalLimit {

    private StatisticalLimit() {}

    /** Smallest n with power ≥ {@code power} at level {@code alpha}; -1 if not within {@code maxN}. */
    public static long traffic(double p0, double p1, double alpha, double power, long maxN) {
        if (!(p1 > p0)) {
            return -1;
        }
        long c = 1;
        for (long n = 1; n <= maxN; n++) {
            while (c <= n && SloStatistics.pValueBadAbove(c, n, p0) > alpha) {
                c++;
            }
            if (c <= n && SloStatistics.pValueBadAbove(c, n, p1) >= power) {
                return n;
            }
        }
        return -1;
    }

    /** At the DESIGN's α = 0.01 and 80 % power. */
    public static long traffic(double p0, double p1) {
        return traffic(p0, p1, 0.01, 0.80, 10_000_000);
    }
}
