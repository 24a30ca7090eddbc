package io.llmslo.slo.alert;

import io.llmslo.slo.AlertEvent;
import java.util.List;

/**
 * The result of one alert decision: the transitions to write to {@code slo_alerts}, the highest
 * severity open after it (the {@code alert} column), null when none is open, and the sequential
 * detector's evidence for the status row (null for rules without one).
 */
public record AlertOutcome(List<AlertEvent> transitions, String highestOpen, Evidence evidence) {

    public AlertOutcome(List<AlertEvent> transitions, String highestOpen) {
        this(transitions, highestOpen, null);
    }

    /**
     * @param eValue e-detector value exp(S) of the lowest tier (evidence the SLO burns its budget)
     * @param eThreshold exp(h): the value at which a tier opens
     * @param alphaAdjusted the series' share of the family's false-alarm budget (per step)
     * @param detectedAt when the lowest tier opened; null while it is not open
     */
    public record Evidence(double eValue, double eThreshold, double alphaAdjusted, Long detectedAt) {}
}
