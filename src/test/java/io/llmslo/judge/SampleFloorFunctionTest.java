package io.llmslo.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.event.Outcome;
import io.llmslo.event.ResponseEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.api.common.typeinfo.Types;
import org.junit.jupiter.api.Test;

class SampleFloorFunctionTest {

    static final long T0 = 1_795_000_000_000L - (1_795_000_000_000L % 3_600_000L); // an hour start

    static ResponseEvent response(String id, long ts) {
        return new ResponseEvent(id, ts, "chat", "m-1", "p", new HashMap<>(), false, Outcome.SUCCESS,
                false, null, null, null, null, null, null, null, null, null, "q", "a");
    }

    @Test
    void topsUpTheHourToTheFloorThenOnlyHashSampledPassAndStateIsCleared() throws Exception {
        // Rate 0: nothing is hash-sampled, so exactly `floor` per hour pass.
        var fn = new SampleFloorFunction(new Sampler(0.0, Map.of()), 3);
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(fn),
                SampleFloorFunction::cohortKey, Types.STRING)) {
            h.open();
            for (int i = 0; i < 10; i++) {
                h.processElement(new StreamRecord<>(response("a" + i, T0 + i * 1000), T0 + i * 1000));
            }
            assertThat(h.extractOutputValues()).extracting(ResponseEvent::requestId)
                    .containsExactly("a0", "a1", "a2");
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.processWatermark(T0 + 3_600_000L - 1); // the hour is complete
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();

            // A late record of the closed hour: only the hash decides (rate 0 → dropped), no state.
            h.processElement(new StreamRecord<>(response("late", T0 + 5), T0 + 5));
            assertThat(h.extractOutputValues()).hasSize(3);
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void hashSampledAlwaysPassAndCountTowardsTheFloor() throws Exception {
        // req-000014 is hash-sampled at 5 %; req-000001/2 are not.
        var fn = new SampleFloorFunction(new Sampler(0.05, Map.of()), 2);
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(fn),
                SampleFloorFunction::cohortKey, Types.STRING)) {
            h.open();
            for (String id : List.of("req-000014", "req-000001", "req-000002", "req-000000")) {
                h.processElement(new StreamRecord<>(response(id, T0 + 10), T0 + 10));
            }
            assertThat(h.extractOutputValues()).extracting(ResponseEvent::requestId)
                    .containsExactly("req-000014", "req-000001", "req-000000");
        }
    }
}
