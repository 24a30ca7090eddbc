package io.llmslo.detect;

/**
 * What one detector step decided, per tier (highest burn first).
 *
 * @param opened tiers that opened at this step
 * @param resolved tiers that resolved at this step
 * @param statistic each tier's largest CUSUM statistic (nats) after the step
 * @param alternative index of the alternative that holds it
 * @param state the updated state (for run lengths, change points and incident rates)
 */
public record DetectorStep(boolean[] opened, boolean[] resolved, double[] statistic, int[] alternative,
        DetectorState state) {

    /** e-detector value of a tier: exp(S), capped so it stays finite in a DOUBLE column. */
    public double eValue(int tier) {
        return Math.exp(Math.min(statistic[tier], 700));
    }

    public boolean anyOpened() {
        for (boolean b : opened) {
            if (b) {
                return true;
            }
        }
        return false;
    }
}
