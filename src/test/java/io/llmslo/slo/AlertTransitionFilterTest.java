package io.llmslo.slo;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** One opening, its re-explanation, its resolve, a second opening: the topic sees three rows. */
class AlertTransitionFilterTest {

    static final long T = AlertExplainerFunctionTest.T;

    @Test
    void aReExplainedOpeningPassesOnceAndStateIsGoneAfterTheResolve() throws Exception {
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new AlertTransitionFilter()),
                AlertTransitionFilter::keyOf, Types.STRING)) {
            h.open();
            AlertEvent open = AlertExplainerFunctionTest.row("*", AlertEvent.FIRING, T, 50.0).explainedBy("*");
            h.processElement(new StreamRecord<>(open, T));
            h.processElement(new StreamRecord<>(open.explainedBy("surface=chat"), T + 300_000));
            assertThat(h.extractOutputValues()).containsExactly(open);
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);

            AlertEvent resolved = AlertExplainerFunctionTest.row("*", AlertEvent.RESOLVED, T + 600_000, 0.0);
            h.processElement(new StreamRecord<>(resolved, T + 600_000));
            assertThat(h.numKeyedStateEntries()).isZero();
            AlertEvent again = AlertExplainerFunctionTest.row("*", AlertEvent.FIRING, T + 900_000, 30.0);
            h.processElement(new StreamRecord<>(again, T + 900_000));
            assertThat(h.extractOutputValues()).containsExactly(open, resolved, again);
        }
    }
}
