package io.llmslo.slo;

import io.llmslo.event.Attempt;
import io.llmslo.event.Dimensions;
import io.llmslo.event.ResponseEvent;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns a response into the observations that are known at its arrival (availability, latency,
 * cost, refusal), following the valid-event rules of DESIGN §3. Acceptance, human and judge
 * observations come later from the joiner and the judge.
 */
public final class ObservationFactory implements Serializable {

    private final SloCatalog catalog;

    public ObservationFactory(SloCatalog catalog) {
        this.catalog = catalog;
    }

    public void onResponse(ResponseEvent r, Map<String, String> dims, Consumer<Observation> out) {
        long t = r.ts();
        emitRatio(SloCatalog.SUCCESS, t, dims, r.success(), out);
        if (r.attempts() != null && catalog.enabled(SloCatalog.PROVIDER_SUCCESS)) {
            for (Attempt a : r.attempts()) {
                if (a == null || a.provider() == null) {
                    continue;
                }
                // availability per provider: the cohort is the attempt's provider, not the request's
                HashMap<String, String> attemptDims = new HashMap<>(dims);
                attemptDims.put("provider", a.provider());
                out.accept(Observation.ratio(SloCatalog.PROVIDER_SUCCESS, t, attemptDims, a.success()));
            }
        }
        if (r.failover() != null && r.failover().used() && r.failover().ms() != null) {
            emitThreshold(SloCatalog.FAILOVER, t, dims, r.surface(), r.failover().ms(), out);
        }
        if (r.costUsd() != null) {
            emitThreshold(SloCatalog.COST, t, dims, r.surface(), r.costUsd(), out);
            emitThreshold(SloCatalog.COST_P99, t, dims, r.surface(), r.costUsd(), out);
            if (catalog.enabled(SloCatalog.COST_TAIL)) {
                // good/bad needs the cohort's trailing median: decided per cohort by the evaluator
                out.accept(new Observation(SloCatalog.COST_TAIL, t, dims, true, r.costUsd()));
            }
        }
        if (!r.success()) {
            return;
        }
        emitRatio(SloCatalog.REFUSAL_DRIFT, t, dims, !r.refused(), out);
        if (r.ttftMs() != null) {
            emitThreshold(SloCatalog.TTFT, t, dims, r.surface(), r.ttftMs(), out);
        }
        if (r.totalMs() != null) {
            emitThreshold(SloCatalog.TOTAL, t, dims, r.surface(), r.totalMs(), out);
        }
        List<Double> turns = r.turnMs();
        if (turns != null) {
            for (Double turn : turns) {
                if (turn != null) {
                    emitThreshold(SloCatalog.TURN, t, dims, r.surface(), turn, out);
                }
            }
        }
    }

    public static Map<String, String> dims(ResponseEvent r) {
        return Dimensions.of(r);
    }

    /** Whether acceptance is an enabled SLO (the joiner keeps no window open otherwise). */
    public boolean countsAcceptance() {
        return catalog.enabled(SloCatalog.ACCEPTANCE);
    }

    public Observation acceptance(long t, Map<String, String> dims, boolean accepted) {
        return catalog.enabled(SloCatalog.ACCEPTANCE)
                ? Observation.ratio(SloCatalog.ACCEPTANCE, t, dims, accepted)
                : null;
    }

    public Observation humanUseful(long t, Map<String, String> dims, boolean useful) {
        return catalog.enabled(SloCatalog.HUMAN_USEFUL)
                ? Observation.ratio(SloCatalog.HUMAN_USEFUL, t, dims, useful)
                : null;
    }

    public Observation judgeHigh(long t, Map<String, String> dims, boolean high) {
        return catalog.enabled(SloCatalog.JUDGE_HIGH)
                ? Observation.ratio(SloCatalog.JUDGE_HIGH, t, dims, high)
                : null;
    }

    /**
     * A judged request that a person rated: a {@code quality.judge_high} observation at the
     * rating's time carrying the human's verdict as {@code good} and the judge's pass with the
     * rating's weight as value ({@link JudgeCorrection#pairValue}); it feeds the correction only.
     */
    public Observation judgePair(long t, Map<String, String> dims, boolean humanUseful, boolean judgePass,
            double weight) {
        return catalog.enabled(SloCatalog.JUDGE_HIGH)
                ? new Observation(SloCatalog.JUDGE_HIGH, t, dims, humanUseful, JudgeCorrection.pairValue(judgePass, weight))
                : null;
    }

    private void emitRatio(String slo, long t, Map<String, String> dims, boolean good,
            Consumer<Observation> out) {
        if (catalog.enabled(slo)) {
            out.accept(Observation.ratio(slo, t, dims, good));
        }
    }

    private void emitThreshold(String slo, long t, Map<String, String> dims, String surface,
            double value, Consumer<Observation> out) {
        SloDefinition d = catalog.get(slo);
        if (d == null || !d.enabled()) {
            return;
        }
        double threshold = d.thresholdFor(surface);
        out.accept(new Observation(slo, t, dims, value <= threshold, value));
    }
}
