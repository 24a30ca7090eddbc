package io.llmslo.pipeline;

import io.llmslo.event.DeadLetter;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by (source, record hash): counts how often the same bad record arrived and emits the
 * dead letter with the running count. The count is state, so it is checkpointed with the input
 * offsets: after a restore the replayed records re-emit the same counts, and the sink keeps the
 * larger count (never adds), so a restore or a replay never counts twice. Parallel, keyed by a
 * hash: no single task sees every dead letter.
 *
 * <p>Counts expire {@link #TTL} after a key's last repeat (bounded state under a flood of distinct
 * bad records); a repeat after that restarts at 1 and the table keeps the earlier, larger count.
 */
public class DeadLetterCounter extends KeyedProcessFunction<String, DeadLetter, DeadLetter> {

    static final Duration TTL = Duration.ofDays(7);

    private transient ValueState<Long> seen;

    @Override
    public void open(OpenContext ctx) {
        ValueStateDescriptor<Long> d = new ValueStateDescriptor<>("dead-letter-count", Types.LONG);
        d.enableTimeToLive(StateTtlConfig.newBuilder(TTL).build());
        seen = getRuntimeContext().getState(d);
    }

    @Override
    public void processElement(DeadLetter d, Context ctx, Collector<DeadLetter> out) throws Exception {
        Long n = seen.value();
        // a dead letter may stand for several records (cohort_cap: the observations one partial folded)
        long count = (n == null ? 0 : n) + Math.max(1, d.count());
        seen.update(count);
        out.collect(d.withCount(count));
    }

    public static String keyOf(DeadLetter d) {
        return d.source() + "|" + d.key();
    }
}
