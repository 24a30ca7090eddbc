package io.llmslo.slo;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Tracks the latest observation time of the whole job and emits it, rounded up to the history
 * interval, each time it moves on. Broadcast to every evaluator so a bounded run ends all
 * (slo, cohort) series at the same instant, whatever subtask they live on. Runs with a single
 * key (parallelism 1), so its state is checkpointed like any keyed state.
 */
public class EventTimeProgress extends KeyedProcessFunction<Integer, Long, Long> {

    private final long interval;
    private transient ValueState<Long> emitted;

    public EventTimeProgress(long intervalMs) {
        this.interval = intervalMs;
    }

    @Override
    public void open(OpenContext ctx) {
        emitted = getRuntimeContext().getState(new ValueStateDescriptor<>("emitted-end", Types.LONG));
    }

    @Override
    public void processElement(Long t, Context ctx, Collector<Long> out) throws Exception {
        long end = TimeBuckets.endOf(t, interval);
        Long last = emitted.value();
        if (last == null || end > last) {
            emitted.update(end);
            out.collect(end);
        }
    }
}
