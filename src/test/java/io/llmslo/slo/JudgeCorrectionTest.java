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

    /** Local-global aggregation keeps pairs apart: they travel as sums, never as judged counts. */
    @Test
    void partialBucketsCarryPairSumsNotCounts() {
        PartialBuckets p = new PartialBuckets(new CohortKeys(List.of(List.of("surface"))), java.util.Set.of(), 1000);
        java.util.Map<String, String> dims = java.util.Map.of("surface", "chat");
        p.add(Observation.ratio(def.name(), T0 + 1, dims, true));
        p.add(new Observation(def.name(), T0 + 2, dims, true, JudgeCorrection.pairValue(false, 4.0)));
        p.add(new Observation(def.name(), T0 + 3, dims, false, JudgeCorrection.pairValue(true, 1.0)));
        List<PartialBucket> out = new ArrayList<>();
        p.flushAll(out::add);
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
