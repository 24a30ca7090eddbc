package io.llmslo.slo;

/**
 * An alert transition, a row of {@code slo_alerts}: a severity opens ({@code firing}) once and
 * closes ({@code resolved}) once.
 *
 * @param burnLong burn rate over the long window at the transition
 * @param burnShort burn rate over the short window, null for single-window tiers
 * @param pValue significance of the long window's burn (exact binomial)
 */
public record AlertEvent(
        String slo,
        String cohort,
        String severity,
        String state,
        long at,
        String longWindow,
        String shortWindow,
        Double burnLong,
        Double burnShort,
        Double pValue,
        long n) {

    public static final String FIRING = "firing";
    public static final String RESOLVED = "resolved";
}
