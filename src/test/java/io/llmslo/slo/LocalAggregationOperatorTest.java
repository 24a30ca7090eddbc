package io.llmslo.slo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * When partials leave the local aggregation: never before the watermark passes their minute
 * (so one minute of one subtask is one partial), always before a checkpoint barrier (so no
 * partial is in flight inside a checkpoint) and at the end of input.
 */
class LocalAggregationOperatorTest {

    static final long T0 = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
    static final long MIN = TimeBuckets.MINUTE;
    static final long INTERVAL = 5 * MIN;
    static final Map<String, String> CHAT = Map.of("surface", "chat");

    static OneInputStreamOperatorTestHarness<Observation, PartialBucket> harness() throws Exception {
        OneInputStreamOperatorTestHarness<Observation, PartialBucket> h = new OneInputStreamOperatorTestHarness<>(
                new LocalAggregationOperator(new CohortKeys(List.of(List.of("surface"))), Set.of(), INTERVAL));
        h.open();
        return h;
    }

    static StreamRecord<Observation> obs(long t, boolean good) {
        return new StreamRecord<>(Observation.ratio(SloCatalog.SUCCESS, t, CHAT, good), t);
    }

    @Test
    void aMinuteLeavesAsOnePartialPerCohortWhenTheWatermarkPassesIt() throws Exception {
        try (var h = harness()) {
            for (int i = 0; i < 10; i++) {
                h.processElement(obs(T0 + 1 + i * 1000, i % 2 == 0));
            }
            h.processElement(obs(T0 + MIN + 1, true));
            assertThat(h.extractOutputValues()).isEmpty();

            h.processWatermark(new Watermark(T0 + MIN)); // passes the first minute only
            List<PartialBucket> out = h.extractOutputValues();
            assertThat(out).extracting(PartialBucket::cohort).containsExactlyInAnyOrder("*", "surface=chat");
            assertThat(out).allMatch(b -> b.n() == 10 && b.good() == 5 && b.minuteEnd() == T0 + MIN);
            // the partials come before the watermark that released them
            assertThat(h.getOutput().toArray()[h.getOutput().size() - 1]).isEqualTo(new Watermark(T0 + MIN));
        }
    }

    @Test
    void everythingLeavesBeforeACheckpointBarrierSoNothingIsInFlightInTheSnapshot() throws Exception {
        try (var h = harness()) {
            h.processElement(obs(T0 + 1, true));
            h.processElement(obs(T0 + 3 * MIN, false));
            h.prepareSnapshotPreBarrier(1);
            assertThat(h.extractOutputValues()).hasSize(4);
            // the operator keeps no state: the snapshot is empty
            assertThat(h.snapshot(1, T0).getManagedOperatorState()).isEmpty();
        }
    }

    @Test
    void reportsItsLatestIntervalOnlyWhenItMovesOn() throws Exception {
        try (var h = harness()) {
            h.processElement(obs(T0 + 1, true));
            h.processElement(obs(T0 + 2 * MIN, true)); // same interval (T0, T0 + 5m]
            h.processElement(obs(T0 + 10 * MIN + 1, true));
            h.processElement(obs(T0 + 1, true)); // behind: no report
            // a gap of years costs one report, not one per empty interval
            h.processElement(obs(T0 + 3L * 365 * TimeBuckets.DAY, true));
            assertThat(h.getSideOutput(LocalAggregationOperator.PROGRESS)).extracting(StreamRecord::getValue)
                    .containsExactly(T0 + INTERVAL, T0 + 15 * MIN, T0 + 3L * 365 * TimeBuckets.DAY);
        }
    }
}
