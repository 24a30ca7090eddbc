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
 * When partials leave the local aggregation: as one batch per (slo, cohort, history interval),
 * never before the watermark passes the interval's end (so one interval of one subtask is one
 * record), always before a checkpoint barrier (so no partial is in flight inside a checkpoint),
 * when over the bound, and at the end of input.
 */
class LocalAggregationOperatorTest {

    static final long T0 = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
    static final long MIN = TimeBuckets.MINUTE;
    static final long INTERVAL = 5 * MIN;
    static final Map<String, String> CHAT = Map.of("surface", "chat");

    static OneInputStreamOperatorTestHarness<Observation, PartialBatch> harness() throws Exception {
        return harness(LocalAggregationOperator.MAX_OPEN);
    }

    static OneInputStreamOperatorTestHarness<Observation, PartialBatch> harness(int maxOpen) throws Exception {
        OneInputStreamOperatorTestHarness<Observation, PartialBatch> h = new OneInputStreamOperatorTestHarness<>(
                new LocalAggregationOperator(new CohortKeys(List.of(List.of("surface"))), Set.of(), INTERVAL, maxOpen));
        h.open();
        return h;
    }

    static StreamRecord<Observation> obs(long t, boolean good) {
        return new StreamRecord<>(Observation.ratio(SloCatalog.SUCCESS, t, CHAT, good), t);
    }

    @Test
    void anIntervalLeavesAsOneBatchPerCohortWhenTheWatermarkPassesItsEnd() throws Exception {
        try (var h = harness()) {
            for (int i = 0; i < 10; i++) {
                h.processElement(obs(T0 + 1 + i * 1000, i % 2 == 0)); // minute 1
            }
            h.processElement(obs(T0 + 3 * MIN + 1, true)); // minute 4, same interval (T0, T0 + 5m]
            h.processElement(obs(T0 + 5 * MIN + 1, false)); // minute 6: the next interval
            h.processWatermark(new Watermark(T0 + MIN));
            h.processWatermark(new Watermark(T0 + 5 * MIN - 1));
            assertThat(h.extractOutputValues()).as("minutes wait for their interval's end").isEmpty();

            h.processWatermark(new Watermark(T0 + 5 * MIN)); // passes the first interval only
            List<PartialBatch> out = h.extractOutputValues();
            assertThat(out).extracting(PartialBatch::cohort).containsExactlyInAnyOrder("*", "surface=chat");
            assertThat(out).allSatisfy(b -> {
                assertThat(b.key()).isEqualTo(SloCatalog.SUCCESS + "|" + b.cohort());
                assertThat(b.minutes()).extracting(PartialBucket::minuteEnd).containsExactly(T0 + MIN, T0 + 4 * MIN);
                assertThat(b.minutes()).extracting(PartialBucket::n).containsExactly(10L, 1L);
                assertThat(b.minutes()).extracting(PartialBucket::good).containsExactly(5L, 1L);
                assertThat(b.minutes()).allMatch(m -> m.key().equals(b.key()) && m.cohort().equals(b.cohort()));
            });
            // the batches come before the watermark that released them
            assertThat(h.getOutput().toArray()[h.getOutput().size() - 1]).isEqualTo(new Watermark(T0 + 5 * MIN));

            h.processWatermark(new Watermark(T0 + 10 * MIN));
            assertThat(h.extractOutputValues()).hasSize(4); // 2 before + the second interval's 2
        }
    }

    @Test
    void everythingLeavesBeforeACheckpointBarrierSoNothingIsInFlightInTheSnapshot() throws Exception {
        try (var h = harness()) {
            h.processElement(obs(T0 + 1, true));
            h.processElement(obs(T0 + 3 * MIN, false));
            h.processElement(obs(T0 + 7 * MIN, false));
            h.prepareSnapshotPreBarrier(1);
            // two intervals × two cohorts, mid-interval: nothing waits for the watermark
            List<PartialBatch> out = h.extractOutputValues();
            assertThat(out).hasSize(4);
            assertThat(out).filteredOn(b -> b.firstMinute() == T0 + MIN)
                    .allSatisfy(b -> assertThat(b.minutes()).hasSize(2));
            // the operator keeps no state: the snapshot is empty
            assertThat(h.snapshot(1, T0).getManagedOperatorState()).isEmpty();
            // and the interval goes on: a later observation of it is a second batch (a sum downstream)
            h.processElement(obs(T0 + 4 * MIN, true));
            h.processWatermark(new Watermark(T0 + 5 * MIN));
            assertThat(h.extractOutputValues()).hasSize(6);
        }
    }

    @Test
    void overTheBoundEverythingLeavesAtOnce() throws Exception {
        try (var h = harness(3)) {
            h.processElement(obs(T0 + 1, true)); // * and surface=chat of minute 1: 2 open
            h.processElement(obs(T0 + 2 * MIN, true)); // minute 2: 4 open, over the bound of 3
            List<PartialBatch> out = h.extractOutputValues();
            assertThat(out).hasSize(2).allSatisfy(b -> assertThat(b.minutes()).hasSize(2));
            h.processElement(obs(T0 + 3 * MIN, true)); // a fresh start: 2 open
            assertThat(h.extractOutputValues()).hasSize(2);
            h.processWatermark(new Watermark(T0 + 5 * MIN));
            assertThat(h.extractOutputValues()).hasSize(4);
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
