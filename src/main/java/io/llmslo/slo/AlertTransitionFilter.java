package io.llmslo.slo;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by (slo, cohort, severity): lets each alert transition through once. The alert table is
 * an upsert, so {@link AlertExplainerFunction} may rewrite an open row when a narrower cohort
 * later explains it; a pager topic must not see that row as a second opening.
 *
 * <p>State: the {@code at} of the open firing row, cleared when it resolves.
 */
public class AlertTransitionFilter extends KeyedProcessFunction<String, AlertEvent, AlertEvent> {

    private transient ValueState<Long> openedAt;

    public static String keyOf(AlertEvent a) {
        return a.slo() + "|" + a.cohort() + "|" + a.severity();
    }

    @Override
    public void open(OpenContext ctx) {
        openedAt = getRuntimeContext().getState(new ValueStateDescriptor<>("opened-at", Types.LONG));
    }

    @Override
    public void processElement(AlertEvent a, Context ctx, Collector<AlertEvent> out) throws Exception {
        if (AlertEvent.FIRING.equals(a.state())) {
            Long at = openedAt.value();
            if (at != null && at == a.at()) {
                return; // the same opening, re-explained
            }
            openedAt.update(a.at());
        } else {
            openedAt.clear(); // resolved: the next firing row is a new opening
        }
        out.collect(a);
    }
}
