package io.llmslo.bench;

import io.llmslo.bench.BenchTraffic.Series;
import io.llmslo.slo.AlertEvent;
import io.llmslo.slo.CohortObservation;
import io.llmslo.slo.SeriesState;
import io.llmslo.slo.SloCatalog;
import io.llmslo.slo.SloDefinition;
import io.llmslo.slo.SloEngine;
import io.llmslo.slo.TimeBuckets;
import io.llmslo.slo.alert.AlertInput;
import io.llmslo.slo.alert.AlertOutcome;
import io.llmslo.slo.alert.AlertPolicy;
import io.llmslo.slo.alert.AlertState;
import io.llmslo.slo.alert.BurnRateAlertPolicy;
import io.llmslo.slo.alert.SequentialAlertPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Drives every series of a scenario through the real {@link SloEngine} once, evaluating the four
 * alert rules side by side on the same window counts at every 5-minute step (the way
 * {@code SeriesDriver} and the job do: watermark 2 minutes behind the latest observation).
 */
final class DetectionBench {

    static final String[] RULES = {"naive (point estimate < target)", "workbook burn rate, no guards",
        "turn-1 rule (burn rate + guards)", "sequential detector"};
    static final int SEQUENTIAL = 3;
    static final long STEP = 5 * TimeBuckets.MINUTE;
    static final long LAG = 2 * TimeBuckets.MINUTE;

    /** A transition of one rule. */
    record Row(int rule, AlertEvent event) {}

    private DetectionBench() {}

    /**
     * Runs all series up to {@code end}. With {@code atTarget}, each observation's verdict is
     * redrawn as Bernoulli(target) (same traffic, every series exactly at its target).
     */
    static List<Row> run(Collection<Series> series, SloCatalog catalog, long end, boolean atTarget, long seed) {
        ConcurrentLinkedQueue<Row> rows = new ConcurrentLinkedQueue<>();
        series.parallelStream().forEach(s -> {
            try {
                runSeries(s, withoutQuantile(catalog.get(s.slo)), end, atTarget, seed, rows);
            } catch (Exception e) {
                throw new IllegalStateException(s.slo + "|" + s.cohort, e);
            }
        });
        return new ArrayList<>(rows);
    }

    private static void runSeries(Series s, SloDefinition def, long end, boolean atTarget, long seed,
            Collection<Row> rows) throws Exception {
        if (s.size == 0) {
            return;
        }
        SideBySide rules = new SideBySide(def, rows);
        SloEngine engine = new SloEngine(def, STEP, rules);
        SeriesState st = SeriesState.inMemory();
        SplittableRandom rnd = new SplittableRandom(seed ^ (s.slo + "|" + s.cohort).hashCode());
        String key = s.slo + "|" + s.cohort;
        long next = TimeBuckets.endOf(s.t[0], STEP);
        for (int i = 0; i < s.size; i++) {
            long watermark = s.t[i] - LAG;
            while (next <= watermark) {
                engine.evaluate(next, s.cohort, st);
                engine.prune(next, st);
                next += STEP;
            }
            boolean good = atTarget ? rnd.nextDouble() < def.target() : s.good[i];
            engine.add(new CohortObservation(key, s.slo, s.cohort, s.t[i], good, s.value[i]), st);
        }
        while (next <= end) {
            engine.evaluate(next, s.cohort, st);
            engine.prune(next, st);
            next += STEP;
        }
    }

    /**
     * The same SLO without its reported quantile: alerts read good/bad counts only, and merging
     * sketches at every step would dominate the bench's run time.
     */
    static SloDefinition withoutQuantile(SloDefinition d) {
        if (!d.hasQuantile()) {
            return d;
        }
        return new SloDefinition(d.name(), d.kind(), d.enabled(), d.target(), d.window(), d.threshold(),
                d.thresholdBySurface(), Double.NaN, d.factor(), d.baseline(), d.budgetPeriod(), d.tiers(),
                d.alertOnly(), d.minN(), d.alertMinN(), d.alpha());
    }

    /** The four rules on one series, each with its own alert state; the engine keeps the detector's. */
    static final class SideBySide implements AlertPolicy {
        private final AlertPolicy[] rules;
        private final AlertState[] states;
        private final Collection<Row> rows;

        SideBySide(SloDefinition def, Collection<Row> rows) {
            boolean drift = def.kind() == io.llmslo.slo.SloKind.REFUSAL_DRIFT;
            // refusal drift has no budget: no workbook rule (never alerts); its turn-1 rule is the breach ticket
            this.rules = new AlertPolicy[] {new NaiveAlertPolicy(def),
                drift ? (in, st) -> new AlertOutcome(List.of(), null) : new WorkbookAlertPolicy(def),
                drift ? new io.llmslo.slo.alert.BreachAlertPolicy(def) : new BurnRateAlertPolicy(def),
                new SequentialAlertPolicy(def)};
            this.states = new AlertState[] {new AlertState(), new AlertState(), new AlertState(), null};
            this.rows = rows;
        }

        @Override
        public AlertOutcome decide(AlertInput in, AlertState engineState) {
            states[SEQUENTIAL] = engineState;
            AlertOutcome seq = null;
            for (int r = 0; r < rules.length; r++) {
                AlertOutcome o = rules[r].decide(in, states[r]);
                for (AlertEvent e : o.transitions()) {
                    rows.add(new Row(r, e));
                }
                if (r == SEQUENTIAL) {
                    seq = o;
                }
            }
            return seq;
        }
    }

    /** The SLOs whose alert rule is compared: those with a budget and burn tiers, and refusal drift. */
    static List<String> budgetedSlos(SloCatalog catalog) {
        List<String> out = new ArrayList<>();
        for (SloDefinition d : catalog.all()) {
            boolean drift = d.kind() == io.llmslo.slo.SloKind.REFUSAL_DRIFT;
            if (d.enabled() && !d.alertOnly() && (drift || !d.tiers().isEmpty())
                    && !SloCatalog.JUDGE_HIGH.equals(d.name())) {
                out.add(d.name());
            }
        }
        return out;
    }
}
