package io.llmslo.slo;

/** How an SLO turns its observations into a value; all are good/valid ratios underneath. */
public enum SloKind {
    /** good / valid over the window. */
    RATIO,
    /** A ratio against a threshold, also reporting the quantile itself from a sketch. */
    QUANTILE,
    /** Good unless the value exceeds a multiple of the cohort's trailing 24 h median. */
    TAIL_BLOWUP,
    /** Refusal rate in the window against the baseline period before it. */
    REFUSAL_DRIFT
}
