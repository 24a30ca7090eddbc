package io.llmslo.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.event.DeadLetter;
import io.llmslo.event.RecordGuard;
import java.util.List;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** A record that makes a stage throw is a dead letter; the records around it go through. */
class GuardedFlatMapTest {

    @Test
    void aThrowingRecordBecomesADeadLetterAndTheStreamGoesOn() throws Exception {
        FlatMapFunction<Integer, Integer> divide = (x, out) -> out.collect(100 / x);
        GuardedFlatMap<Integer, Integer> fn = new GuardedFlatMap<>("divide", "observations", divide, String::valueOf);
        try (OneInputStreamOperatorTestHarness<Integer, Integer> h =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(fn))) {
            h.open();
            h.processElement(new StreamRecord<>(5, 10L));
            h.processElement(new StreamRecord<>(0, 11L)); // ArithmeticException
            h.processElement(new StreamRecord<>(20, 12L));
            assertThat(h.extractOutputValues()).containsExactly(20, 5);
            List<DeadLetter> dead = h.getSideOutput(RecordGuard.DEAD_LETTERS).stream().map(StreamRecord::getValue).toList();
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).reason()).isEqualTo("internal: java.lang.ArithmeticException in divide");
            assertThat(dead.get(0).payload()).isEqualTo("0");
            assertThat(dead.get(0).eventTime()).isEqualTo(11L);
        }
    }

    @Test
    void checkedExceptionsAreTheInfrastructuresAndStillFail() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RecordGuard.run("op", "s", null, () -> "", d -> {},
                () -> { throw new java.io.IOException("state backend"); })).isInstanceOf(java.io.IOException.class);
    }
}
