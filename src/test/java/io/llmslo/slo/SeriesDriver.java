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
    final BucketStore minutes = BucketStore.inMemory();
    final BucketStore hours = BucketStore.inMemory();
    final BucketStore checkpoints = BucketStore.inMemory();
    final Cumulative cum = new Cumulative();
    final SketchCache cache = new SketchCache();
    final TailBaseline tail = new TailBaseline();
    final AlertState firing = new AlertState();
    final List<AlertEvent> transitions = new ArrayList<>();
    final List<SloStatus> statuses = new ArrayList<>();
    long nextEval = Long.MIN_VALUE;

    SeriesDriver(SloDefinition def) {
        engine = new SloEngine(def);
    }

    void add(long t, boolean good) throws Exception {
        add(t, good, Double.NaN);
    }

    void add(long t, boolean good, double value) throws Exception {
        advanceTo(t - LAG);
        engine.add(new CohortObservation("k", engine.definition().name(), "*", t, good, value),
                minutes, hours, checkpoints, cum, tail);
        if (nextEval == Long.MIN_VALUE) {
            nextEval = TimeBuckets.endOf(t, STEP);
        }
    }

    void advanceTo(long watermark) throws Exception {
        while (nextEval != Long.MIN_VALUE && nextEval <= watermark) {
            statuses.add(engine.evaluate(nextEval, "*", minutes, hours, checkpoints, cum, tail, cache, firing, transitions));
            engine.prune(nextEval, minutes, hours, checkpoints, cum);
            nextEval += STEP;
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
