package io.llmslo.slo;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.slo.alert.AlertState;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * State accesses per evaluation of a sparse series (one request every 7 minutes: most minutes of
 * a cohort are empty), counted: with RocksDB every access is a JNI call and a (de)serialization,
 * a lookup of a missing key as dear as of a present one, a delete of one a tombstone. The
 * evaluator's cost per row is these counts (bench throughput). Figures printed for BENCHMARKS.md.
 */
class StateAccessCountTest {

    static final long T0 = java.time.Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
    static final long MIN = TimeBuckets.MINUTE;

    static final class Counting implements BucketStore {
        final BucketStore inner = BucketStore.inMemory();
        long gets;
        long puts;
        long removes;
        long scans;

        @Override
        public Bucket get(long end) throws Exception {
            gets++;
            return inner.get(end);
        }

        @Override
        public void put(long end, Bucket bucket) throws Exception {
            puts++;
            inner.put(end, bucket);
        }

        @Override
        public void remove(long end) throws Exception {
            removes++;
            inner.remove(end);
        }

        @Override
        public Iterable<Map.Entry<Long, Bucket>> entries() throws Exception {
            scans++;
            return inner.entries();
        }
    }

    /**
     * One bucket tier (minutes or hours) as the job reads it: a counted store, the series' last
     * buckets kept across its elements and written behind ({@link RecentBuckets}, with the memo its
     * {@link SeriesValues} entry holds), and a per-element memo of what was read ({@link BucketReads}).
     */
    static final class Tier {
        final Counting store = new Counting();
        final RecentBuckets recent = new RecentBuckets(store);
        final RecentBuckets.Memo memo;
        final BucketReads reads = new BucketReads(recent);

        Tier(int kept) {
            memo = new RecentBuckets.Memo(kept);
        }

        /** Keep the last buckets from now on (without: reads and writes go to the store). */
        void keep() {
            recent.use(memo);
        }

        /** What a checkpoint barrier does: the buckets waiting in the memo reach the store. */
        void writeBack() throws Exception {
            recent.writeBack(memo);
        }
    }

    /** {gets, writes (puts + removes), scans} per evaluation over two days. */
    static double[] perEvaluation(String slo) throws Exception {
        SloCatalog catalog = SloCatalog.defaults();
        SloEngine engine = new SloEngine(catalog.get(slo), 5 * MIN);
        Counting counts = new Counting();
        // as the job reads them: through a memo of each element's and timer's reads, over the
        // series' last buckets kept across its elements and written behind (RecentBuckets),
        // written back after every evaluation (as with a checkpoint barrier every interval)
        SketchCache cache = new SketchCache();
        Tier minutes = new Tier(SeriesValues.MINUTES_KEPT);
        Tier hours = new Tier(SeriesValues.HOURS_KEPT);
        minutes.keep();
        hours.keep();
        SeriesState s = new SeriesState(minutes.reads, hours.reads, counts, new SeriesProgress(), new TailBaseline(),
                cache, new AlertState());
        long evaluations = 0;
        long next = Long.MIN_VALUE;
        for (long t = T0 + 1; t < T0 + 2 * TimeBuckets.DAY; t += 7 * MIN) {
            while (next != Long.MIN_VALUE && next <= t - 2 * MIN) {
                minutes.reads.reset();
                hours.reads.reset();
                engine.evaluate(next, "*", s);
                engine.prune(next, s);
                minutes.writeBack();
                hours.writeBack();
                evaluations++;
                next += 5 * MIN;
            }
            minutes.reads.reset();
            hours.reads.reset();
            engine.add(new CohortObservation("k", slo, "*", t, t % 3 != 0, 500 + (t % 1000)), s);
            if (next == Long.MIN_VALUE) {
                next = TimeBuckets.endOf(t, 5 * MIN);
            }
        }
        Counting m = minutes.store;
        Counting h = hours.store;
        long gets = m.gets + h.gets + counts.gets;
        long writes = m.puts + h.puts + counts.puts + m.removes + h.removes + counts.removes;
        long scans = m.scans + h.scans + counts.scans;
        double[] r = {gets / (double) evaluations, writes / (double) evaluations, scans / (double) evaluations};
        System.out.printf("%s: %d evaluations; per evaluation %.2f gets, %.2f puts/removes, %.3f scans"
                + " (adds included)%n", slo, evaluations, r[0], r[1], r[2]);
        return r;
    }

    @Test
    void aSparseRatioSeriesCostsAFewLookupsPerEvaluation() throws Exception {
        // before the minute masks, grid-only pruning and lazy tier windows: 12.8 gets, 12.5 writes;
        // before the series' C(x) memo (CountsMemo) and the skip of steps without new minutes: 5.84 gets;
        // before the series' last buckets kept across its elements (RecentBuckets: the evaluation
        // reads back the minute and hour its batch wrote): 2.51
        double[] r = perEvaluation(SloCatalog.SUCCESS);
        assertThat(r[0]).isLessThan(0.3); // 0.19
        assertThat(r[1]).isLessThan(5);
        assertThat(r[2]).isLessThan(0.01);
    }

    @Test
    void aSparseQuantileSeriesCostsAFewLookupsPerEvaluation() throws Exception {
        // before: 24.4 gets, 12.6 writes; before the C(x) memo: 10.2 gets; before the window's
        // sketch moved on an hour at a time: 6.87; before the per-element bucket memo (BucketReads,
        // the quantile reads the minutes the running counts just read): 5.07; before RecentBuckets:
        // 3.28; now 0.94 (the hour buckets the 24 h window moves past, read once an hour)
        double[] r = perEvaluation(SloCatalog.TTFT);
        assertThat(r[0]).isLessThan(1.1);
        assertThat(r[1]).isLessThan(5);
        assertThat(r[2]).isLessThan(0.01);
    }

    /**
     * A dense series (data every minute) merged as 5-minute batches ({@link PartialBatch}) instead
     * of minute by minute: the same minute writes, one hour-bucket update per batch instead of
     * one per minute (the evaluator also reads and writes its bookkeeping once per batch).
     */
    @Test
    void aBatchUpdatesItsHourOnceNotOncePerMinute() throws Exception {
        long[] single = hourAccesses(1);
        long[] batched = hourAccesses(5);
        System.out.printf("one hour, dense: hour gets/puts minute by minute %d/%d, in 5-minute batches %d/%d%n",
                single[0], single[1], batched[0], batched[1]);
        // 60 minutes: one put per minute, a get for each but the first minute of the hour (new
        // hours need no lookup once the series has data); batches: 12 puts, 11 gets
        assertThat(single).containsExactly(59, 60);
        assertThat(batched).containsExactly(11, 12);
    }

    /** {hour gets, hour puts} for one dense hour, after a first minute in the previous hour. */
    static long[] hourAccesses(int minutesPerBatch) throws Exception {
        SloEngine engine = new SloEngine(SloCatalog.defaults().get(SloCatalog.SUCCESS), 5 * MIN);
        Counting hours = new Counting();
        SeriesState s = new SeriesState(BucketStore.inMemory(), hours, BucketStore.inMemory(), new SeriesProgress(),
                new TailBaseline(), new SketchCache(), new AlertState());
        engine.add(new PartialBucket("k", SloCatalog.SUCCESS, "*", T0, 1, 1, T0 - 1, null), s);
        hours.gets = 0;
        hours.puts = 0;
        java.util.List<PartialBucket> batch = new java.util.ArrayList<>();
        for (long m = 1; m <= 60; m++) {
            batch.add(new PartialBucket("k", SloCatalog.SUCCESS, "*", T0 + m * MIN, 2, 1, T0 + m * MIN - 1, null));
            if (batch.size() == minutesPerBatch) {
                engine.add(batch, s);
                batch = new java.util.ArrayList<>();
            }
        }
        return new long[] {hours.gets, hours.puts};
    }

    /**
     * The series' own values (progress, alert state, tail baseline) through the evaluator as the
     * job runs it, with a checkpoint barrier after every history interval (a production job
     * checkpoints more often than it evaluates): the write-behind values ({@link SeriesValues})
     * cost one write per interval instead of a read and a write per batch and per evaluation, plus
     * the alert state's read. The same series through the plain operator (no hook: every element
     * and timer reads and writes state, as before) is the reference.
     */
    @Test
    void aSparseSeriesWritesItsValuesOncePerBarrierAndReadsThemOnce() throws Exception {
        double[] kept = valueAccessesPerEvaluation(true, 1);
        double[] plain = valueAccessesPerEvaluation(false, 1);
        double[] replay = valueAccessesPerEvaluation(true, 24);
        System.out.printf("series values per evaluation: %.2f reads, %.2f writes (without the hook %.2f, %.2f;"
                + " a barrier every 2 h of event time %.2f, %.2f)%n", kept[0], kept[1], plain[0], plain[1],
                replay[0], replay[1]);
        // without the hook: per evaluation the progress and the alert state (the sequential
        // detector's memory changes at every evaluation) read and written, per batch (5 of 7
        // intervals hold one) the progress read and written: 4 + 2 × 5/7 ≈ 5.43 (measured 5.44)
        assertThat(plain[0] + plain[1]).isGreaterThan(5);
        // kept: read once, when the series first appears; progress and alert state written once
        // per barrier (2.00); with barriers hours of event time apart (a replay) next to nothing
        assertThat(kept[0]).isLessThan(0.01);
        assertThat(kept[1]).isLessThan(2.01);
        assertThat(replay[1]).isLessThan(0.1);
    }

    /** {value-state reads, writes} per evaluation of a sparse series over a day, a barrier every {@code intervals}. */
    static double[] valueAccessesPerEvaluation(boolean hook, int intervals) throws Exception {
        SloCatalog catalog = SloCatalog.defaults();
        SloEvaluatorFunction fn = new SloEvaluatorFunction(catalog, java.time.Duration.ofMinutes(5));
        org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator<String, PartialBatch,
                org.apache.flink.types.Either<Long, EvaluatorBroadcast.PooledPair>, SloStatus> operator = hook
                        ? new SloEvaluatorOperator(fn)
                        : new org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator<>(fn,
                                java.util.List.of(SloEvaluatorFunction.PROGRESS, SloEvaluatorFunction.POOLED));
        try (org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness<String, PartialBatch,
                org.apache.flink.types.Either<Long, EvaluatorBroadcast.PooledPair>, SloStatus> h =
                        new org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness<>(operator,
                                PartialBatch::key, org.apache.flink.api.common.typeinfo.Types.STRING, 1, 1, 0)) {
            h.open();
            long t = T0 + 1;
            long checkpoint = 0;
            int step = 0;
            for (long end = T0 + 5 * MIN; end <= T0 + TimeBuckets.DAY; end += 5 * MIN) {
                for (; t <= end; t += 7 * MIN) {
                    long minute = TimeBuckets.endOf(t, MIN);
                    h.processElement(PartialBatch.of(new PartialBucket(SloCatalog.SUCCESS + "|*", SloCatalog.SUCCESS,
                            "*", minute, 1, t % 3 != 0 ? 1 : 0, t, null)), t);
                }
                h.processWatermark(end);
                h.processBroadcastWatermark(end);
                if (++step % intervals == 0) {
                    h.prepareSnapshotPreBarrier(++checkpoint);
                    h.snapshot(checkpoint, end);
                }
            }
            double evaluations = h.extractOutputValues().size();
            long[] a = fn.valueAccesses();
            return new double[] {a[0] / evaluations, a[1] / evaluations};
        }
    }

    /**
     * A dense interval as the job sees it: the batches of two upstream subtasks with the same five
     * minutes, then the evaluation. Without the series' last buckets every minute is written twice
     * and read back twice; with them (written behind, back at the barrier after the evaluation)
     * each minute and the hour reach state once, and nothing is read.
     */
    @Test
    void twoUpstreamBatchesOfAnIntervalWriteEachMinuteOnce() throws Exception {
        long[] plain = denseInterval(false);
        long[] kept = denseInterval(true);
        System.out.printf("a dense interval, two upstream batches: minute+hour gets/puts %d/%d, with the last"
                + " buckets kept %d/%d%n", plain[0], plain[1], kept[0], kept[1]);
        // without: batch 1 puts 5 new minutes and a new hour; batch 2 gets and puts them (6 + 6);
        // the evaluation reads the hour's mask and its 5 minutes back (6)
        assertThat(plain).containsExactly(12, 12);
        assertThat(kept).containsExactly(0, 6);
    }

    /** {minute and hour gets, puts} for one dense interval after a first minute in the previous hour. */
    static long[] denseInterval(boolean memo) throws Exception {
        SloEngine engine = new SloEngine(SloCatalog.defaults().get(SloCatalog.SUCCESS), 5 * MIN);
        Tier minutes = new Tier(SeriesValues.MINUTES_KEPT);
        Tier hours = new Tier(SeriesValues.HOURS_KEPT);
        SeriesState s = new SeriesState(minutes.reads, hours.reads, BucketStore.inMemory(), new SeriesProgress(),
                new TailBaseline(), new SketchCache(), new AlertState());
        engine.add(new PartialBucket("k", SloCatalog.SUCCESS, "*", T0, 1, 1, T0 - 1, null), s);
        engine.evaluate(T0, "*", s);
        Counting minuteStore = minutes.store;
        Counting hourStore = hours.store;
        minuteStore.gets = minuteStore.puts = hourStore.gets = hourStore.puts = 0;
        if (memo) {
            minutes.keep();
            hours.keep();
        }
        for (int subtask = 0; subtask < 3; subtask++) { // two batches, then the evaluation
            minutes.reads.reset();
            hours.reads.reset();
            if (subtask < 2) {
                java.util.List<PartialBucket> batch = new java.util.ArrayList<>();
                for (long m = 1; m <= 5; m++) {
                    batch.add(new PartialBucket("k", SloCatalog.SUCCESS, "*", T0 + m * MIN, 2, 1, T0 + m * MIN - 1, null));
                }
                engine.add(batch, s);
            } else {
                engine.evaluate(T0 + 5 * MIN, "*", s);
            }
        }
        minutes.writeBack();
        hours.writeBack();
        return new long[] {minuteStore.gets + hourStore.gets, minuteStore.puts + hourStore.puts};
    }
}
