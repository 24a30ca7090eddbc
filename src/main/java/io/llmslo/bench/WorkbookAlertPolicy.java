package io.llmslo.bench;

import io.llmslo.slo.AlertEvent;
import io.llmslo.slo.BurnTier;
import io.llmslo.slo.Durations;
import io.llmslo.slo.SloDefinition;
import io.llmslo.slo.SloStatistics;
import io.llmslo.slo.WindowCounts;
import io.llmslo.slo.alert.AlertInput;
import io.llmslo.slo.alert.AlertOutcome;
import io.llmslo.slo.alert.AlertPolicy;
import io.llmslo.slo.alert.AlertState;
import java.util.ArrayList;
import java.util.List;

/**
 * The SRE workbook's multi-window multi-burn-rate rule without guards, for comparison only: a
 * tier is open exactly while both windows burn faster than it (no significance test, no minimum
 * count, no hold).
 */
final class WorkbookAlertPolicy implements AlertPolicy {

    private final SloDefinition def;

    WorkbookAlertPolicy(SloDefinition def) {
        this.def = def;
    }

    @Override
    public AlertOutcome decide(AlertInput in, AlertState state) {
        List<AlertEvent> out = new ArrayList<>(1);
        String highest = null;
        for (BurnTier t : def.tiers()) {
            WindowCounts lw = in.window(t.longWindow());
            WindowCounts sw = t.shortWindow() == null ? null : in.window(t.shortWindow());
            double bl = SloStatistics.burnRate(lw.good(), lw.n(), def.target());
            Double bs = sw == null ? null : SloStatistics.burnRate(sw.good(), sw.n(), def.target());
            boolean burning = bl > t.burn() && (bs == null || bs > t.burn());
            boolean open = state.open.containsKey(t.severity());
            if (burning != open) {
                if (burning) {
                    state.open.put(t.severity(), AlertState.NOT_RESOLVING);
                } else {
                    state.open.remove(t.severity());
                }
                out.add(new AlertEvent(def.name(), in.cohort(), t.severity(),
                        burning ? AlertEvent.FIRING : AlertEvent.RESOLVED, in.now(), Durations.format(t.longWindow()),
                        Durations.format(t.shortWindow()), bl, bs, null, lw.n()));
            }
            if (highest == null && burning) {
                highest = t.severity();
            }
        }
        return new AlertOutcome(out, highest);
    }
}
