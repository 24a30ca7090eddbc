package io.llmslo.slo.alert;

import io.llmslo.slo.AlertEvent;
import java.util.List;

/**
 * Open/hold/resolve of one severity of one series. An alert opens once when its condition holds;
 * it resolves once its recovery condition has held for {@code hold} without interruption, so a
 * dip in the middle of an incident does not split it into two alerts.
 */
final class AlertStateMachine {

    /** The evidence carried into a transition row. */
    record Evidence(String longWindow, String shortWindow, Double burnLong, Double burnShort, double pValue,
            long n) {}

    private final String slo;

    AlertStateMachine(String slo) {
        this.slo = slo;
    }

    void step(long now, String cohort, String severity, boolean open, boolean recovered, long hold,
            Evidence ev, AlertState state, List<AlertEvent> transitions) {
        Long since = state.open.get(severity);
        if (since == null) {
            if (open) {
                state.open.put(severity, AlertState.NOT_RESOLVING);
                transitions.add(event(cohort, severity, AlertEvent.FIRING, now, ev));
            }
            return;
        }
        if (!recovered) {
            state.open.put(severity, AlertState.NOT_RESOLVING);
            return;
        }
        if (since == AlertState.NOT_RESOLVING) {
            since = now;
            state.open.put(severity, since);
        }
        if (now - since >= hold) {
            state.open.remove(severity);
            transitions.add(event(cohort, severity, AlertEvent.RESOLVED, now, ev));
        }
    }

    private AlertEvent event(String cohort, String severity, String kind, long now, Evidence ev) {
        return new AlertEvent(slo, cohort, severity, kind, now, ev.longWindow(), ev.shortWindow(),
                ev.burnLong(), ev.burnShort(), ev.pValue(), ev.n());
    }
}
