package io.llmslo.slo;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Drives one (slo, cohort) series through {@link SloEngine} the way {@link SloEvaluatorFunction}
 * does: evaluation at every 5-minute boundary the watermark passes (watermark = latest
 * observation − 2 min), pruning after each; records every status and alert transition.
 */
final class SeriesDriver {

    static final long STEP = 5 * TimeBuckets.MINUTE;
    static final long LAG = 2 * TimeBuckets.MINUTE;

    final SloEngine engine;
    final SeriesState state = SeriesState.inMemory();
    final List<AlertEvent> transitions = new ArrayList<>();
    final List<SloStatus> statuses = new ArrayList<>();
    long nextEval = Long.MIN_VALUE;
    final long step;

    SeriesDriver(SloDefinition def) {
        this(def, STEP);
    }

    /** Evaluating every {@code step} (a history interval other than 5 minutes). */
    SeriesDriver(SloDefinition def, long step) {
        this.step = step;
        engine = new SloEngine(def, step);
    }

    SeriesDriver(SloDefinition def, io.llmslo.slo.alert.AlertPolicy policy) {
        step = STEP;
        engine = new SloEngine(def, STEP, policy);
    }

    /** The turn-1 multi-window burn-rate rule with its guards, as the job used before the detector. */
    static SeriesDriver burnRate(SloDefinition def) {
        return new SeriesDriver(def, new io.llmslo.slo.alert.BurnRateAlertPolicy(def));
    }

    void add(long t, boolean good) throws Exception {
        add(t, good, Double.NaN);
    }

    void add(long t, boolean good, double value) throws Exception {
        advanceTo(t - LAG);
        engine.add(new CohortObservation("k", engine.definition().name(), "*", t, good, value), state);
        if (nextEval == Long.MIN_VALUE) {
            nextEval = TimeBuckets.endOf(t, step);
        }
    }

    void advanceTo(long watermark) throws Exception {
        while (nextEval != Long.MIN_VALUE && nextEval <= watermark) {
            SloEngine.Evaluation e = engine.evaluate(nextEval, "*", state);
            statuses.add(e.status());
            transitions.addAll(e.transitions());
            engine.prune(nextEval, state);
            nextEval += step;
        }
    }

    SloStatus last() {
        return statuses.get(statuses.size() - 1);
    }

    SloStatus at(long evalTime) {
        return statuses.stream().filter(s -> s.evalTime() == evalTime).findFirst().orElseThrow();
    }

    List<AlertEvent> transitions(String severity) {
        return transitions.stream().filter(a -> a.severity().equals(severity)).toList();
    }
}
