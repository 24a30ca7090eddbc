package io.llmslo.slo;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.slo.EvaluatorBroadcast.PooledPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.Test;

/**
 * The evaluator's rows do not depend on how far ahead of the watermark its partials arrive
 * (DESIGN §7b: a bounded replay reads ahead, a live job does not; the processing-time order of
 * sources must not change a table). Sparse random series with gaps longer than the window — the
 * case where the evaluator jumps over empty stretches — are fed three ways: each partial just
 * before the watermark passes its minute, every partial before the first watermark, and at a
 * random read-ahead depth; the rows must be equal. The expected value is the in-time run itself:
 * there, no evaluation can see data of a later minute.
 */
class ReadAheadEquivalenceTest {

    static final long T0 = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
    static final long MIN = TimeBuckets.MINUTE;

    /** The partials of one observation in arrival order, as the local aggregation folds them. */
    record Arrival(long minuteEnd, List<PartialBatch> batches) {}

    static final CohortKeys COHORTS = new CohortKeys(List.of(List.of("surface")));
    static final Map<String, String> RAG = Map.of("surface", "rag");

    static List<Arrival> sparseSeries(long seed, boolean judge) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Arrival> out = new ArrayList<>();
        long m = T0 + (1 + rnd.nextInt(30)) * MIN;
        for (int i = 0; i < 40; i++) {
            // gaps from a minute to ~4 window lengths: some inside the 1 h window, many across it
            m += (1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 240 : 40)) * MIN;
            long t = m - 1 - rnd.nextInt(59_000);
            Observation o;
            if (judge && rnd.nextInt(3) == 0) {
                // a judged request a person rated: a pair of the judge correction, not in n
                o = new Observation(SloCatalog.JUDGE_HIGH, t, RAG, rnd.nextBoolean(),
                        JudgeCorrection.pairValue(rnd.nextBoolean(), 1.0));
            } else {
                o = Observation.ratio(judge ? SloCatalog.JUDGE_HIGH : SloCatalog.SUCCESS, t, RAG, rnd.nextBoolean());
            }
            // the production fold (PartialBuckets), one observation at a time
            PartialBuckets fold = new PartialBuckets(COHORTS, Set.of(), 1000, 5 * MIN);
            fold.add(o);
            List<PartialBatch> batches = new ArrayList<>();
            fold.flushAll(batches::add);
            out.add(new Arrival(m, batches));
        }
        return out;
    }

    /** Feeds the arrivals, each {@code depth(i)} partials ahead of the watermark; returns the rows. */
    static List<SloStatus> run(List<Arrival> arrivals, java.util.function.IntUnaryOperator depth) throws Exception {
        SloCatalog catalog = SloEvaluatorFunctionTest.catalog("availability.success: {window: 1h}",
                "quality.judge_high: {window: 1h}");
        SloEvaluatorFunction fn = new SloEvaluatorFunction(catalog, Duration.ofMinutes(5),
                new JudgeCorrection(3, Duration.ofHours(3), 0.5));
        try (KeyedBroadcastOperatorTestHarness<String, PartialBatch, Either<Long, PooledPair>, SloStatus> h =
                SloEvaluatorFunctionTest.harness(fn)) {
            int sent = 0;
            for (int i = 0; i < arrivals.size(); i++) {
                // everything up to i + depth is in before the watermark passes arrival i's minute
                int upTo = Math.min(arrivals.size(), i + 1 + depth.applyAsInt(i));
                for (; sent < upTo; sent++) {
                    for (PartialBatch b : arrivals.get(sent).batches()) {
                        h.processElement(b, T0);
                    }
                }
                long wm = arrivals.get(i).minuteEnd() - 1;
                h.processWatermark(wm);
                h.processBroadcastWatermark(wm);
            }
            long end = arrivals.get(arrivals.size() - 1).minuteEnd() + 6 * 60 * MIN;
            h.processWatermark(end);
            h.processBroadcastWatermark(end);
            return h.extractOutputValues();
        }
    }

    static void assertSameRowsHoweverFarAhead(boolean judge) throws Exception {
        for (long seed = 1; seed <= 30; seed++) {
            List<Arrival> arrivals = sparseSeries(seed, judge);
            List<SloStatus> inTime = run(arrivals, i -> 0);
            assertThat(inTime).as("seed %d: the in-time run evaluates", seed).isNotEmpty();
            List<SloStatus> allAhead = run(arrivals, i -> arrivals.size());
            SplittableRandom rnd = new SplittableRandom(seed * 31);
            int[] depths = rnd.ints(arrivals.size(), 0, 6).toArray();
            List<SloStatus> someAhead = run(arrivals, i -> depths[i]);
            assertThat(compact(allAhead)).as("seed %d, every partial read ahead", seed).isEqualTo(compact(inTime));
            assertThat(allAhead).as("seed %d, every partial read ahead", seed).isEqualTo(inTime);
            assertThat(someAhead).as("seed %d, random read-ahead depth", seed).isEqualTo(inTime);
        }
    }

    static List<String> compact(List<SloStatus> rows) {
        return rows.stream().map(r -> (r.evalTime() - T0) / MIN + ":" + r.n() + "/" + (r.judge() == null ? "-" : r.judge().pairs())).toList();
    }

    @Test
    void availabilityRowsDoNotDependOnReadAhead() throws Exception {
        assertSameRowsHoweverFarAhead(false);
    }

    @Test
    void judgeRowsWithPairsDoNotDependOnReadAhead() throws Exception {
        assertSameRowsHoweverFarAhead(true);
    }
}
