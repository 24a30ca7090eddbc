package io.llmslo.detect;

import java.util.Arrays;

/**
 * The sequential detector's memory of one (slo, cohort): a handful of numbers per alert tier,
 * passed into every evaluation and updated in place. POJO (public fields, primitive arrays) for
 * Flink state; index {@code tier * alternatives + j} addresses the CUSUM of tier k against
 * alternative j.
 */
public class DetectorState {

    /** Valid and good events already fed to the detector: the next step is C(now) minus these. */
    public long consumedN;
    public long consumedGood;

    /** CUSUM statistic (nats) per tier and alternative; 0 = no evidence. */
    public double[] cusum;
    /** Events and bad events since each CUSUM last sat at 0 (its change-point estimate). */
    public long[] runN;
    public long[] runBad;
    /** Evaluation instant after which each CUSUM's run began (its estimated change point); {@link #CLOSED} if unknown. */
    public long[] runStart;
    /** The previous step's instant; {@link #CLOSED} before the first. */
    public long lastStep = CLOSED;

    /** Per tier: the reverse CUSUM (nats) for "the burn has stopped", while the tier is open. */
    public double[] recovery;
    /**
     * Per tier: the incident's bad rate so far — events and bad events from its estimated change
     * point to the previous step (the resolve test's H0 is half-way between it and p0).
     */
    public double[] incidentRate;
    public long[] incidentN;
    public long[] incidentBad;
    /** Per tier: when it opened; {@link #CLOSED} when not open. */
    public long[] openedAt;

    public static final long CLOSED = Long.MIN_VALUE;

    public DetectorState() {}

    /** A fresh state for {@code tiers} tiers of {@code alternatives} alternatives each. */
    public static DetectorState fresh(int tiers, int alternatives) {
        DetectorState s = new DetectorState();
        int m = tiers * alternatives;
        s.cusum = new double[m];
        s.runN = new long[m];
        s.runBad = new long[m];
        s.runStart = new long[m];
        s.recovery = new double[tiers];
        s.incidentRate = new double[tiers];
        s.incidentN = new long[tiers];
        s.incidentBad = new long[tiers];
        s.openedAt = new long[tiers];
        Arrays.fill(s.openedAt, CLOSED);
        Arrays.fill(s.runStart, CLOSED);
        return s;
    }

    public boolean fits(int tiers, int alternatives) {
        return cusum != null && cusum.length == tiers * alternatives && openedAt.length == tiers
                && incidentN != null && incidentN.length == tiers;
    }

    public boolean anyOpen() {
        for (long at : openedAt) {
            if (at != CLOSED) {
                return true;
            }
        }
        return false;
    }
}
