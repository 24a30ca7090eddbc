package io.llmslo.slo;

import java.util.Map;

/**
 * One good-or-bad event of one SLO for one request, before cohort fan-out.
 *
 * @param t observation time (DESIGN §2): the window it falls in
 * @param dims the request's cohort dimensions ({@link io.llmslo.event.Dimensions})
 * @param value the measured quantity for quantile and tail SLOs (ms, USD); NaN otherwise
 */
public record Observation(String slo, long t, Map<String, String> dims, boolean good, double value) {

    public static Observation ratio(String slo, long t, Map<String, String> dims, boolean good) {
        return new Observation(slo, t, dims, good, Double.NaN);
    }
}
