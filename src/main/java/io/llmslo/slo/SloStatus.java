package io.llmslo.slo;

/**
 * One evaluation of one (slo, cohort) at {@code evalTime}: a row of {@code slo_status} (latest
 * per key) and of {@code slo_history} (one per history interval). Nullable columns are boxed.
 * {@code judge} holds the human-corrected judge estimate ({@code quality.judge_high} only, else null).
 * The four before it are the sequential detector's evidence ({@link io.llmslo.slo.alert.AlertOutcome.Evidence}):
 * null for SLOs whose alerts use another rule.
 */
@org.apache.flink.api.common.typeinfo.TypeInfo(SloStatusSerializer.Info.class)
public record SloStatus(
        String slo,
        String cohort,
        long evalTime,
        String window,
        long n,
        long good,
        Double value,
        double target,
        Double ciLow,
        Double ciHigh,
        Double pValue,
        String status,
        Double burn1h,
        Double burn6h,
        Double burn24h,
        Double burn7d,
        Double budgetRemaining,
        String alert,
        Double quantileValue,
        Double value7dAgo,
        Double eValue,
        Double eThreshold,
        Double alphaAdjusted,
        Long detectedAt,
        JudgeCorrection.Columns judge) {

    /** A row without the judge correction (every SLO but {@code quality.judge_high}). */
    public SloStatus(String slo, String cohort, long evalTime, String window, long n, long good, Double value,
            double target, Double ciLow, Double ciHigh, Double pValue, String status, Double burn1h, Double burn6h,
            Double burn24h, Double burn7d, Double budgetRemaining, String alert, Double quantileValue,
            Double value7dAgo, Double eValue, Double eThreshold, Double alphaAdjusted, Long detectedAt) {
        this(slo, cohort, evalTime, window, n, good, value, target, ciLow, ciHigh, pValue, status, burn1h, burn6h,
                burn24h, burn7d, budgetRemaining, alert, quantileValue, value7dAgo, eValue, eThreshold, alphaAdjusted,
                detectedAt, null);
    }

    /** This row with the judge correction's columns. */
    public SloStatus withJudge(JudgeCorrection.Columns j) {
        return new SloStatus(slo, cohort, evalTime, window, n, good, value, target, ciLow, ciHigh, pValue, status,
                burn1h, burn6h, burn24h, burn7d, budgetRemaining, alert, quantileValue, value7dAgo, eValue, eThreshold,
                alphaAdjusted, detectedAt, j);
    }

    /** A row without sequential-detector evidence. */
    public SloStatus(String slo, String cohort, long evalTime, String window, long n, long good, Double value,
            double target, Double ciLow, Double ciHigh, Double pValue, String status, Double burn1h, Double burn6h,
            Double burn24h, Double burn7d, Double budgetRemaining, String alert, Double quantileValue,
            Double value7dAgo) {
        this(slo, cohort, evalTime, window, n, good, value, target, ciLow, ciHigh, pValue, status, burn1h, burn6h,
                burn24h, burn7d, budgetRemaining, alert, quantileValue, value7dAgo, null, null, null, null);
    }

    public static final String OK = "ok";
    public static final String BREACH = "breach";
    public static final String INSUFFICIENT = "insufficient_data";
}
