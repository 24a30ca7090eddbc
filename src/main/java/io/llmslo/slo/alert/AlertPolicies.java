package io.llmslo.slo.alert;

import io.llmslo.slo.SloDefinition;
import io.llmslo.slo.SloKind;

/** Which alert rule an SLO uses. */
public final class AlertPolicies {

    private AlertPolicies() {}

    public static AlertPolicy forDefinition(SloDefinition def) {
        if (def.alertOnly() || def.kind() == SloKind.REFUSAL_DRIFT) {
            return new BreachAlertPolicy(def);
        }
        return new BurnRateAlertPolicy(def);
    }
}
