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
 * Keyed by dimension, fed with first sightings only (never events): at the end of each history
 * interval of event time (an event-time timer, so when every subtask's watermark has passed it)
 * decides the values first seen in that interval by {@link CohortAdmissionRule}, in (first minute,
 * value) order, and emits each decision once, before its watermark, so a relabel operator holds a
 * batch at most until the watermark passes its interval. Partials leave the local aggregations per
 * interval (at its end, or earlier before a checkpoint barrier or over their bound), so only at an
 * interval's end are all sightings of its minutes here: deciding a minute earlier could admit a
 * value seen later before one seen earlier by a subtask that had not flushed yet. The outcome is
 * the same as deciding minute by minute: the rule admits in (minute, value) order while there is
 * room. A sighting that comes after its interval was decided (a late observation) is decided at
 * the next watermark.
 *
 * <p>State per dimension: at most max_values admitted names, a full flag, and the sightings of
 * minutes not yet ended (cleared once the dimension is full; later sightings are then ignored).
 */
public class CohortAdmissionFunction extends KeyedProcessFunction<String, CohortSighting, CohortDecision> {

    private final int maxValues;
    private final long interval;

    private transient MapState<String, Long> pending;
    private transient MapState<String, Boolean> admitted;
    private transient ValueState<Integer> admittedCount;
    private transient ValueState<Boolean> full;

    /** @param intervalMs the history interval: the partials' batches span one, decisions come at its end */
    public CohortAdmissionFunction(int maxValues, long intervalMs) {
        this.maxValues = maxValues;
        this.interval = intervalMs;
    }

    /** Decisions at every minute (partials sent per minute). */
    public CohortAdmissionFunction(int maxValues) {
        this(maxValues, io.llmslo.slo.TimeBuckets.MINUTE);
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
            ctx.timerService().registerEventTimeTimer(io.llmslo.slo.TimeBuckets.endOf(s.minuteEnd(), interval));
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
