package io.llmslo.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SloEngineTest {

    static final long T0 = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
    static final long MIN = TimeBuckets.MINUTE;
    static final long HOUR = TimeBuckets.HOUR;

    final SloCatalog catalog = SloCatalog.defaults();

    @Test
    void longWindowStartsAtWholeHourAndCountsEverything() throws Exception {
        SeriesDriver s = new SeriesDriver(catalog.get(SloCatalog.TOTAL));
        List<Long> times = new ArrayList<>();
        for (long t = T0 + 30_000; t < T0 + 30 * HOUR; t += MIN) {
            s.add(t, true, 1000);
            times.add(t);
        }
        s.advanceTo(T0 + 29 * HOUR + 35 * MIN);
        long at = s.last().evalTime();
        long lo = TimeBuckets.floorTo(at, HOUR) - 24 * HOUR;
        long expected = times.stream().filter(t -> t > lo && t <= at).count();
        assertThat(s.last().n()).isEqualTo(expected);
        assertThat(s.last().quantileValue()).isCloseTo(1000.0, within(10.0));
    }

    @Test
    void shortWindowsAreExactToTheMinute() throws Exception {
        SeriesDriver s = new SeriesDriver(catalog.get(SloCatalog.SUCCESS));
        // one failure every 10 minutes for 3 hours, successes every minute
        for (long t = T0 + 1; t <= T0 + 3 * HOUR; t += MIN) {
            boolean good = (t - T0 - 1) % (10 * MIN) != 0;
            s.add(t, good, Double.NaN);
        }
        // an observation exactly at the evaluation instant belongs to the window ending there
        long at = T0 + 3 * HOUR;
        s.add(at, false, Double.NaN);
        s.advanceTo(at);
        // 1h window (at-1h, at]: 60 observations from the minute grid + the one at `at`; bad: 6 + 1
        double expectedBurn = (7.0 / 61.0) / (1 - 0.9995);
        assertThat(s.last().burn1h()).isCloseTo(expectedBurn, within(1e-9));
    }

    @Test
    void observationsAheadOfTheEvaluationAreNotCounted() throws Exception {
        SeriesDriver s = new SeriesDriver(catalog.get(SloCatalog.SUCCESS));
        s.add(T0 + MIN, true, Double.NaN);
        s.add(T0 + 6 * MIN, false, Double.NaN); // arrives before the 5-minute evaluation fires
        s.advanceTo(T0 + 5 * MIN);
        assertThat(s.last().n()).isEqualTo(1);
        assertThat(s.last().good()).isEqualTo(1);
        s.advanceTo(T0 + 10 * MIN);
        assertThat(s.last().n()).isEqualTo(2);
    }

    @Test
    void idleGapKeepsCountsRight() throws Exception {
        SeriesDriver s = new SeriesDriver(catalog.get(SloCatalog.ACCEPTANCE));
        for (int i = 0; i < 100; i++) {
            s.add(T0 + i * MIN + 1, i % 10 != 0, Double.NaN);
        }
        s.advanceTo(T0 + 2 * HOUR);
        // the series goes quiet for 3 days (the job stops evaluating), then resumes
        s.nextEval = Long.MIN_VALUE;
        long resume = T0 + 3 * 24 * HOUR;
        for (int i = 0; i < 10; i++) {
            s.add(resume + i * MIN + 1, true, Double.NaN);
        }
        s.advanceTo(resume + HOUR);
        // 7d window holds all 110; the 1h window only the 10 new ones
        assertThat(s.last().n()).isEqualTo(110);
        assertThat(s.last().good()).isEqualTo(100);
        assertThat(s.last().burn1h()).isEqualTo(0.0);
    }

    /** Counts point reads, to show that work does not grow with empty event time (DESIGN §7b). */
    static final class CountingStore implements BucketStore {
        final BucketStore inner = BucketStore.inMemory();
        long gets;

        @Override
        public Bucket get(long end) throws Exception {
            gets++;
            return inner.get(end);
        }

        @Override
        public void put(long end, Bucket bucket) throws Exception {
            inner.put(end, bucket);
        }

        @Override
        public void remove(long end) throws Exception {
            inner.remove(end);
        }

        @Override
        public Iterable<java.util.Map.Entry<Long, Bucket>> entries() throws Exception {
            return inner.entries();
        }
    }

    @Test
    void aGapOfYearsBetweenRecordsCostsNoMoreThanAShortOne() throws Exception {
        long[] reads = new long[2];
        long[] gaps = {3 * 24 * HOUR, 3L * 365 * 24 * HOUR};
        for (int g = 0; g < 2; g++) {
            CountingStore hours = new CountingStore();
            CountingStore minutes = new CountingStore();
            SloEngine engine = new SloEngine(catalog.get(SloCatalog.TOTAL));
            SeriesState st = new SeriesState(minutes, hours, BucketStore.inMemory(), new SeriesProgress(),
                    new TailBaseline(), new SketchCache(), new io.llmslo.slo.alert.AlertState());
            for (int i = 0; i < 30; i++) {
                engine.add(new CohortObservation("k", SloCatalog.TOTAL, "*", T0 + i * MIN + 1, true, 900), st);
            }
            engine.evaluate(T0 + 30 * MIN, "*", st);
            long resume = T0 + 30 * MIN + gaps[g];
            engine.add(new CohortObservation("k", SloCatalog.TOTAL, "*", resume + 1, true, 900), st);
            hours.gets = 0;
            minutes.gets = 0;
            engine.evaluate(TimeBuckets.endOf(resume + 1, 5 * MIN), "*", st);
            engine.prune(TimeBuckets.endOf(resume + 1, 5 * MIN), st);
            reads[g] = hours.gets + minutes.gets;
        }
        // the same bounded number of reads (the window's buckets), not one per empty hour
        assertThat(reads[1]).isLessThanOrEqualTo(reads[0]);
    }
}
