package io.llmslo.slo.alert;

import io.llmslo.slo.AlertEvent;
import io.llmslo.slo.Durations;
import io.llmslo.slo.SloDefinition;
import io.llmslo.slo.SloStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * SLOs without an error budget (alert-only, refusal drift) alert on a significant breach of the
 * SLO window only, as one "ticket"; it resolves after a quarter of the window without a breach.
 */
public final class BreachAlertPolicy implements AlertPolicy {

    static final String SEVERITY = "ticket";

    private final SloDefinition def;
    private final AlertStateMachine machine;

    public BreachAlertPolicy(SloDefinition def) {
        this.def = def;
        this.machine = new AlertStateMachine(def.name());
    }

    @Override
    public AlertOutcome decide(AlertInput in, AlertState state) {
        List<AlertEvent> transitions = new ArrayList<>(1);
        boolean breach = SloStatus.BREACH.equals(in.status());
        machine.step(in.now(), in.cohort(), SEVERITY, breach, !breach, def.window().toMillis() / 4,
                new AlertStateMachine.Evidence(Durations.format(def.window()), null, null, null, in.pValue(),
                        in.n()),
                state, transitions);
        return new AlertOutcome(transitions, state.open.containsKey(SEVERITY) ? SEVERITY : null);
    }
}
