package io.llmslo.bench;

import io.llmslo.slo.AlertEvent;
import io.llmslo.slo.Durations;
import io.llmslo.slo.SloDefinition;
import io.llmslo.slo.WindowCounts;
import io.llmslo.slo.alert.AlertInput;
import io.llmslo.slo.alert.AlertOutcome;
import io.llmslo.slo.alert.AlertPolicy;
import io.llmslo.slo.alert.AlertState;
import java.util.ArrayList;
import java.util.List;

/** The seed's naive rule, for comparison only: alert while the SLO window's point estimate is below target. */
final class NaiveAlertPolicy implements AlertPolicy {

    static final String SEVERITY = "breach";

    private final SloDefinition def;

    NaiveAlertPolicy(SloDefinition def) {
        this.def = def;
    }

    @Override
    public AlertOutcome decide(AlertInput in, AlertState state) {
        WindowCounts w = in.window(def.window());
        boolean below;
        if (def.kind() == io.llmslo.slo.SloKind.REFUSAL_DRIFT) {
            // refusal drift: the point estimate of p_now − p_base above the margin
            WindowCounts b = in.window(def.baseline());
            below = w.n() > 0 && b.n() > 0 && w.bad() / (double) w.n() - b.bad() / (double) b.n() > def.factor();
        } else {
            below = w.n() > 0 && w.good() < def.target() * w.n();
        }
        List<AlertEvent> out = new ArrayList<>(1);
        boolean open = state.open.containsKey(SEVERITY);
        if (below != open) {
            if (below) {
                state.open.put(SEVERITY, AlertState.NOT_RESOLVING);
            } else {
                state.open.remove(SEVERITY);
            }
            out.add(new AlertEvent(def.name(), in.cohort(), SEVERITY, below ? AlertEvent.FIRING : AlertEvent.RESOLVED,
                    in.now(), Durations.format(def.window()), null, null, null, null, w.n()));
        }
        return new AlertOutcome(out, below ? SEVERITY : null);
    }
}
