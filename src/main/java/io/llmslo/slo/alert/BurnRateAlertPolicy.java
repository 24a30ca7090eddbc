package io.llmslo.slo.alert;

import io.llmslo.slo.AlertEvent;
import io.llmslo.slo.BurnTier;
import io.llmslo.slo.Durations;
import io.llmslo.slo.SloDefinition;
import io.llmslo.slo.SloStatistics;
import io.llmslo.slo.TimeBuckets;
import io.llmslo.slo.WindowCounts;
import java.util.ArrayList;
import java.util.List;

/**
 * Multi-window, multi-burn-rate alerts with the low-traffic guard (DESIGN §4). A tier opens when
 * both windows burn faster than the tier, the long window's bad count is significant against H0
 * bad_rate <= burn * (1 - target), and the long window holds enough events. It resolves when the
 * long window no longer burns, or the short window does not while holding enough events to mean
 * it (at least one bad one expected at the tier's rate), and that has held for a quarter of the
 * long window: a short window of three requests going quiet does not close an outage.
 */
public final class BurnRateAlertPolicy implements AlertPolicy {

    private final SloDefinition def;
    private final AlertStateMachine machine;

    public BurnRateAlertPolicy(SloDefinition def) {
        this.def = def;
        this.machine = new AlertStateMachine(def.name());
    }

    /** Returns the highest open severity (tiers are listed highest first). */
    @Override
    public AlertOutcome decide(AlertInput in, AlertState state) {
        List<AlertEvent> transitions = new ArrayList<>(1);
        String highest = null;
        double budget = 1.0 - def.target();
        for (BurnTier t : def.tiers()) {
            WindowCounts lw = in.window(t.longWindow());
            WindowCounts sw = t.shortWindow() == null ? null : in.window(t.shortWindow());
            double allowed = Math.min(1.0, t.burn() * budget);
            double burnLong = SloStatistics.burnRate(lw.good(), lw.n(), def.target());
            Double burnShort = sw == null ? null : SloStatistics.burnRate(sw.good(), sw.n(), def.target());
            double p = SloStatistics.pValueBadAbove(lw.bad(), lw.n(), allowed);
            boolean open = burnLong > t.burn()
                    && (burnShort == null || burnShort > t.burn())
                    && p < def.alpha()
                    && lw.n() >= def.alertFloor();
            long meaningfulShort = (long) Math.ceil(1.0 / allowed);
            boolean recovered = burnLong <= t.burn()
                    || (burnShort != null && burnShort <= t.burn() && sw.n() >= meaningfulShort);
            // one incident, one alert: stay open a quarter of the long window after recovery
            // starts (at least one short window), so a dip mid-incident does not close it
            long hold = Math.max(t.longWindow().toMillis() / 4,
                    t.shortWindow() == null ? TimeBuckets.HOUR : t.shortWindow().toMillis());
            machine.step(in.now(), in.cohort(), t.severity(), open, recovered, hold,
                    new AlertStateMachine.Evidence(Durations.format(t.longWindow()),
                            Durations.format(t.shortWindow()), burnLong, burnShort, p, lw.n()),
                    state, transitions);
            if (highest == null && state.open.containsKey(t.severity())) {
                highest = t.severity();
            }
        }
        return new AlertOutcome(transitions, highest);
    }
}
