package io.llmslo.slo;

/** An observation routed to one (slo, cohort) evaluator; {@code key} is "slo|cohort". */
public record CohortObservation(String key, String slo, String cohort, long t, boolean good, double value) {

    public static CohortObservation of(Observation o, String cohort) {
        return new CohortObservation(o.slo() + "|" + cohort, o.slo(), cohort, o.t(), o.good(), o.value());
    }
}
