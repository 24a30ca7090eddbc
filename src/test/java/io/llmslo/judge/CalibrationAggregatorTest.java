package io.llmslo.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class CalibrationAggregatorTest {

    static final long MIN5 = 300_000L;
    static final long E1 = 1_795_000_200_000L; // a 5-minute boundary (1_795_000_200_000 % 300_000 == 0)

    static CalibrationPair pair(String id, int judge, int human, boolean useful, long ts) {
        return new CalibrationPair(id, "helpfulness", 3, 4, "judge", judge, human, useful, "rater", ts, 1.0,
                new java.util.HashMap<>());
    }

    @Test
    void emitsCumulativeRowsAtBoundariesWithNewPairsAndAlertsBelowMinAgreement() throws Exception {
        Map<String, Rubric> rubrics = RubricLoader.load(Path.of("rubrics")); // helpfulness: min_agreement 0.80
        var fn = new CalibrationAggregator(Duration.ofMinutes(5), rubrics, 4, Duration.ofDays(30), Duration.ofDays(30));
        assertThat(E1 % MIN5).isZero();
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(fn),
                CalibrationPair::calibrationKey, Types.STRING)) {
            h.open();
            // Interval (E1 - 5 min, E1]: three agreeing pairs, one exactly on the boundary.
            h.processElement(new StreamRecord<>(pair("a", 5, 5, true, E1 - 200_000)));
            h.processElement(new StreamRecord<>(pair("b", 2, 2, false, E1 - 100_000)));
            h.processElement(new StreamRecord<>(pair("c", 4, 4, true, E1)));
            // A pair of the next interval arrives early: it must not be in the row at E1.
            h.processElement(new StreamRecord<>(pair("d", 4, 2, false, E1 + 1)));
            h.processWatermark(E1);
            List<CalibrationRow> rows = h.extractOutputValues();
            assertThat(rows).hasSize(1);
            CalibrationRow r1 = rows.get(0);
            assertThat(r1.rubric()).isEqualTo("helpfulness");
            assertThat(r1.rubricVersion()).isEqualTo(3);
            assertThat(r1.evalTime()).isEqualTo(E1);
            assertThat(r1.nPairs()).isEqualTo(3);
            assertThat(r1.usefulAgreement()).isEqualTo(1.0);
            assertThat(r1.minAgreement()).isEqualTo(0.80);
            assertThat(r1.alert()).isFalse(); // and below minPairs anyway

            // Next boundary: + the early pair and one more disagreement → 3/5 useful agreement.
            h.processElement(new StreamRecord<>(pair("e", 5, 2, false, E1 + 60_000)));
            h.processWatermark(E1 + MIN5);
            rows = h.extractOutputValues();
            assertThat(rows).hasSize(2);
            CalibrationRow r2 = rows.get(1);
            assertThat(r2.evalTime()).isEqualTo(E1 + MIN5);
            assertThat(r2.nPairs()).isEqualTo(5);
            assertThat(r2.exactAgreement()).isEqualTo(0.6);
            assertThat(r2.withinOne()).isEqualTo(0.6);
            assertThat(r2.usefulAgreement()).isEqualTo(0.6);
            assertThat(r2.meanBias()).isCloseTo((0 + 0 + 0 + 2 + 3) / 5.0, within(1e-12));
            assertThat(r2.kappa()).isNotNull();
            assertThat(r2.alert()).isTrue();

            // No new pairs: no new rows.
            h.processWatermark(E1 + 10 * MIN5);
            assertThat(h.extractOutputValues()).hasSize(2);

            // A late pair (its boundary already emitted) counts at the next boundary, not E1.
            h.processElement(new StreamRecord<>(pair("f", 3, 3, false, E1 - 1)));
            h.processWatermark(E1 + 11 * MIN5);
            rows = h.extractOutputValues();
            assertThat(rows).hasSize(3);
            assertThat(rows.get(2).evalTime()).isEqualTo(E1 + 11 * MIN5);
            assertThat(rows.get(2).nPairs()).isEqualTo(6);

            // the calibration alert opened once (at E1 + 5 min), naming rubric version and judge model
            assertThat(h.getSideOutput(CalibrationAggregator.ALERTS)).extracting(r -> r.getValue().state(),
                    r -> r.getValue().cohort(), r -> r.getValue().at())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("firing",
                            "rubric=helpfulness@3,judge_model=judge", E1 + MIN5));

            // Retention: 30 days without pairs retire the rubric version's state.
            // total, one window slice, cleanup-at, the open alert flag
            assertThat(h.numKeyedStateEntries()).isEqualTo(4);
            h.processWatermark(E1 + 11 * MIN5 + Duration.ofDays(31).toMillis()); // retention: the window (30 d) + a slice (1 d)
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    static CalibrationPair pair(String id, String model, int judge, boolean useful, long ts, double w) {
        return new CalibrationPair(id, "helpfulness", 3, 4, model, judge, useful ? 5 : 2, useful, "rater", ts, w,
                new java.util.HashMap<>());
    }

    /**
     * Rolling window of 2 days (slices of whole hours: 2 d / 30 = 1.6 h → 1 h): 10 agreeing pairs on
     * day 0, then 10 disagreeing ones on day 3. All-time useful agreement is 10/20 = 0.5; the window
     * holds only the recent 10: agreement 0 → not calibrated, alert. A second judge model has its
     * own key: 2 pairs, too few to know (min 4) → not calibrated, no alert.
     */
    @Test
    void rollingWindowForgetsOldPairsAndEachJudgeModelIsCalibratedOnItsOwn() throws Exception {
        Map<String, Rubric> rubrics = RubricLoader.load(Path.of("rubrics"));
        var fn = new CalibrationAggregator(Duration.ofMinutes(5), rubrics, 4, Duration.ofDays(30), Duration.ofDays(2));
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(fn),
                CalibrationPair::calibrationKey, Types.STRING)) {
            h.open();
            for (int i = 0; i < 10; i++) {
                h.processElement(new StreamRecord<>(pair("a" + i, "m1", 5, true, E1 - 1000 * i, 1)));
            }
            h.processWatermark(E1);
            CalibrationRow first = h.extractOutputValues().get(0);
            assertThat(first.windowPairs()).isEqualTo(10);
            assertThat(first.windowUsefulAgreement()).isEqualTo(1.0);
            assertThat(first.calibrated()).isTrue();
            // Wilson 95 % of 10/10: [0.7225, 1] (closed form, e.g. statsmodels proportion_confint method='wilson')
            assertThat(first.windowAgreementLow()).isCloseTo(0.72246, within(1e-4));

            long day3 = E1 + Duration.ofDays(3).toMillis();
            for (int i = 0; i < 10; i++) {
                h.processElement(new StreamRecord<>(pair("b" + i, "m1", 5, false, day3 - 1000 * i, 1)));
            }
            h.processElement(new StreamRecord<>(pair("c1", "m2", 5, true, day3, 1)));
            h.processElement(new StreamRecord<>(pair("c2", "m2", 5, true, day3, 1)));
            h.processWatermark(day3);
            List<CalibrationRow> rows = h.extractOutputValues();
            CalibrationRow m1 = rows.stream().filter(r -> r.judgeModel().equals("m1") && r.evalTime() == day3)
                    .findFirst().orElseThrow();
            assertThat(m1.nPairs()).isEqualTo(20);
            assertThat(m1.usefulAgreement()).isEqualTo(0.5);
            assertThat(m1.windowPairs()).isEqualTo(10);
            assertThat(m1.windowUsefulAgreement()).isEqualTo(0.0);
            assertThat(m1.calibrated()).isFalse();
            assertThat(m1.alert()).isTrue();
            CalibrationRow m2 = rows.stream().filter(r -> r.judgeModel().equals("m2")).findFirst().orElseThrow();
            assertThat(m2.windowPairs()).isEqualTo(2);
            assertThat(m2.calibrated()).isFalse();
            assertThat(m2.alert()).isFalse();
        }
    }

    /**
     * Weighted agreement: two agreeing pairs of weight 1 and one disagreeing of weight 4 (picked with
     * probability 0.25): Σw·agree / Σw = 2 / 6; effective pairs (Σw)²/Σw² = 36 / 18 = 2.
     */
    @Test
    void agreementIsWeightedByTheReviewQueueProbabilities() {
        CalibrationStats s = CalibrationStats.of(1, 5);
        s.add(5, 5, true, 4, 1);
        s.add(2, 2, false, 4, 1);
        s.add(5, 2, false, 4, 4);
        assertThat(s.usefulAgreement()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(s.weightedUsefulAgreement()).isCloseTo(2 / 6.0, within(1e-12));
        assertThat(s.effectivePairs()).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void boundaryIsTheFirstMultipleAtOrAfterTheTimestamp() {
        assertThat(CalibrationAggregator.boundary(E1, MIN5)).isEqualTo(E1);
        assertThat(CalibrationAggregator.boundary(E1 + 1, MIN5)).isEqualTo(E1 + MIN5);
        assertThat(CalibrationAggregator.boundary(E1 - MIN5 + 1, MIN5)).isEqualTo(E1);
    }
}
