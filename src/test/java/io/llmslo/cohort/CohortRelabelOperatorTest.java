package io.llmslo.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.event.DeadLetter;
import io.llmslo.event.RecordGuard;
import io.llmslo.slo.PartialBatch;
import io.llmslo.slo.PartialBucket;
import java.util.List;
import java.util.Set;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Partials wait for their decision, survive a restore while waiting, and leave before their watermark. */
class CohortRelabelOperatorTest {

    static final CohortCap CAP = new CohortCap(Set.of("cohort.region"), 1);
    static final long M1 = 60_000;

    static PartialBatch partial(String region, long n) {
        String cohort = "surface=chat,cohort.region=" + region;
        return PartialBatch.of(new PartialBucket("latency|" + cohort, "latency", cohort, M1, n, n, M1 - 1, null));
    }

    static TwoInputStreamOperatorTestHarness<PartialBatch, CohortDecision, PartialBatch> harness(OperatorSubtaskState from)
            throws Exception {
        var h = new TwoInputStreamOperatorTestHarness<>(new CohortRelabelOperator(CAP));
        if (from != null) {
            h.initializeState(from);
        }
        h.open();
        return h;
    }

    @Test
    void waitsForItsDecisionAcrossARestoreAndLeavesBeforeTheWatermark() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(null)) {
            h.processElement1(new StreamRecord<>(partial("eu", 2)));
            h.processElement1(new StreamRecord<>(partial("us", 3)));
            h.processWatermark1(new Watermark(M1));
            // undecided: held, and the watermark waits for the decisions input
            assertThat(h.getOutput()).isEmpty();
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(snapshot)) {
            h.processWatermark1(new Watermark(M1));
            h.processElement2(new StreamRecord<>(CohortDecision.admit("cohort.region", "eu")));
            assertThat(h.extractOutputValues()).containsExactly(partial("eu", 2));
            h.processElement2(new StreamRecord<>(CohortDecision.full("cohort.region")));
            h.processWatermark2(new Watermark(M1));
            List<Object> out = List.copyOf(h.getOutput());
            assertThat(out).hasSize(3);
            PartialBatch folded = ((StreamRecord<PartialBatch>) out.get(1)).getValue();
            assertThat(folded.key()).isEqualTo("latency|surface=chat,cohort.region=__other__");
            assertThat(folded.observations()).isEqualTo(3);
            assertThat(out.get(2)).isEqualTo(new Watermark(M1));
            // one dead letter per folded partial, carrying its observations
            List<DeadLetter> dead = h.getSideOutput(RecordGuard.DEAD_LETTERS).stream().map(StreamRecord::getValue).toList();
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).count()).isEqualTo(3);
            assertThat(dead.get(0).reason()).startsWith("cohort_cap:").contains("'cohort.region'");
            snapshot = h.snapshot(2, 2);
        }
        try (var h = harness(snapshot)) {
            // the decisions are restored: no waiting after a restore
            h.processElement1(new StreamRecord<>(partial("eu", 1)));
            h.processElement1(new StreamRecord<>(partial("ap", 1)));
            assertThat(h.extractOutputValues()).extracting(PartialBatch::cohort)
                    .containsExactly("surface=chat,cohort.region=eu", "surface=chat,cohort.region=__other__");
        }
    }
}
