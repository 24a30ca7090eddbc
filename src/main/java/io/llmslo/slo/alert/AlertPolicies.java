package io.llmslo.slo.alert;

import io.llmslo.slo.SloDefinition;

/**
 * Which alert rule an SLO uses. {@link BurnRateAlertPolicy} (the turn-1 rule) stays available for
 * comparison ({@code bench detection}) and its golden tests.
 */
public final class AlertPolicies {

    private AlertPolicies() {}

    public static AlertPolicy forDefinition(SloDefinition def) {
        if (def.alertOnly()) {
            return new BreachAlertPolicy(def); // no budget: a ticket on a significant breach
        }
        // SLOs with an error budget: the sequential detector decides the burn tiers (DESIGN §4, turn 2)
        return new SequentialAlertPolicy(def);
    }
}
