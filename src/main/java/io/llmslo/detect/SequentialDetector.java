package io.llmslo.detect;

import java.io.Serializable;

/**
 * Bernoulli CUSUM per alert tier (Page 1954; Reynolds &amp; Stoumbos 1999), read as an e-detector
 * (Shin, Ramdas &amp; Rinaldo 2023): for tier k with boundary bad rate {@code p0 = burn_k · (1 −
 * target)} and alternative {@code p1}, each evaluation step adds the log-likelihood ratio of the
 * events that arrived since the last one,
 * <pre>  S ← max(0, S + bad · ln(p1/p0) + good · ln((1−p1)/(1−p0)))</pre>
 * and the tier opens when S reaches the threshold h. Under any bad rate p ≤ p0 the per-step
 * likelihood ratio has mean ≤ 1, so exp(S) is the CUSUM e-detector: every start time's product is
 * a nonnegative supermartingale and, by Ville's inequality and a union over start times, the
 * expected number of false openings in T steps is at most T · e^−h (per alternative). Several
 * alternatives (odds ratios {@code rho}) cover small and large incidents; their thresholds carry a
 * Bonferroni share (see {@link FamilyBudget}).
 *
 * <p>Resolve: while a tier is open, a reverse CUSUM tests "the rate is back at or below p0"
 * against "the rate is still the incident's" (halfway between p0 and the rate the run showed when
 * the tier opened) and resolves the tier when it reaches {@code resolveThreshold}: an outage ends
 * after a few dozen clean requests, not a quarter of a long window later.
 *
 * <p>Tiers are listed highest burn first. A tier opens only while the tiers below it are open (or
 * open in the same step), so every alert on a series within its SLO is a false opening of the
 * lowest tier: the family's false-alarm budget is spent once per series, not once per tier.
 */
public final class SequentialDetector implements Serializable {

    /** Default odds ratios of the alternatives: a −10 pp regression to a 50× outage. */
    public static final double[] DEFAULT_RHO = {1.5, 3, 10, 50};

    private final double[] boundary;
    private final double[] rho;
    private final double[][] alternative;
    private final double[][] llrBad;
    private final double[][] llrGood;
    private final double resolveThreshold;

    /**
     * @param boundaries per tier (highest burn first), the bad rate the tier must exceed
     * @param rho odds ratios of the alternatives against each boundary
     * @param resolveThreshold nats of evidence that the burn stopped before a tier resolves
     */
    public SequentialDetector(double[] boundaries, double[] rho, double resolveThreshold) {
        this.boundary = boundaries.clone();
        this.rho = rho.clone();
        this.resolveThreshold = resolveThreshold;
        int tiers = boundaries.length;
        alternative = new double[tiers][];
        llrBad = new double[tiers][];
        llrGood = new double[tiers][];
        for (int k = 0; k < tiers; k++) {
            double[][] r = rates(boundaries[k], rho);
            alternative[k] = r[0];
            llrBad[k] = r[1];
            llrGood[k] = r[2];
        }
    }

    /** {alternatives, ln(p1/p0), ln((1−p1)/(1−p0))} for one boundary. */
    private static double[][] rates(double p0, double[] rho) {
        if (!(p0 > 0 && p0 < 1)) {
            throw new IllegalArgumentException("tier boundary bad rate must lie in (0, 1), got " + p0);
        }
        double[][] r = new double[3][rho.length];
        for (int j = 0; j < rho.length; j++) {
            double p1 = alternativeRate(p0, rho[j]);
            r[0][j] = p1;
            r[1][j] = Math.log(p1 / p0);
            r[2][j] = Math.log((1 - p1) / (1 - p0));
        }
        return r;
    }

    /**
     * The rate whose odds are {@code rho} times the odds of {@code p0}, capped at half-way from
     * p0 to 1 (at least 0.5): an "everything fails" alternative on a quality SLO would turn a
     * short run of bad events in a healthy cohort into evidence, where an incident that bad is
     * caught almost as fast by the cap.
     */
    static double alternativeRate(double p0, double rho) {
        double odds = rho * p0 / (1 - p0);
        return Math.min(odds / (1 + odds), Math.max(0.5, (1 + p0) / 2));
    }

    public int tiers() {
        return boundary.length;
    }

    public int alternatives() {
        return alternative.length == 0 ? 0 : alternative[0].length;
    }

    public double boundary(int tier) {
        return boundary[tier];
    }

    public double alternative(int tier, int j) {
        return alternative[tier][j];
    }

    public DetectorState freshState() {
        return DetectorState.fresh(tiers(), alternatives());
    }

    /**
     * Feeds the events since the previous step ({@code n} valid, {@code bad} of them bad) and
     * decides, per tier, whether it opens or resolves at {@code now}. {@code threshold} is the
     * series' h (nats) from the family budget. Updates {@code s} in place.
     */
    public DetectorStep step(DetectorState s, long now, long n, long bad, double threshold) {
        return step(s, now, n, bad, threshold, boundary);
    }

    /**
     * As {@link #step(DetectorState, long, long, long, double)} against boundaries that move with
     * the data (refusal drift: the baseline's rate plus the margin). Each step's likelihood ratio
     * has mean ≤ 1 under that step's H0, so the guarantee is unchanged.
     */
    public DetectorStep step(DetectorState s, long now, long n, long bad, double threshold, double[] boundaries) {
        int tiers = tiers();
        double[][] llrBad = this.llrBad;
        double[][] llrGood = this.llrGood;
        double[][] alternative = this.alternative;
        if (boundaries != boundary) {
            llrBad = new double[tiers][];
            llrGood = new double[tiers][];
            alternative = new double[tiers][];
            for (int k = 0; k < tiers; k++) {
                double[][] r = rates(boundaries[k], rho);
                alternative[k] = r[0];
                llrBad[k] = r[1];
                llrGood[k] = r[2];
            }
        }
        int alts = alternatives();
        long good = n - bad;
        boolean[] opened = new boolean[tiers];
        boolean[] resolved = new boolean[tiers];
        double[] statistic = new double[tiers];
        int[] best = new int[tiers];
        for (int k = 0; k < tiers; k++) {
            double top = 0;
            int arg = 0;
            for (int j = 0; j < alts; j++) {
                int i = k * alts + j;
                if (n > 0) {
                    double next = s.cusum[i] + bad * llrBad[k][j] + good * llrGood[k][j];
                    if (next <= 0) {
                        s.cusum[i] = 0;
                        s.runN[i] = 0;
                        s.runBad[i] = 0;
                        s.runStart[i] = now;
                    } else {
                        if (s.runN[i] == 0 && s.runStart[i] == DetectorState.CLOSED) {
                            s.runStart[i] = s.lastStep; // a fresh series: the run began after the previous step
                        }
                        s.cusum[i] = next;
                        s.runN[i] += n;
                        s.runBad[i] += bad;
                    }
                }
                if (s.cusum[i] > top || j == 0) {
                    top = s.cusum[i];
                    arg = j;
                }
            }
            statistic[k] = top;
            best[k] = arg;
        }
        // opening: lowest tier first, a tier only on top of the tiers below it
        boolean below = true;
        for (int k = tiers - 1; k >= 0; k--) {
            boolean isOpen = s.openedAt[k] != DetectorState.CLOSED;
            if (!isOpen && below && statistic[k] >= threshold) {
                s.openedAt[k] = now;
                s.recovery[k] = 0;
                s.incidentRate[k] = runRate(s, k, best[k]);
                opened[k] = true;
                isOpen = true;
            } else if (isOpen && statistic[k] >= threshold) {
                // the incident may grow after it was first seen: resolve against its worst rate
                s.incidentRate[k] = Math.max(s.incidentRate[k], runRate(s, k, best[k]));
            }
            below = isOpen;
        }
        // resolving: reverse CUSUM for every tier open before this step
        boolean resolveAbove = false;
        for (int k = tiers - 1; k >= 0; k--) {
            if (s.openedAt[k] == DetectorState.CLOSED || opened[k]) {
                continue;
            }
            if (n > 0) {
                double p0 = boundaries[k];
                double high = Math.max(alternative[k][0], (p0 + s.incidentRate[k]) / 2);
                s.recovery[k] = Math.max(0, s.recovery[k] + good * Math.log((1 - p0) / (1 - high))
                        + bad * Math.log(p0 / high));
            }
            if (resolveAbove || s.recovery[k] >= resolveThreshold) {
                resolved[k] = true;
                resolveAbove = true; // a higher tier cannot outlive the evidence against a lower burn
                close(s, k, now);
            }
        }
        s.lastStep = now;
        return new DetectorStep(opened, resolved, statistic, best, s);
    }

    /** The bad rate of CUSUM (k, j)'s current run, or its alternative when the run is empty. */
    private double runRate(DetectorState s, int k, int j) {
        int i = k * alternatives() + j;
        return s.runN[i] > 0 ? s.runBad[i] / (double) s.runN[i] : alternative[k][j];
    }

    private void close(DetectorState s, int k, long now) {
        s.openedAt[k] = DetectorState.CLOSED;
        s.recovery[k] = 0;
        s.incidentRate[k] = 0;
        int alts = alternatives();
        for (int j = 0; j < alts; j++) {
            int i = k * alts + j;
            s.cusum[i] = 0;
            s.runN[i] = 0;
            s.runBad[i] = 0;
            s.runStart[i] = now;
        }
    }
}
