package io.llmslo.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.event.DeadLetter;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Repeats of one bad record are counted; a restore replays to the same counts (the sink keeps the larger). */
class DeadLetterCounterTest {

    static KeyedOneInputStreamOperatorTestHarness<String, DeadLetter, DeadLetter> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new DeadLetterCounter()),
                DeadLetterCounter::keyOf, Types.STRING);
    }

    @Test
    void repeatsAreCountedAndARestoreReplaysTheSameCounts() throws Exception {
        DeadLetter bad = DeadLetter.of("responses", null, "not valid JSON", "{oops");
        DeadLetter other = DeadLetter.of("responses", null, "not valid JSON", "{oops2");
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement(new StreamRecord<>(bad));
            snapshot = h.snapshot(1, 1);
            h.processElement(new StreamRecord<>(bad));
            h.processElement(new StreamRecord<>(other));
            assertThat(h.extractOutputValues()).extracting(DeadLetter::count).containsExactly(1L, 2L, 1L);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            // the records after the checkpoint come again: the same counts as before the failure
            h.processElement(new StreamRecord<>(bad));
            h.processElement(new StreamRecord<>(other));
            assertThat(h.extractOutputValues()).extracting(DeadLetter::count).containsExactly(2L, 1L);
        }
    }

    @Test
    void theKeyHashesTheWholeRecordNotTheTruncatedPayload() {
        String head = "x".repeat(DeadLetter.MAX_PAYLOAD + 10);
        DeadLetter a = DeadLetter.of("responses", null, "r", head + "A");
        DeadLetter b = DeadLetter.of("responses", null, "r", head + "B");
        assertThat(a.payload()).isEqualTo(b.payload());
        assertThat(a.key()).isNotEqualTo(b.key());
    }
}
