package io.llmslo.metrics;

/**
 * The columns of one {@code slo_status} row (DESIGN §7) that {@code /metrics} exports; a null
 * number is a column the row leaves empty (no data yet, an SLO without a budget, ...).
 */
public record StatusRow(
        String slo,
        String cohort,
        long evalTimeMillis,
        String window,
        long n,
        long good,
        Double value,
        Double target,
        Double pValue,
        String status,
        Double burn1h,
        Double burn6h,
        Double burn24h,
        Double burn7d,
        Double budgetRemaining,
        String alert,
        Double quantileValue) {}
