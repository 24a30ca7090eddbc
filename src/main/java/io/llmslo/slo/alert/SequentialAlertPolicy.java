package io.llmslo.slo.alert;

import io.llmslo.detect.DetectorState;
import io.llmslo.detect.DetectorStep;
import io.llmslo.detect.FamilyBudget;
import io.llmslo.detect.SequentialDetector;
import io.llmslo.slo.AlertEvent;
import io.llmslo.slo.BurnTier;
import io.llmslo.slo.Durations;
import io.llmslo.slo.SloDefinition;
import io.llmslo.slo.SloKind;
import io.llmslo.slo.SloStatistics;
import io.llmslo.slo.WindowCounts;
import java.util.ArrayList;
import java.util.List;

/**
 * The burn tiers decided by the sequential detector (DESIGN §4, turn 2; docs/detection.md): each
 * tier keeps its name and burn rate, and opens when the CUSUM e-detector's evidence that the bad
 * rate exceeds {@code burn · (1 − target)} reaches the series' threshold from the
 * {@link FamilyBudget}; it resolves when the reverse test says the burn has stopped. No window
 * has to fill first and none has to empty: evidence, not elapsed time, opens and closes an alert.
 * The tiers' windows only label the row and report its burn rates.
 */
public final class SequentialAlertPolicy implements AlertPolicy {

    /** ln(100): evidence at 1 % against "still burning at the incident's rate" resolves a tier. */
    public static final double RESOLVE_NATS = Math.log(100);

    private final SloDefinition def;
    private final List<BurnTier> tiers;
    private final SequentialDetector detector;
    private final FamilyBudget budget;
    /** Refusal drift: one {@code ticket} tier whose boundary is the baseline's rate + the margin. */
    private final boolean drift;

    public SequentialAlertPolicy(SloDefinition def) {
        this(def, FamilyBudget.defaults(), SequentialDetector.DEFAULT_RHO, RESOLVE_NATS);
    }

    public SequentialAlertPolicy(SloDefinition def, FamilyBudget budget, double[] rho, double resolveNats) {
        this.def = def;
        this.budget = budget;
        this.drift = def.kind() == SloKind.REFUSAL_DRIFT;
        this.tiers = drift ? List.of(new BurnTier(BreachAlertPolicy.SEVERITY, def.window(), null, 1))
                : def.tiers();
        double[] boundaries = new double[tiers.size()];
        for (int k = 0; k < boundaries.length; k++) {
            // drift: a placeholder, replaced at every step by the baseline's rate + the margin
            boundaries[k] = drift ? 0.5 : tiers.get(k).burn() * (1 - def.target());
        }
        this.detector = new SequentialDetector(boundaries, rho, resolveNats);
    }

    public SequentialDetector detector() {
        return detector;
    }

    @Override
    public AlertOutcome decide(AlertInput in, AlertState state) {
        List<AlertEvent> transitions = new ArrayList<>(1);
        if (tiers.isEmpty()) {
            return new AlertOutcome(transitions, null);
        }
        DetectorState d = state.detector;
        if (d == null || !d.fits(detector.tiers(), detector.alternatives())) {
            d = detector.freshState();
            state.detector = d;
            adoptOpen(d, state, in.now());
        }
        WindowCounts total = in.total() == null ? WindowCounts.NONE : in.total();
        long n = total.n() - d.consumedN;
        long good = total.good() - d.consumedGood;
        if (n < 0 || good < 0 || good > n) {
            n = 0; // the counts restarted (state dropped and rebuilt): resynchronise, feed nothing
            good = 0;
        }
        d.consumedN = total.n();
        d.consumedGood = total.good();

        double h = budget.threshold(in.cohort(), detector.alternatives());
        double[] boundaries = null;
        if (drift) {
            // H0 of DESIGN §4: p_now − p_base ≤ margin; the 28-day baseline is taken as known
            WindowCounts base = in.windows().get(def.baseline());
            if (base == null || base.n() < def.minN()) {
                n = 0; // no baseline yet: nothing to test against (the counts are consumed)
                good = 0;
                boundaries = new double[] {0.5};
            } else {
                boundaries = new double[] {Math.min(0.99, Math.max(1e-6, base.bad() / (double) base.n() + def.factor()))};
            }
        }
        DetectorStep step = boundaries == null ? detector.step(d, in.now(), n, n - good, h)
                : detector.step(d, in.now(), n, n - good, h, boundaries);
        String highest = null;
        for (int k = 0; k < tiers.size(); k++) {
            BurnTier t = tiers.get(k);
            if (step.opened()[k]) {
                state.open.put(t.severity(), AlertState.NOT_RESOLVING);
                transitions.add(row(in, t, k, AlertEvent.FIRING, step, h));
            } else if (step.resolved()[k]) {
                state.open.remove(t.severity());
                transitions.add(row(in, t, k, AlertEvent.RESOLVED, step, h));
            }
            if (highest == null && state.open.containsKey(t.severity())) {
                highest = t.severity();
            }
        }
        int lowest = tiers.size() - 1;
        long opened = d.openedAt[lowest];
        AlertOutcome.Evidence ev = new AlertOutcome.Evidence(step.eValue(lowest), Math.exp(h),
                budget.seriesAlpha(in.cohort()), opened == DetectorState.CLOSED ? null : opened);
        return new AlertOutcome(transitions, highest, ev);
    }

    /** Alerts opened by another rule (state restored from before the detector) stay open until resolved. */
    private void adoptOpen(DetectorState d, AlertState state, long now) {
        for (int k = 0; k < tiers.size(); k++) {
            if (state.open.containsKey(tiers.get(k).severity())) {
                d.openedAt[k] = now;
                d.incidentRate[k] = detector.alternative(k, detector.alternatives() - 1);
            }
        }
    }

    private AlertEvent row(AlertInput in, BurnTier t, int k, String kind, DetectorStep step, double h) {
        WindowCounts lw = in.windows().get(t.longWindow());
        WindowCounts sw = t.shortWindow() == null ? null : in.windows().get(t.shortWindow());
        double allowed = Math.min(1.0, t.burn() * (1 - def.target()));
        Double burnLong = lw == null || drift ? null : SloStatistics.burnRate(lw.good(), lw.n(), def.target());
        Double burnShort = sw == null || drift ? null : SloStatistics.burnRate(sw.good(), sw.n(), def.target());
        Double p = drift ? (Double) in.pValue() : lw == null ? null : SloStatistics.pValueBadAbove(lw.bad(), lw.n(), allowed);
        DetectorState d = step.state();
        int i = k * detector.alternatives() + step.alternative()[k];
        Long changeAt = null;
        Double detectedBurn = null;
        Double excess = null;
        if (AlertEvent.FIRING.equals(kind) && d.runN[i] > 0) {
            changeAt = d.runStart[i] == DetectorState.CLOSED ? null : d.runStart[i];
            detectedBurn = drift ? null : d.runBad[i] / (double) d.runN[i] / (1 - def.target());
            excess = drift ? null : d.runBad[i] - detector.boundary(k) * d.runN[i];
        }
        return new AlertEvent(def.name(), in.cohort(), t.severity(), kind, in.now(), Durations.format(t.longWindow()),
                Durations.format(t.shortWindow()), burnLong, burnShort, p, lw == null ? 0 : lw.n(),
                step.eValue(k), Math.exp(h), changeAt, detectedBurn, excess, null);
    }
}
