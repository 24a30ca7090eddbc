package io.llmslo.slo;

/**
 * An alert transition, a row of {@code slo_alerts}: a severity opens ({@code firing}) once and
 * closes ({@code resolved}) once.
 *
 * @param burnLong burn rate over the long window at the transition
 * @param burnShort burn rate over the short window, null for single-window tiers
 * @param pValue significance of the long window's burn (exact binomial)
 * @param eValue sequential detector: the tier's e-detector value exp(S) at the transition
 * @param eThreshold sequential detector: exp(h), the value at which the tier opens
 * @param changeAt sequential detector: the estimated start of the incident (where the CUSUM's
 *     current run began); null for other rules
 * @param detectedBurn sequential detector: the burn rate of the run since {@code changeAt}
 * @param excess sequential detector: bad events of that run beyond the tier's boundary rate
 * @param explainedBy the most specific open cohort of the same SLO and severity whose excess
 *     explains this alert ({@link io.llmslo.detect.CohortExplainer}); set by {@code AlertExplainerFunction}
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
        long n,
        Double eValue,
        Double eThreshold,
        Long changeAt,
        Double detectedBurn,
        Double excess,
        String explainedBy) {

    /** A transition with sequential evidence, before the explanation across cohorts. */
    public AlertEvent(String slo, String cohort, String severity, String state, long at, String longWindow,
            String shortWindow, Double burnLong, Double burnShort, Double pValue, long n, Double eValue,
            Double eThreshold, Long changeAt, Double detectedBurn) {
        this(slo, cohort, severity, state, at, longWindow, shortWindow, burnLong, burnShort, pValue, n, eValue,
                eThreshold, changeAt, detectedBurn, null, null);
    }

    /** The same row, explained by {@code cohort}. */
    public AlertEvent explainedBy(String by) {
        return new AlertEvent(slo, cohort, severity, state, at, longWindow, shortWindow, burnLong, burnShort, pValue, n,
                eValue, eThreshold, changeAt, detectedBurn, excess, by);
    }

    /** A transition of a rule without sequential evidence. */
    public AlertEvent(String slo, String cohort, String severity, String state, long at, String longWindow,
            String shortWindow, Double burnLong, Double burnShort, Double pValue, long n) {
        this(slo, cohort, severity, state, at, longWindow, shortWindow, burnLong, burnShort, pValue, n, null, null,
                null, null, null, null);
    }

    public static final String FIRING = "firing";
    public static final String RESOLVED = "resolved";
}
