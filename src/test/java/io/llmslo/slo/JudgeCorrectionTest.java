package io.llmslo.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.llmslo.ppi.PpiEstimator;
import io.llmslo.ppi.PpiMoments;
import io.llmslo.slo.alert.AlertPolicies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code quality.judge_high} with the human correction, at engine level: a biased judge (it passes
 * 75 % of the answers people find useful and 20 % of the others), judged requests once a minute,
 * one in ten rated an hour later.
 */
class JudgeCorrectionTest {

    static final long MIN = TimeBuckets.MINUTE;
    static final long HOUR = TimeBuckets.HOUR;
    static final long DAY = TimeBuckets.DAY;
    static final long T0 = 1_795_000_000_000L / DAY * DAY;

    final SloDefinition def = SloCatalog.defaults().get(SloCatalog.JUDGE_HIGH);

    /** Drives one series like {@link SeriesDriver}, with pairs (as the job's pair observations). */
    final class Driver {
        final SloEngine engine;
        final SeriesState state = SeriesState.inMemory();
        final List<SloStatus> statuses = new ArrayList<>();
        final List<AlertEvent> transitions = new ArrayList<>();
        long nextEval = Long.MIN_VALUE;

        Driver(JudgeCorrection correction) {
            engine = new SloEngine(def, SeriesDriver.STEP, AlertPolicies.forDefinition(def), correction);
        }

        void judged(long t, boolean pass) throws Exception {
            advanceTo(t - SeriesDriver.LAG);
            engine.add(new CohortObservation("k", def.name(), "*", t, pass, Double.NaN), state);
            if (nextEval == Long.MIN_VALUE) {
                nextEval = TimeBuckets.endOf(t, SeriesDriver.STEP);
            }
        }

        void pair(long t, boolean useful, boolean pass, double w) throws Exception {
            engine.add(new CohortObservation("k", def.name(), "*", t, useful, JudgeCorrection.pairValue(pass, w)),
                    state);
        }

        void advanceTo(long watermark) throws Exception {
            while (nextEval != Long.MIN_VALUE && nextEval <= watermark) {
                SloEngine.Evaluation e = engine.evaluate(nextEval, "*", state);
                statuses.add(e.status());
                transitions.addAll(e.transitions());
                engine.prune(nextEval, state);
                nextEval += SeriesDriver.STEP;
            }
        }

        SloStatus last() {
            return statuses.get(statuses.size() - 1);
        }
    }

    record Pending(long t, boolean useful, boolean pass, double w) {}

    /**
     * Simulates {@code days} of traffic whose human-useful rate is {@code useful.rate(t)}; rated with
     * probability {@code rated}. Returns the pairs' and judged sums of the last 24 h by brute force.
     */
    interface Rate {
        double at(long t);
    }

    static void simulate(Driver d, SplittableRandom rnd, long from, long to, Rate useful, double rated)
            throws Exception {
        List<Pending> ratings = new ArrayList<>();
        for (long t = from; t < to; t += MIN) {
            boolean y = rnd.nextDouble() < useful.at(t);
            boolean pass = rnd.nextDouble() < (y ? 0.75 : 0.20);
            d.judged(t, pass);
            if (rnd.nextDouble() < rated) {
                ratings.add(new Pending(t + HOUR, y, pass, 1.0));
            }
            while (!ratings.isEmpty() && ratings.get(0).t() <= t) {
                Pending p = ratings.remove(0);
                d.pair(p.t(), p.useful(), p.pass(), p.w());
            }
        }
    }

    /**
     * One minute of the rest of the job's traffic, as pairs in the pool: 10 requests, the same
     * judge, a human-useful rate of 0.96, one in ten rated an hour later.
     */
    static void restOfTheJob(PooledPairs pooled, SplittableRandom rnd, long t) {
        for (int k = 0; k < 10; k++) {
            boolean y = rnd.nextDouble() < 0.96;
            boolean pass = rnd.nextDouble() < (y ? 0.75 : 0.20);
            if (rnd.nextDouble() < 0.1) {
                pooled.add(TimeBuckets.endOf(t + HOUR, MIN), new PpiMoments().addPair(y, pass, 1.0));
            }
        }
    }

    @Test
    void theColumnsArePpiOverTheSloWindowAndTheBiasedJudgeDoesNotPageAStationaryCohort() throws Exception {
        Driver d = new Driver(new JudgeCorrection(30, Duration.ofDays(7), 0.6));
        SplittableRandom rnd = new SplittableRandom(7);
        // 4 days at a human-useful rate of 0.96: well above the 0.92 target; the raw judge rate is ≈ 0.73
        simulate(d, rnd, T0, T0 + 4 * DAY, t -> 0.96, 0.1);
        d.advanceTo(T0 + 4 * DAY);
        SloStatus s = d.last();
        assertThat(s.value()).isLessThan(0.80); // the raw judge pass rate pages on its own...
        assertThat(s.status()).isEqualTo(SloStatus.BREACH);
        JudgeCorrection.Columns j = s.judge();
        assertThat(j.scope()).isEqualTo(JudgeCorrection.SCOPE_WINDOW);
        assertThat(j.gate()).isNull();
        assertThat(j.judged()).isEqualTo(s.n());
        assertThat(j.corrected()).isCloseTo(0.96, within(0.05));
        assertThat(j.correctedLow()).isLessThan(0.96);
        assertThat(j.correctedHigh()).isGreaterThan(0.96);
        // ...the corrected estimate does not: no judge alert on the stationary cohort
        assertThat(d.transitions).isEmpty();

        // the columns are ppi_py's estimate on the sums of the SLO window, summed here from the buckets
        long e = s.evalTime();
        PpiMoments pairs = new PpiMoments();
        for (var b : d.state.hours().entries()) {
            if (b.getKey() > e - def.window().toMillis() && b.getKey() <= e && b.getValue().pairs != null) {
                pairs.addPairs(b.getValue().pairs);
            }
        }
        PpiEstimator.Estimate ref = PpiEstimator.estimate(PpiMoments.of(s.n(), s.good(), pairs), 0.05);
        assertThat(j.pairs()).isEqualTo(ref.pairs());
        assertThat(j.corrected()).isCloseTo(ref.theta(), within(1e-12));
        assertThat(j.lambda()).isCloseTo(ref.lambda(), within(1e-12));
    }

    @Test
    void aQualityRegressionMovesTheCorrectedEstimateAndAlerts() throws Exception {
        Driver d = new Driver(new JudgeCorrection(30, Duration.ofDays(7), 0.6));
        SplittableRandom rnd = new SplittableRandom(8);
        long regression = T0 + 3 * DAY;
        simulate(d, rnd, T0, T0 + 5 * DAY, t -> t < regression ? 0.96 : 0.55, 0.1);
        d.advanceTo(T0 + 5 * DAY);
        assertThat(d.transitions).isNotEmpty();
        assertThat(d.transitions).allSatisfy(a -> assertThat(a.at()).isGreaterThan(regression));
        assertThat(d.transitions.get(0).state()).isEqualTo(AlertEvent.FIRING);
        JudgeCorrection.Columns j = d.last().judge();
        assertThat(j.corrected()).isCloseTo(0.55, within(0.1));
        assertThat(d.last().alert()).isNotNull();
    }

    @Test
    void tooFewPairsOrAJudgeThatDisagreesWithPeopleIsUncalibratedAndNeverPages() throws Exception {
        // one rating in 500: ~3 a day, never 30 in the calibration window of 7 days
        Driver few = new Driver(new JudgeCorrection(30, Duration.ofDays(7), 0.6));
        simulate(few, new SplittableRandom(9), T0, T0 + 4 * DAY, t -> t < T0 + 2 * DAY ? 0.96 : 0.3, 0.002);
        few.advanceTo(T0 + 4 * DAY);
        assertThat(few.last().judge().gate()).isEqualTo(JudgeCorrection.UNCALIBRATED);
        assertThat(few.last().judge().corrected()).isNull();
        assertThat(few.transitions).isEmpty();

        // plenty of pairs, but this judge agrees with people on ~74 % only: below a min_agreement of 0.9
        Driver strict = new Driver(new JudgeCorrection(30, Duration.ofDays(7), 0.9));
        simulate(strict, new SplittableRandom(10), T0, T0 + 4 * DAY, t -> t < T0 + 2 * DAY ? 0.96 : 0.3, 0.1);
        strict.advanceTo(T0 + 4 * DAY);
        JudgeCorrection.Columns j = strict.last().judge();
        assertThat(j.agreement()).isLessThan(0.9);
        assertThat(j.gate()).isEqualTo(JudgeCorrection.UNCALIBRATED);
        assertThat(j.corrected()).isNotNull(); // still reported, just not paging
        assertThat(strict.transitions).isEmpty();
    }

    @Test
    void withFewPairsInTheSloWindowTheCalibrationWindowsPairsCorrect() throws Exception {
        // 3 % rated: ~43 pairs a day; min_pairs 60 is more than a day holds, less than a week
        Driver d = new Driver(new JudgeCorrection(60, Duration.ofDays(7), 0.6));
        simulate(d, new SplittableRandom(11), T0, T0 + 4 * DAY, t -> 0.96, 0.03);
        d.advanceTo(T0 + 4 * DAY);
        JudgeCorrection.Columns j = d.last().judge();
        assertThat(j.scope()).isEqualTo(JudgeCorrection.SCOPE_CALIBRATION);
        assertThat(j.pairs()).isGreaterThan(60);
        assertThat(j.corrected()).isCloseTo(0.96, within(0.06));
    }

    static PpiMoments pairs(int agree, int disagree) {
        PpiMoments m = new PpiMoments();
        for (int i = 0; i < agree; i++) {
            m.addPair(true, true, 1);
        }
        for (int i = 0; i < disagree; i++) {
            m.addPair(true, false, 1);
        }
        return m;
    }

    /** Own SLO window → own calibration window → pooled calibration window → none; which pairs gate. */
    @Test
    void theScopeIsOwnWindowThenOwnCalibrationThenPooledThenNone() {
        JudgeCorrection c = new JudgeCorrection(30, Duration.ofDays(7), 0.8);
        PpiMoments goodPool = pairs(90, 10); // agreement 0.9
        PpiMoments badPool = pairs(60, 40); // agreement 0.6
        // enough own pairs in the SLO window: the pool is not even asked for
        JudgeCorrection.Scope s = c.scope(pairs(30, 0), pairs(50, 0), () -> {
            throw new AssertionError("pool asked for");
        });
        assertThat(s.name()).isEqualTo(JudgeCorrection.SCOPE_WINDOW);
        assertThat(s.labeled().pairs).isEqualTo(30);
        assertThat(s.gatedOn().pairs).isEqualTo(50);
        assertThat(s.calibrated()).isTrue();
        // enough own pairs over the calibration window only; its own bad agreement gates, a good pool does not save it
        s = c.scope(pairs(5, 0), pairs(20, 15), () -> goodPool);
        assertThat(s.name()).isEqualTo(JudgeCorrection.SCOPE_CALIBRATION);
        assertThat(s.labeled().pairs).isEqualTo(35);
        assertThat(s.calibrated()).isFalse();
        // too few own pairs: the pool corrects, and the pool's count and agreement gate
        s = c.scope(pairs(2, 0), pairs(6, 0), () -> goodPool);
        assertThat(s.name()).isEqualTo(JudgeCorrection.SCOPE_POOLED);
        assertThat(s.labeled()).isSameAs(goodPool);
        assertThat(s.gatedOn()).isSameAs(goodPool);
        assertThat(s.calibrated()).isTrue();
        s = c.scope(pairs(2, 0), pairs(6, 0), () -> badPool);
        assertThat(s.name()).isEqualTo(JudgeCorrection.SCOPE_POOLED);
        assertThat(s.calibrated()).as("pooled agreement 0.6 < 0.8").isFalse();
        // a pool with too few pairs, or none (no pooling): no estimate, uncalibrated on the cohort's own pairs
        s = c.scope(pairs(2, 0), pairs(6, 0), () -> pairs(29, 0));
        assertThat(s.name()).isNull();
        assertThat(s.labeled()).isNull();
        assertThat(s.gatedOn().pairs).isEqualTo(6);
        assertThat(s.calibrated()).isFalse();
        assertThat(c.scope(pairs(2, 0), pairs(6, 0), () -> null).name()).isNull();
    }

    /**
     * A small cohort with ~2 pairs a day (never 30 in 7 days) corrected by the pairs of all the
     * job's traffic: scope pooled, its own judged counts, and no page while stationary; without
     * the pool it has no estimate at all.
     */
    @Test
    void aSmallCohortIsCorrectedByThePooledPairsOfAllTraffic() throws Exception {
        JudgeCorrection base = new JudgeCorrection(30, Duration.ofDays(7), 0.6);
        PooledPairs pooled = new PooledPairs();
        Driver small = new Driver(base.withPooled(pooled));
        Driver alone = new Driver(base);
        SplittableRandom rnd = new SplittableRandom(12);
        SplittableRandom poolRnd = new SplittableRandom(13);
        List<Pending> ratings = new ArrayList<>();
        for (long t = T0; t < T0 + 4 * DAY; t += MIN) {
            boolean y = rnd.nextDouble() < 0.96;
            boolean pass = rnd.nextDouble() < (y ? 0.75 : 0.20);
            small.judged(t, pass);
            alone.judged(t, pass);
            if (rnd.nextDouble() < 0.0015) {
                ratings.add(new Pending(t + HOUR, y, pass, 1.0));
            }
            restOfTheJob(pooled, poolRnd, t); // 10 times the traffic, same judge, same human rate
            while (!ratings.isEmpty() && ratings.get(0).t() <= t) {
                Pending p = ratings.remove(0);
                small.pair(p.t(), p.useful(), p.pass(), p.w());
                alone.pair(p.t(), p.useful(), p.pass(), p.w());
                // the small cohort's pairs are in the pool too (every pair of the job is)
                pooled.add(TimeBuckets.endOf(p.t(), MIN), new PpiMoments().addPair(p.useful(), p.pass(), 1.0));
            }
        }
        small.advanceTo(T0 + 4 * DAY);
        alone.advanceTo(T0 + 4 * DAY);
        JudgeCorrection.Columns j = small.last().judge();
        assertThat(j.scope()).isEqualTo(JudgeCorrection.SCOPE_POOLED);
        assertThat(j.lambda()).isNull(); // no power tuning: the judge's error rates correct
        assertThat(j.pairs()).isGreaterThan(1000);
        assertThat(j.calibrationPairs()).isEqualTo(j.pairs());
        assertThat(j.judged()).isEqualTo(small.last().n());
        assertThat(j.gate()).isEqualTo(JudgeCorrection.POOLED_NO_PAGE);
        assertThat(j.correctedLow()).isLessThanOrEqualTo(0.96);
        assertThat(j.correctedHigh()).isGreaterThanOrEqualTo(0.96);
        assertThat(small.transitions).isEmpty();
        // the pooled estimate at the end: (q − b) / (a − b) with the pool's error rates (Rogan–Gladen)
        PpiMoments pool = pooled.pairs(small.last().evalTime(), 7 * DAY);
        double a = pool.swYH / pool.swY;
        double b = (pool.swH - pool.swYH) / (pool.sw - pool.swY);
        double expected = (small.last().value() - b) / (a - b);
        assertThat(j.corrected()).isCloseTo(expected, within(1e-9));
        JudgeCorrection.Columns without = alone.last().judge();
        assertThat(without.scope()).isNull();
        assertThat(without.corrected()).isNull();
        assertThat(without.gate()).isEqualTo(JudgeCorrection.UNCALIBRATED);
    }

    /**
     * A pooled estimate is shown but never pages, and stays a rate. The small cohort really regressed
     * (people find half its answers useful, target 0.92) and the well-calibrated pool estimates it
     * (Rogan–Gladen with a = 0.75, b = 0.20: q = 0.475 → θ = 0.5): a cohort-scope estimate this far
     * below target would open the burn-rate tiers within hours; the pooled one opens nothing. A
     * second cohort the judge passes never gets (q − b)/(a − b) < 0, reported as 0.
     */
    @Test
    void aPooledEstimateIsReportedClippedToARateAndNeverPages() throws Exception {
        PooledPairs pooled = new PooledPairs();
        JudgeCorrection pooledCorrection = new JudgeCorrection(30, Duration.ofDays(7), 0.6).withPooled(pooled);
        Driver regressed = new Driver(pooledCorrection);
        Driver neverPassed = new Driver(pooledCorrection);
        SplittableRandom rnd = new SplittableRandom(21);
        SplittableRandom poolRnd = new SplittableRandom(22);
        for (long t = T0; t < T0 + 4 * DAY; t += MIN) {
            boolean y = rnd.nextDouble() < 0.5;
            regressed.judged(t, rnd.nextDouble() < (y ? 0.75 : 0.20));
            neverPassed.judged(t, false);
            restOfTheJob(pooled, poolRnd, t);
        }
        regressed.advanceTo(T0 + 4 * DAY);
        neverPassed.advanceTo(T0 + 4 * DAY);
        JudgeCorrection.Columns j = regressed.last().judge();
        assertThat(j.scope()).isEqualTo(JudgeCorrection.SCOPE_POOLED);
        assertThat(j.agreement()).isGreaterThanOrEqualTo(0.6); // the pool is calibrated: the gate is not what holds it
        assertThat(j.gate()).isEqualTo(JudgeCorrection.POOLED_NO_PAGE);
        assertThat(j.corrected()).isCloseTo(0.5, within(0.08));
        assertThat(j.correctedHigh()).isLessThan(0.92);
        assertThat(regressed.transitions).isEmpty();
        JudgeCorrection.Columns zero = neverPassed.last().judge();
        assertThat(zero.scope()).isEqualTo(JudgeCorrection.SCOPE_POOLED);
        assertThat(zero.corrected()).isEqualTo(0.0);
        assertThat(zero.correctedLow()).isEqualTo(0.0);
        assertThat(zero.correctedHigh()).isBetween(0.0, 1.0);
        assertThat(neverPassed.transitions).isEmpty();
        // the same judged traffic with enough own pairs (cohort scope, calibrated) does page
        Driver own = new Driver(new JudgeCorrection(30, Duration.ofDays(7), 0.6));
        simulate(own, new SplittableRandom(23), T0, T0 + 4 * DAY, t -> 0.5, 0.1);
        own.advanceTo(T0 + 4 * DAY);
        assertThat(own.last().judge().scope()).isEqualTo(JudgeCorrection.SCOPE_WINDOW);
        assertThat(own.last().judge().gate()).isNull();
        assertThat(own.transitions).isNotEmpty();
    }

    /** The pool spans the configured calibration window (30 d), beyond a series' 8-day hour retention. */
    @Test
    void thePoolSpansTheWholeCalibrationWindow() throws Exception {
        PooledPairs pooled = new PooledPairs();
        for (int i = 0; i < 40; i++) { // 20 days before the evaluation: outside any series' hours
            pooled.add(T0 + HOUR + i * MIN, new PpiMoments().addPair(i % 10 != 0, i % 10 != 0 && i % 7 != 0, 1.0));
        }
        Driver d = new Driver(new JudgeCorrection(30, Duration.ofDays(30), 0.6).withPooled(pooled));
        for (long t = T0 + 20 * DAY; t < T0 + 21 * DAY; t += MIN) {
            d.judged(t, t % (3 * MIN) != 0);
        }
        d.advanceTo(T0 + 21 * DAY);
        assertThat(d.last().judge().scope()).isEqualTo(JudgeCorrection.SCOPE_POOLED);
        assertThat(d.last().judge().calibrationPairs()).isEqualTo(40);
        assertThat(new JudgeCorrection(30, Duration.ofDays(30), 0.6).pooledRetentionMs(DAY)).isEqualTo(31 * DAY);
    }

    /** Local-global aggregation keeps pairs apart: they travel as sums, never as judged counts. */
    @Test
    void partialBucketsCarryPairSumsNotCounts() {
        PartialBuckets p = new PartialBuckets(new CohortKeys(List.of(List.of("surface"))), java.util.Set.of(), 1000);
        java.util.Map<String, String> dims = java.util.Map.of("surface", "chat");
        p.add(Observation.ratio(def.name(), T0 + 1, dims, true));
        p.add(new Observation(def.name(), T0 + 2, dims, true, JudgeCorrection.pairValue(false, 4.0)));
        p.add(new Observation(def.name(), T0 + 3, dims, false, JudgeCorrection.pairValue(true, 1.0)));
        List<PartialBucket> out = new ArrayList<>();
        p.flushAll(b -> out.addAll(b.minutes()));
        assertThat(out).hasSize(2); // cohorts * and surface=chat
        assertThat(out).allSatisfy(b -> {
            assertThat(b.n()).isEqualTo(1);
            assertThat(b.good()).isEqualTo(1);
            assertThat(b.pairs().pairs).isEqualTo(2);
            assertThat(b.pairs().sw).isEqualTo(5.0);
            assertThat(b.pairs().swY).isEqualTo(4.0); // the useful one weighs 4
            assertThat(b.pairs().swH).isEqualTo(1.0); // the judge passed the other one
        });
    }

    @Test
    void otherSlosIgnoreTheCorrection() {
        SloDefinition acceptance = SloCatalog.defaults().get(SloCatalog.ACCEPTANCE);
        SloEngine e = new SloEngine(acceptance, SeriesDriver.STEP, AlertPolicies.forDefinition(acceptance),
                new JudgeCorrection(30, Duration.ofDays(7), 0.8));
        assertThat(e.definition().name()).isEqualTo(SloCatalog.ACCEPTANCE);
    }
}
