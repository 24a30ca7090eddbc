package io.llmslo.cohort;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by dimension, fed with first sightings only (never events): at the end of each minute of
 * event time (an event-time timer, so when every subtask's watermark has passed it) decides the
 * values first seen in that minute by {@link CohortAdmissionRule} and emits each decision once,
 * before its watermark, so a relabel operator holds a partial at most until the watermark passes
 * its minute. A sighting that comes after its minute was decided (a late observation) is decided
 * at the next watermark.
 *
 * <p>State per dimension: at most max_values admitted names, a full flag, and the sightings of
 * minutes not yet ended (cleared once the dimension is full; later sightings are then ignored).
 */
public class CohortAdmissionFunction extends KeyedProcessFunction<String, CohortSighting, CohortDecision> {

    private final int maxValues;

    private transient MapState<String, Long> pending;
    private transient MapState<String, Boolean> admitted;
    private transient ValueState<Integer> admittedCount;
    private transient ValueState<Boolean> full;

    public CohortAdmissionFunction(int maxValues) {
        this.maxValues = maxValues;
    }

    @Override
    public void open(OpenContext ctx) {
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending", Types.STRING, Types.LONG));
        admitted = getRuntimeContext().getMapState(new MapStateDescriptor<>("admitted", Types.STRING, Types.BOOLEAN));
        admittedCount = getRuntimeContext().getState(new ValueStateDescriptor<>("admitted-count", Types.INT));
        full = getRuntimeContext().getState(new ValueStateDescriptor<>("full", Types.BOOLEAN));
    }

    @Override
    public void processElement(CohortSighting s, Context ctx, Collector<CohortDecision> out) throws Exception {
        if (Boolean.TRUE.equals(full.value()) || admitted.contains(s.value())) {
            return;
        }
        Long minute = pending.get(s.value());
        if (minute == null || s.minuteEnd() < minute) {
            pending.put(s.value(), s.minuteEnd());
            ctx.timerService().registerEventTimeTimer(s.minuteEnd());
        }
    }

    @Override
    public void onTimer(long at, OnTimerContext ctx, Collector<CohortDecision> out) throws Exception {
        if (Boolean.TRUE.equals(full.value())) {
            return;
        }
        Map<String, Long> due = new HashMap<>();
        for (Map.Entry<String, Long> e : pending.entries()) {
            if (e.getValue() <= at) {
                due.put(e.getKey(), e.getValue());
            }
        }
        if (due.isEmpty()) {
            return;
        }
        int count = admittedCount.value() == null ? 0 : admittedCount.value();
        CohortAdmissionRule.Outcome outcome = CohortAdmissionRule.decide(due, maxValues - count);
        String dim = ctx.getCurrentKey();
        for (String v : outcome.admitted()) {
            admitted.put(v, true);
            out.collect(CohortDecision.admit(dim, v));
        }
        admittedCount.update(count + outcome.admitted().size());
        if (outcome.full()) {
            full.update(true);
            pending.clear(); // every later value is folded: nothing left to decide
            out.collect(CohortDecision.full(dim));
        } else {
            for (String v : due.keySet()) {
                pending.remove(v);
            }
        }
    }
}
