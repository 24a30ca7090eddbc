package io.llmslo.slo;

/**
 * The fixed-window verdict of one evaluation (DESIGN §4): the value and its interval, the exact
 * test's p-value and the status. The numbers of the {@code slo_status} row before alerts.
 *
 * @param value the ratio (or the refusal drift), null without data
 * @param p the test's p-value, also without data (1.0), for the alert rule
 * @param reportedP the p-value as reported, null without data
 */
record Verdict(long n, long good, Double value, Double ciLow, Double ciHigh, double p, Double reportedP,
        String status) {

    /** H0 p_good >= target, one-sided exact binomial; below min_n the status is insufficient_data. */
    static Verdict ratio(SloDefinition def, WindowCounts w) {
        Double value = w.n() > 0 ? w.good() / (double) w.n() : null;
        double[] ci = SloStatistics.wilson95(w.good(), w.n());
        double p = SloStatistics.pValueBelowTarget(w.good(), w.n(), def.target());
        String status = w.n() < def.minN() ? SloStatus.INSUFFICIENT
                : p < def.alpha() ? SloStatus.BREACH : SloStatus.OK;
        return new Verdict(w.n(), w.good(), value, ci == null ? null : ci[0], ci == null ? null : ci[1], p,
                w.n() > 0 ? p : null, status);
    }

    /**
     * Refusal drift: H0 p_now − p_base <= factor over the window against the baseline before it;
     * "good" of both counts is "not refused".
     */
    static Verdict drift(SloDefinition def, WindowCounts cur, WindowCounts base) {
        long refusedNow = cur.bad();
        long refusedBase = base.bad();
        Double value = null;
        Double ciLow = null;
        Double ciHigh = null;
        if (cur.n() > 0 && base.n() > 0) {
            double[] ci = SloStatistics.driftInterval95(refusedNow, cur.n(), refusedBase, base.n());
            value = ci[0];
            ciLow = ci[1];
            ciHigh = ci[2];
        }
        double p = SloStatistics.pValueDriftAbove(refusedNow, cur.n(), refusedBase, base.n(), def.factor());
        String status = cur.n() < def.minN() || base.n() < def.minN() ? SloStatus.INSUFFICIENT
                : p < def.alpha() ? SloStatus.BREACH : SloStatus.OK;
        return new Verdict(cur.n(), cur.good(), value, ciLow, ciHigh, p, cur.n() > 0 && base.n() > 0 ? p : null,
                status);
    }

    /** The drift a week ago from the week-ago window and its baseline; null without data. */
    static Double driftOf(WindowCounts cur, WindowCounts base) {
        return cur.n() > 0 && base.n() > 0
                ? cur.bad() / (double) cur.n() - base.bad() / (double) base.n()
                : null;
    }
}
