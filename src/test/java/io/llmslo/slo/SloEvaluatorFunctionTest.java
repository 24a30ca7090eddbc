package io.llmslo.slo;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.config.JobConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import io.llmslo.slo.EvaluatorBroadcast.PooledPair;
import org.apache.flink.types.Either;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The keyed evaluator over partial buckets, in event time with every watermark pushed by hand.
 * The SLO under test has a 1 h window so a series goes idle within the test.
 */
class SloEvaluatorFunctionTest {

    static final long T0 = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
    static final long MIN = TimeBuckets.MINUTE;
    static final String KEY = SloCatalog.SUCCESS + "|*";

    static PartialBatch partial(long minuteEnd, long n, long good) {
        return PartialBatch.of(new PartialBucket(KEY, SloCatalog.SUCCESS, "*", minuteEnd, n, good, minuteEnd - 1, null));
    }

    /** A catalog of these SLO definitions (one YAML mapping each, e.g. {@code "availability.success: {window: 1h}"}). */
    static SloCatalog catalog(String... definitions) {
        StringBuilder yaml = new StringBuilder("""
                sources: {type: files, responses: r.jsonl}
                output: {jdbc_url: "jdbc:sqlite:x.db"}
                slo:
                  definitions:
                """);
        for (String d : definitions) {
            yaml.append("    ").append(d).append('\n');
        }
        return JobConfig.parse("job.yaml", yaml.toString()).slo;
    }

    /** The evaluator keyed by series, with both broadcast states (job progress, pooled pairs). */
    static KeyedBroadcastOperatorTestHarness<String, PartialBatch, Either<Long, PooledPair>, SloStatus> harness(
            SloEvaluatorFunction fn) throws Exception {
        return harness(fn, null, false);
    }

    /**
     * The evaluator as the job runs it ({@link SloEvaluatorOperator}: its series' values kept on
     * the heap, written back before each snapshot), restored from {@code snapshot} unless null.
     */
    static KeyedBroadcastOperatorTestHarness<String, PartialBatch, Either<Long, PooledPair>, SloStatus> harness(
            SloEvaluatorFunction fn, org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot, boolean rocksDb)
            throws Exception {
        KeyedBroadcastOperatorTestHarness<String, PartialBatch, Either<Long, PooledPair>, SloStatus> h =
                new KeyedBroadcastOperatorTestHarness<>(new SloEvaluatorOperator(fn), PartialBatch::key, Types.STRING,
                        1, 1, 0);
        if (rocksDb) {
            // copies on every read: a value or bucket kept on the heap must equal what state holds
            h.setStateBackend(new org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend());
        }
        h.setup();
        if (snapshot != null) {
            h.initializeState(snapshot);
        }
        h.open();
        return h;
    }

    /** Both inputs (partials and the progress broadcast) move: the operator's event time is their minimum. */
    static void watermark(KeyedBroadcastOperatorTestHarness<String, PartialBatch, Either<Long, PooledPair>, SloStatus> h, long t)
            throws Exception {
        h.processWatermark(t);
        h.processBroadcastWatermark(t);
    }

    @Test
    void lateValuesReachingAnIdleSeriesDoNotReEvaluatePastInstants() throws Exception {
        SloCatalog catalog = catalog("availability.success: {window: 1h}");
        SloEvaluatorFunction fn = new SloEvaluatorFunction(catalog, Duration.ofMinutes(5));
        try (KeyedBroadcastOperatorTestHarness<String, PartialBatch, Either<Long, PooledPair>, SloStatus> h =
                harness(fn)) {
            h.processElement(partial(T0 + MIN, 1, 1), T0);
            h.processElement(partial(T0 + 40 * MIN, 1, 1), T0);
            // evaluated every 5 minutes while the 1 h window holds the observation of minute 40:
            // 5, 10, …, 95 (at 100 the window (40m, 100m] is empty)
            watermark(h, T0 + 100 * MIN);
            List<SloStatus> before = h.extractOutputValues();
            assertThat(before).extracting(SloStatus::evalTime).endsWith(T0 + 95 * MIN).hasSize(19);
            assertThat(h.numEventTimeTimers()).as("only the cleanup timer of the idle series").isEqualTo(1);

            // a late value for minute 20 (allowed lateness): instants up to 95 were evaluated
            // already; the window at the next boundary (100 m) does not hold it
            h.processElement(partial(T0 + 20 * MIN, 1, 0), T0 + 100 * MIN);
            watermark(h, T0 + 200 * MIN);
            assertThat(h.extractOutputValues()).hasSize(before.size()); // nothing re-evaluated
            assertThat(h.numEventTimeTimers()).as("the cleanup timer is armed again").isEqualTo(1);

            // and the series' cleanup timer fires once its retention has passed
            watermark(h, T0 + 60L * 24 * 60 * MIN);
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aReplayThatReadsPastAGapOfYearsEvaluatesOnlyInstantsWhoseWindowHoldsData() throws Exception {
        SloCatalog catalog = catalog("availability.success: {window: 1h}");
        SloEvaluatorFunction fn = new SloEvaluatorFunction(catalog, Duration.ofMinutes(5));
        long later = T0 + 5L * 365 * 24 * 60 * MIN; // five years on
        try (KeyedBroadcastOperatorTestHarness<String, PartialBatch, Either<Long, PooledPair>, SloStatus> h =
                harness(fn)) {
            // both partials are in state before the watermark moves (a bounded replay reads ahead)
            h.processElement(partial(T0 + MIN, 1, 1), T0);
            h.processElement(partial(later + MIN, 1, 0), T0);
            watermark(h, later + 100 * MIN);
            List<SloStatus> rows = h.extractOutputValues();
            // 5, 10, …, 60 (the 1 h window holds minute 1 until 60), then the instant where the
            // window is empty, then later+5 … later+60: not one row per 5 minutes of the 5 years
            assertThat(rows).hasSizeLessThanOrEqualTo(2 * 12 + 2);
            assertThat(rows).extracting(SloStatus::evalTime).contains(T0 + 5 * MIN, later + 5 * MIN, later + 60 * MIN);
            assertThat(rows).filteredOn(r -> r.evalTime() > T0 + 65 * MIN && r.evalTime() < later).isEmpty();
            assertThat(rows).filteredOn(r -> r.evalTime() == later + 5 * MIN).extracting(SloStatus::n).containsExactly(1L);
        }
    }

    /** An outage (every request failing for 30 min) then silence for {@code gap}; returns the rows. */
    static List<SloStatus> outageThenSilence(long gap, boolean readAhead) throws Exception {
        SloCatalog catalog = catalog("availability.success: {window: 1h}");
        SloEvaluatorFunction fn = new SloEvaluatorFunction(catalog, Duration.ofMinutes(5));
        try (KeyedBroadcastOperatorTestHarness<String, PartialBatch, Either<Long, PooledPair>, SloStatus> h =
                harness(fn)) {
            long resume = T0 + 30 * MIN + gap;
            for (int m = 1; m <= 30; m++) {
                h.processElement(partial(T0 + m * MIN, 100, 0), T0);
            }
            if (readAhead) {
                h.processElement(partial(resume + MIN, 100, 100), T0);
            }
            watermark(h, T0 + 60 * MIN);
            assertThat(h.getSideOutput(SloEvaluatorFunction.ALERTS)).as("the outage opened an alert").isNotEmpty();
            watermark(h, resume);
            if (!readAhead) {
                h.processElement(partial(resume + MIN, 100, 100), resume);
            }
            watermark(h, resume + 30 * MIN);
            assertThat(h.extractOutputValues()).as("evaluation resumes with the data after the gap")
                    .anyMatch(r -> r.evalTime() == resume + 5 * MIN && r.n() == 100);
            assertThat(h.numEventTimeTimers()).as("the series still steps with its alert open").isEqualTo(1);
            return h.extractOutputValues();
        }
    }

    @Test
    void anOpenAlertAcrossAGapOfYearsCostsABoundedNumberOfSteps() throws Exception {
        long day = 24 * 60 * MIN;
        for (boolean readAhead : new boolean[] {false, true}) {
            List<SloStatus> months = outageThenSilence(60 * day, readAhead);
            List<SloStatus> years = outageThenSilence(5 * 365 * day, readAhead);
            // rows while data leaves the windows the evaluation reads (the 30-day budget: its
            // retention of 30 d + 1 h at 5 min steps), then none until the data after the gap:
            // five years cost as many steps as two months, not 525 600 of them
            long retentionSteps = (30 * day + 60 * MIN) / (5 * MIN);
            assertThat(years).as("readAhead=" + readAhead).hasSize(months.size());
            assertThat(years.size()).isLessThanOrEqualTo((int) retentionSteps + 12 + 6 + 2);
            assertThat(years).filteredOn(r -> r.evalTime() > T0 + 31 * day && r.evalTime() < T0 + 5 * 365 * day)
                    .isEmpty();
            List<SloStatus> beforeGapEnd = years.stream().filter(r -> r.evalTime() < T0 + 31 * day).toList();
            assertThat(beforeGapEnd.get(beforeGapEnd.size() - 1).alert()).as("the alert stayed open").isNotNull();
        }
    }

    static final String SMALL = SloCatalog.JUDGE_HIGH + "|surface=small";
    /** Pooled pairs (all the job's traffic) at these minutes; the small cohort has no pairs of its own. */
    static final long[] PAIR_MINUTES = {3, 7, 9, 14, 22};

    /** (human useful, judge passed): 3 (1, 1), 7 (1, 0), 9 (0, 0), 14 (1, 1), 22 (0, 1). */
    static Either<Long, PooledPair> pooledPair(long minute) {
        boolean useful = minute != 9 && minute != 22;
        boolean pass = minute == 3 || minute == 14 || minute == 22;
        return EvaluatorBroadcast.pooled(T0 + minute * MIN, new io.llmslo.ppi.PpiMoments().addPair(useful, pass, 1.0));
    }

    /** The small cohort's judged requests: one a minute for 30 minutes, every other one passed. */
    static void judged(KeyedBroadcastOperatorTestHarness<String, PartialBatch, Either<Long, PooledPair>, SloStatus> h)
            throws Exception {
        for (long m = 1; m <= 30; m++) {
            h.processElement(PartialBatch.of(new PartialBucket(SMALL, SloCatalog.JUDGE_HIGH, "surface=small",
                    T0 + m * MIN, 1, m % 2, T0 + m * MIN - 1, null)), T0 + m * MIN - 1);
        }
    }

    interface Arrival {
        void run(KeyedBroadcastOperatorTestHarness<String, PartialBatch, Either<Long, PooledPair>, SloStatus> h)
                throws Exception;
    }

    static List<SloStatus> pooledRun(Arrival arrival) throws Exception {
        SloCatalog catalog = catalog("quality.judge_high: {window: 1h}");
        SloEvaluatorFunction fn = new SloEvaluatorFunction(catalog, Duration.ofMinutes(5),
                new JudgeCorrection(3, Duration.ofHours(3), 0.5));
        try (KeyedBroadcastOperatorTestHarness<String, PartialBatch, Either<Long, PooledPair>, SloStatus> h =
                harness(fn)) {
            arrival.run(h);
            watermark(h, T0 + 40 * MIN);
            return h.extractOutputValues().stream().filter(r -> r.evalTime() <= T0 + 30 * MIN).toList();
        }
    }

    /**
     * The pooled scope is deterministic: the evaluation at t sees exactly the pooled pairs with
     * time ≤ t, whether the pairs came before the partials, after them, out of order, or read
     * ahead of t; a broadcast watermark that lags holds the evaluation back until its pairs are in.
     */
    @Test
    void anEvaluationSeesExactlyThePooledPairsUpToItsInstantWhateverTheArrivalOrder() throws Exception {
        // all pairs first (the minute-22 one read far ahead), then the partials
        List<SloStatus> pairsFirst = pooledRun(h -> {
            for (long m : PAIR_MINUTES) {
                h.processBroadcastElement(pooledPair(m), T0);
            }
            judged(h);
        });
        // partials first, each pair just before the watermarks pass its minute, in reverse order within a step
        List<SloStatus> justInTime = pooledRun(h -> {
            judged(h);
            watermark(h, T0 + 2 * MIN);
            h.processBroadcastElement(pooledPair(7), T0 + 7 * MIN);
            h.processBroadcastElement(pooledPair(3), T0 + 3 * MIN);
            watermark(h, T0 + 6 * MIN);
            h.processBroadcastElement(pooledPair(14), T0 + 14 * MIN);
            h.processBroadcastElement(pooledPair(9), T0 + 9 * MIN);
            watermark(h, T0 + 13 * MIN);
            h.processBroadcastElement(pooledPair(22), T0 + 22 * MIN);
        });
        // the keyed input runs ahead; the broadcast input's watermark (pairs still to come) holds event time
        List<SloStatus> broadcastLags = pooledRun(h -> {
            judged(h);
            h.processBroadcastElement(pooledPair(3), T0 + 3 * MIN);
            h.processWatermark(T0 + 40 * MIN);
            h.processBroadcastWatermark(T0 + 8 * MIN);
            assertThat(h.extractOutputValues()).extracting(SloStatus::evalTime).containsExactly(T0 + 5 * MIN);
            h.processBroadcastElement(pooledPair(9), T0 + 9 * MIN);
            h.processBroadcastElement(pooledPair(7), T0 + 7 * MIN); // a late pair: counts from 10 on
            h.processBroadcastElement(pooledPair(22), T0 + 22 * MIN);
            h.processBroadcastElement(pooledPair(14), T0 + 14 * MIN);
        });

        // instant → pairs with minute ≤ instant: 5 → 1 (too few: none), 10 → 3, 15 → 4, 20 → 4, 25 → 5
        assertThat(pairsFirst).extracting(SloStatus::evalTime)
                .containsExactly(T0 + 5 * MIN, T0 + 10 * MIN, T0 + 15 * MIN, T0 + 20 * MIN, T0 + 25 * MIN, T0 + 30 * MIN);
        assertThat(pairsFirst).extracting(r -> r.judge().scope()).containsExactly(null,
                JudgeCorrection.SCOPE_POOLED, JudgeCorrection.SCOPE_POOLED, JudgeCorrection.SCOPE_POOLED,
                JudgeCorrection.SCOPE_POOLED, JudgeCorrection.SCOPE_POOLED);
        assertThat(pairsFirst).extracting(r -> r.judge().calibrationPairs()).containsExactly(0L, 3L, 4L, 4L, 5L, 5L);
        // at 10: pairs 3, 7, 9: a = P(pass | useful) = 1/2, b = P(pass | not) = 0; judged 10 of which
        // 5 passed: θ = (q − b) / (a − b) = (1/2 − 0) / (1/2) = 1; at 15 (pair 14 in): a = 2/3, q = 8/15
        assertThat(pairsFirst.get(1).judge().corrected()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(pairsFirst.get(2).judge().corrected())
                .isCloseTo((8 / 15.0) / (2 / 3.0), org.assertj.core.api.Assertions.within(1e-12));
        assertThat(justInTime).isEqualTo(pairsFirst);
        assertThat(broadcastLags).isEqualTo(pairsFirst);
    }

    /** Pooled pairs live in broadcast state: a restored subtask evaluates with them. */
    @Test
    void pooledPairsSurviveARestoreFromACheckpoint() throws Exception {
        SloCatalog catalog = catalog("quality.judge_high: {window: 1h}");
        JudgeCorrection correction = new JudgeCorrection(3, Duration.ofHours(3), 0.5);
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
        try (KeyedBroadcastOperatorTestHarness<String, PartialBatch, Either<Long, PooledPair>, SloStatus> h =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new SloEvaluatorFunction(catalog, Duration.ofMinutes(5), correction), PartialBatch::key,
                        Types.STRING, SloEvaluatorFunction.PROGRESS, SloEvaluatorFunction.POOLED)) {
            for (long m : PAIR_MINUTES) {
                h.processBroadcastElement(pooledPair(m), T0);
            }
            snapshot = h.snapshot(1, T0);
        }
        try (KeyedBroadcastOperatorTestHarness<String, PartialBatch, Either<Long, PooledPair>, SloStatus> h =
                new KeyedBroadcastOperatorTestHarness<>(new org.apache.flink.streaming.api.operators.co
                        .CoBroadcastWithKeyedOperator<>(new SloEvaluatorFunction(catalog, Duration.ofMinutes(5),
                                correction), List.of(SloEvaluatorFunction.PROGRESS, SloEvaluatorFunction.POOLED)),
                        PartialBatch::key, Types.STRING, 1, 1, 0)) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            judged(h);
            watermark(h, T0 + 30 * MIN);
            assertThat(h.extractOutputValues()).extracting(r -> r.judge().calibrationPairs())
                    .containsExactly(0L, 3L, 4L, 4L, 5L, 5L);
        }
    }

    /**
     * The evaluator's batch merge (one bookkeeping read/write and one hour update per batch) gives
     * the rows that the same minutes sent one by one give: the same observations through the local
     * aggregation per minute and per 5-minute interval, for a ratio, a quantile and a tail SLO over
     * three hours, with a late batch of two minutes (allowed lateness) after an hour closed.
     */
    @Test
    void batchesOfAnIntervalsMinutesGiveTheRowsOfTheirMinutesOneByOne() throws Exception {
        assertThat(rowsOf(TimeBuckets.MINUTE)).isNotEmpty().isEqualTo(rowsOf(5 * MIN));
    }

    static List<SloStatus> rowsOf(long batchInterval) throws Exception {
        SloCatalog catalog = SloCatalog.defaults();
        CohortKeys keys = new CohortKeys(List.of(List.of("surface")));
        PartialBuckets local = new PartialBuckets(keys, catalog.sketched(), 1_000_000, batchInterval);
        java.util.Random random = new java.util.Random(11);
        java.util.Map<String, String> chat = java.util.Map.of("surface", "chat");
        SloEvaluatorFunction fn = new SloEvaluatorFunction(catalog, Duration.ofMinutes(5));
        try (KeyedBroadcastOperatorTestHarness<String, PartialBatch, Either<Long, PooledPair>, SloStatus> h =
                harness(fn)) {
            java.util.function.Consumer<PartialBatch> send = b -> {
                try {
                    h.processElement(b, b.firstMinute());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            for (long m = 1; m <= 180; m++) {
                int n = m % 7 == 0 ? 0 : 1 + random.nextInt(4); // some minutes empty
                for (int i = 0; i < n; i++) {
                    long t = T0 + (m - 1) * MIN + 1 + random.nextInt(59_000);
                    local.add(Observation.ratio(SloCatalog.SUCCESS, t, chat, random.nextInt(10) > 0));
                    double ttft = 100 + random.nextInt(900);
                    local.add(new Observation(SloCatalog.TTFT, t, chat, ttft < 800, ttft));
                    local.add(new Observation(SloCatalog.COST_TAIL, t, chat, true, 0.001 * (1 + random.nextInt(50))));
                }
                if (m == 75) {
                    // late: minutes 12 and 13, evaluated long ago, in one interval
                    for (long late : new long[] {12, 13}) {
                        long t = T0 + (late - 1) * MIN + 5;
                        local.add(Observation.ratio(SloCatalog.SUCCESS, t, chat, false));
                        local.add(new Observation(SloCatalog.TTFT, t, chat, false, 2_000));
                        local.add(new Observation(SloCatalog.COST_TAIL, t, chat, true, 5.0));
                    }
                }
                local.flushUpTo(T0 + m * MIN, send);
                watermark(h, T0 + m * MIN);
            }
            return h.extractOutputValues();
        }
    }

    /**
     * The series' values live on the heap between barriers ({@link SloEvaluatorOperator},
     * {@link SeriesValues}): a snapshot taken mid-stream, with changes no state write has seen yet
     * (nothing is written before the first barrier), restores into a new instance whose rows and
     * alerts are those of the uninterrupted run. Snapshots before, inside and after an outage (an
     * alert open, its state changing), over ratio, quantile and tail series in two cohorts, with
     * the default bound and with a bound of two series (entries evicted and written back under
     * their own key all along), on the heap backend and on RocksDB (whose reads are copies: the
     * values and buckets kept on the heap must be what state holds).
     */
    @Test
    void aSnapshotWithValuesOnlyOnTheHeapRestoresToTheRowsOfAnUninterruptedRun() throws Exception {
        Run whole = restoredRun(-1, SeriesValues.DEFAULT_CAPACITY, false);
        assertThat(whole.rows()).hasSizeGreaterThan(100);
        assertThat(whole.alerts()).as("the outage opens and resolves alerts").hasSizeGreaterThanOrEqualTo(2);
        for (boolean rocksDb : new boolean[] {false, true}) {
            assertThat(restoredRun(-1, SeriesValues.DEFAULT_CAPACITY, rocksDb)).as("rocksDb=%s", rocksDb)
                    .isEqualTo(whole);
            for (int capacity : new int[] {SeriesValues.DEFAULT_CAPACITY, 2}) {
                for (int at : rocksDb ? new int[] {117} : new int[] {33, 112, 117, 152}) {
                    Run restored = restoredRun(at, capacity, rocksDb);
                    String as = String.format("snapshot at minute %d, %d series kept, rocksDb=%s", at, capacity, rocksDb);
                    assertThat(restored.rows()).as(as).isEqualTo(whole.rows());
                    assertThat(restored.alerts()).as(as).isEqualTo(whole.alerts());
                }
            }
        }
    }

    /** Rows and alerts in (instant, series) order: timers of one instant fire in key order, which differs by backend. */
    record Run(List<SloStatus> rows, List<AlertEvent> alerts) {
        Run {
            rows = rows.stream().sorted(java.util.Comparator.comparing(SloStatus::evalTime)
                    .thenComparing(SloStatus::slo).thenComparing(SloStatus::cohort)).toList();
            alerts = alerts.stream().sorted(java.util.Comparator.comparing(AlertEvent::at).thenComparing(AlertEvent::slo)
                    .thenComparing(AlertEvent::cohort).thenComparing(AlertEvent::severity)
                    .thenComparing(AlertEvent::state)).toList();
        }
    }

    /**
     * Three hours of two cohorts (an outage of the rag cohort in minutes 100–130, a late batch at
     * 75); at minute {@code snapshotAt} (none for −1) the barrier and snapshot as the runtime makes
     * them, then the rest through a new evaluator restored from it.
     */
    static Run restoredRun(int snapshotAt, int capacity, boolean rocksDb) throws Exception {
        SloCatalog catalog = SloCatalog.defaults();
        CohortKeys keys = new CohortKeys(List.of(List.of("surface")));
        PartialBuckets local = new PartialBuckets(keys, catalog.sketched(), 1_000_000, 5 * MIN);
        java.util.Random random = new java.util.Random(5);
        List<SloStatus> rows = new java.util.ArrayList<>();
        List<AlertEvent> alerts = new java.util.ArrayList<>();
        SloEvaluatorFunction fn = new SloEvaluatorFunction(catalog, Duration.ofMinutes(5)).withValueCapacity(capacity);
        KeyedBroadcastOperatorTestHarness<String, PartialBatch, Either<Long, PooledPair>, SloStatus> h =
                harness(fn, null, rocksDb);
        try {
            for (long m = 1; m <= 180; m++) {
                for (String surface : new String[] {"chat", "rag"}) {
                    java.util.Map<String, String> dims = java.util.Map.of("surface", surface);
                    boolean outage = surface.equals("rag") && m >= 100 && m <= 130;
                    int n = m % 7 == 0 ? 0 : 1 + random.nextInt(4);
                    for (int i = 0; i < n; i++) {
                        long t = T0 + (m - 1) * MIN + 1 + random.nextInt(59_000);
                        local.add(Observation.ratio(SloCatalog.SUCCESS, t, dims, !outage && random.nextInt(10) > 0));
                        double ttft = outage ? 3_000 : 100 + random.nextInt(900);
                        local.add(new Observation(SloCatalog.TTFT, t, dims, ttft < 800, ttft));
                        local.add(new Observation(SloCatalog.COST_TAIL, t, dims, true,
                                0.001 * (1 + random.nextInt(outage ? 5_000 : 50))));
                    }
                }
                if (m == 75) {
                    long t = T0 + 11 * MIN + 5; // minute 12, evaluated long ago
                    java.util.Map<String, String> chat = java.util.Map.of("surface", "chat");
                    local.add(Observation.ratio(SloCatalog.SUCCESS, t, chat, false));
                    local.add(new Observation(SloCatalog.TTFT, t, chat, false, 2_000));
                    local.add(new Observation(SloCatalog.COST_TAIL, t, chat, true, 5.0));
                }
                KeyedBroadcastOperatorTestHarness<String, PartialBatch, Either<Long, PooledPair>, SloStatus> in = h;
                local.flushUpTo(T0 + m * MIN, b -> {
                    try {
                        in.processElement(b, b.firstMinute());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                watermark(h, T0 + m * MIN);
                if (m == snapshotAt) {
                    if (capacity == SeriesValues.DEFAULT_CAPACITY) {
                        assertThat(fn.valueAccesses()[1]).as("no value written before the first barrier").isZero();
                    }
                    h.prepareSnapshotPreBarrier(1);
                    org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot = h.snapshot(1, T0 + m * MIN);
                    collect(h, rows, alerts);
                    h.close();
                    fn = new SloEvaluatorFunction(catalog, Duration.ofMinutes(5)).withValueCapacity(capacity);
                    h = harness(fn, snapshot, rocksDb);
                }
            }
            collect(h, rows, alerts);
            return new Run(rows, alerts);
        } finally {
            h.close();
        }
    }

    static void collect(KeyedBroadcastOperatorTestHarness<String, PartialBatch, Either<Long, PooledPair>, SloStatus> h,
            List<SloStatus> rows, List<AlertEvent> alerts) {
        rows.addAll(h.extractOutputValues());
        java.util.Collection<org.apache.flink.streaming.runtime.streamrecord.StreamRecord<AlertEvent>> side =
                h.getSideOutput(SloEvaluatorFunction.ALERTS);
        if (side != null) {
            side.forEach(r -> alerts.add(r.getValue()));
        }
    }
}
