package io.llmslo.cohort;

/**
 * A final decision of {@link CohortAdmissionFunction}, broadcast to every {@link CohortRelabelOperator}:
 * either {@code value} keeps its name ({@code full} false), or the dimension is full ({@code full}
 * true, {@code value} null): every value not admitted before counts as {@link
 * io.llmslo.slo.CohortValueGuard#OTHER}. Decisions are never taken back.
 */
public record CohortDecision(String dimension, String value, boolean full) {

    public static CohortDecision admit(String dimension, String value) {
        return new CohortDecision(dimension, value, false);
    }

    public static CohortDecision full(String dimension) {
        return new CohortDecision(dimension, null, true);
    }
}
