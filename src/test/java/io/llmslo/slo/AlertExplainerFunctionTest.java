package io.llmslo.slo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Excess values by hand; the explanation share is 0.75 (CohortExplainer.DEFAULT_SHARE). */
class AlertExplainerFunctionTest {

    static final long T = 1_790_000_000_000L;

    static AlertEvent row(String cohort, String state, long at, Double excess) {
        return new AlertEvent(SloCatalog.ACCEPTANCE, cohort, "digest", state, at, "7d", null, 1.5, null, 0.01, 500,
                1e6, 6e4, at - 3_600_000L, 1.5, excess, null);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, AlertEvent, AlertEvent> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new AlertExplainerFunction()),
                AlertEvent::slo, Types.STRING);
    }

    @Test
    void aLocaleRegressionIsExplainedByTheLocaleAndStateEndsEmpty() throws Exception {
        try (var h = harness()) {
            h.open();
            // the same instant: global excess 50, surface 45, the locale 40 (≥ 0.75 · 50 = 37.5)
            h.processElement(new StreamRecord<>(row("*", AlertEvent.FIRING, T, 50.0), T));
            h.processElement(new StreamRecord<>(row("surface=chat", AlertEvent.FIRING, T, 45.0), T));
            h.processElement(new StreamRecord<>(row("surface=chat,cohort.locale=ja-JP", AlertEvent.FIRING, T, 40.0), T));
            assertThat(h.extractOutputValues()).isEmpty(); // waits for the watermark
            h.processWatermark(T);
            List<AlertEvent> out = h.extractOutputValues();
            assertThat(out).extracting(AlertEvent::cohort, AlertEvent::explainedBy).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("*", "surface=chat,cohort.locale=ja-JP"),
                    org.assertj.core.groups.Tuple.tuple("surface=chat", "surface=chat,cohort.locale=ja-JP"),
                    org.assertj.core.groups.Tuple.tuple("surface=chat,cohort.locale=ja-JP",
                            "surface=chat,cohort.locale=ja-JP"));
            long later = T + 600_000L;
            for (String c : List.of("*", "surface=chat", "surface=chat,cohort.locale=ja-JP")) {
                h.processElement(new StreamRecord<>(row(c, AlertEvent.RESOLVED, later, null), later));
            }
            h.processWatermark(later);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aNarrowerCohortOpeningLaterRewritesTheBroaderRow() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(new StreamRecord<>(row("*", AlertEvent.FIRING, T, 30.0), T));
            h.processWatermark(T);
            assertThat(h.extractOutputValues()).extracting(AlertEvent::explainedBy).containsExactly("*");
            long later = T + 300_000L;
            h.processElement(new StreamRecord<>(row("surface=agent", AlertEvent.FIRING, later, 28.0), later));
            h.processWatermark(later);
            // the global row again (same key: an upsert), now explained by agent; then agent's own row
            assertThat(h.extractOutputValues()).extracting(AlertEvent::cohort, AlertEvent::at, AlertEvent::explainedBy)
                    .contains(org.assertj.core.groups.Tuple.tuple("*", T, "surface=agent"),
                            org.assertj.core.groups.Tuple.tuple("surface=agent", later, "surface=agent"));
        }
    }

    @Test
    void aGlobalOutageStaysGlobalAndOtherRulesPassThrough() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(new StreamRecord<>(row("*", AlertEvent.FIRING, T, 300.0), T));
            h.processElement(new StreamRecord<>(row("surface=chat", AlertEvent.FIRING, T, 150.0), T));
            h.processElement(new StreamRecord<>(row("surface=agent", AlertEvent.FIRING, T, 150.0), T));
            AlertEvent ticket = new AlertEvent(SloCatalog.COST_P99, "*", "ticket", AlertEvent.FIRING, T, "24h", null,
                    null, null, 0.001, 90);
            h.processElement(new StreamRecord<>(ticket, T));
            h.processWatermark(T);
            assertThat(h.extractOutputValues()).extracting(AlertEvent::cohort, AlertEvent::explainedBy)
                    .contains(org.assertj.core.groups.Tuple.tuple("*", "*"))
                    .contains(org.assertj.core.groups.Tuple.tuple("*", null)); // the ticket, untouched
        }
    }

    @Test
    void withinComparesDimensions() {
        assertThat(AlertExplainerFunction.within("surface=chat,cohort.locale=ja-JP", "surface=chat")).isTrue();
        assertThat(AlertExplainerFunction.within("surface=chat", "surface=chat,cohort.locale=ja-JP")).isFalse();
        assertThat(AlertExplainerFunction.within("surface=agent", "surface=chat")).isFalse();
        assertThat(AlertExplainerFunction.within("surface=chat,provider=openai", "provider=openai")).isTrue();
    }
}
