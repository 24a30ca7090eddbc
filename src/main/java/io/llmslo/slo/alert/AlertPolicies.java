package io.llmslo.slo.alert;

import io.llmslo.slo.SloDefinition;
import io.llmslo.slo.SloKind;

/**
 * Which alert rule an SLO uses. {@link BurnRateAlertPolicy} (the turn-1 rule) stays available for
 * comparison ({@code bench detection}) and its golden tests.
 */
public final class AlertPolicies {

    private AlertPolicies() {}

    public static AlertPolicy forDefinition(SloDefinition def) {
        if (def.alertOnly() || def.kind() == SloKind.REFUSAL_DRIFT) {
            return new BreachAlertPolicy(def);
        }
        // SLOs with an error budget: the sequential detector decides the burn tiers (DESIGN §4, turn 2)
        return new SequentialAlertPolicy(def);
    }
}
