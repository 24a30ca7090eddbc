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
        return new CalibrationPair(id, "helpfulness", 3, 4, judge, human, useful, "rater", ts);
    }

    @Test
    void emitsCumulativeRowsAtBoundariesWithNewPairsAndAlertsBelowMinAgreement() throws Exception {
        Map<String, Rubric> rubrics = RubricLoader.load(Path.of("rubrics")); // helpfulness: min_agreement 0.80
        var fn = new CalibrationAggregator(Duration.ofMinutes(5), rubrics, 4, Duration.ofDays(30));
        assertThat(E1 % MIN5).isZero();
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(fn),
                CalibrationPair::rubricKey, Types.STRING)) {
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

            // Retention: 30 days without pairs retire the rubric version's state.
            assertThat(h.numKeyedStateEntries()).isEqualTo(2); // total + cleanup-at
            h.processWatermark(E1 + 11 * MIN5 + Duration.ofDays(30).toMillis());
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void boundaryIsTheFirstMultipleAtOrAfterTheTimestamp() {
        assertThat(CalibrationAggregator.boundary(E1, MIN5)).isEqualTo(E1);
        assertThat(CalibrationAggregator.boundary(E1 + 1, MIN5)).isEqualTo(E1 + MIN5);
        assertThat(CalibrationAggregator.boundary(E1 - MIN5 + 1, MIN5)).isEqualTo(E1);
    }
}
