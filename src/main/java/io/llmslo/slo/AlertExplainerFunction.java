package io.llmslo.slo;

import io.llmslo.detect.CohortExplainer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by SLO: names in {@code explained_by} the most specific cohort that explains each open
 * alert of the sequential detector (DESIGN §4 turn 2; {@link CohortExplainer}). Each (slo,
 * cohort) alerts on its own evidence, so a locale regression also opens its surface's and the
 * global cohort's alerts; here the rows of one instant are collected until the watermark passes
 * it, and every open alert gets the descendant (or itself) whose excess of bad events holds
 * most of its own. When a narrower cohort opens later, the broader open rows are written again
 * with the new explanation (same key: an upsert, not a new row).
 *
 * <p>State: the open firing rows of the SLO (removed on resolve) and the rows waiting for the
 * watermark (removed by the timer).
 */
public class AlertExplainerFunction extends KeyedProcessFunction<String, AlertEvent, AlertEvent> {

    private transient MapState<String, AlertEvent> open;
    private transient ListState<AlertEvent> pending;

    @Override
    public void open(OpenContext ctx) {
        open = getRuntimeContext().getMapState(new MapStateDescriptor<>("open-alerts", Types.STRING,
                TypeInformation.of(AlertEvent.class)));
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("pending-alerts",
                TypeInformation.of(AlertEvent.class)));
    }

    @Override
    public void processElement(AlertEvent a, Context ctx, Collector<AlertEvent> out) throws Exception {
        if (a.eValue() == null) {
            out.collect(a); // rules without sequential evidence pass through
            return;
        }
        pending.add(a);
        ctx.timerService().registerEventTimeTimer(a.at());
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<AlertEvent> out) throws Exception {
        List<AlertEvent> now = new ArrayList<>();
        List<AlertEvent> later = new ArrayList<>();
        for (AlertEvent a : pending.get()) {
            (a.at() <= t ? now : later).add(a);
        }
        pending.update(later);
        now.sort(Comparator.comparing(AlertEvent::cohort).thenComparing(AlertEvent::severity));
        List<AlertEvent> opened = new ArrayList<>();
        for (AlertEvent a : now) {
            if (AlertEvent.FIRING.equals(a.state())) {
                open.put(key(a), a);
                opened.add(a);
            }
        }
        // every open row the new openings could change, then the new rows themselves
        Map<String, String> before = new HashMap<>();
        for (Map.Entry<String, AlertEvent> e : open.entries()) {
            before.put(e.getKey(), e.getValue().explainedBy());
        }
        for (Map.Entry<String, AlertEvent> e : new ArrayList<>(toList(open.entries()))) {
            AlertEvent row = e.getValue();
            String by = explain(row);
            boolean isNew = opened.contains(row);
            if (isNew || (by != null && !by.equals(before.get(e.getKey())))) {
                AlertEvent explained = row.explainedBy(by);
                open.put(e.getKey(), explained);
                out.collect(explained);
            }
        }
        for (AlertEvent a : now) {
            if (AlertEvent.RESOLVED.equals(a.state())) {
                AlertEvent firing = open.get(key(a));
                open.remove(key(a));
                out.collect(firing == null ? a : a.explainedBy(firing.explainedBy()));
            }
        }
    }

    /** Among the open rows of the same severity on this cohort or narrower ones, the explanation. */
    private String explain(AlertEvent row) throws Exception {
        Map<String, long[]> excess = new HashMap<>();
        for (AlertEvent o : open.values()) {
            if (o.severity().equals(row.severity()) && o.excess() != null && within(o.cohort(), row.cohort())) {
                // CohortExplainer works on counts: an excess e at p0 = 0 is e bad events of e
                long x = Math.max(0, Math.round(o.excess()));
                excess.put(o.cohort(), new long[] {x, x});
            }
        }
        String by = CohortExplainer.explain(excess, 0, CohortExplainer.DEFAULT_SHARE);
        return by == null ? row.cohort() : by;
    }

    /** Whether {@code narrow} holds a subset of {@code broad}'s traffic: every dimension of broad, same value. */
    static boolean within(String narrow, String broad) {
        if (narrow.equals(broad) || CohortKeys.GLOBAL.equals(broad)) {
            return true;
        }
        List<String> n = List.of(narrow.split("(?<!\\\\),"));
        for (String part : broad.split("(?<!\\\\),")) {
            if (!n.contains(part)) {
                return false;
            }
        }
        return true;
    }

    private static String key(AlertEvent a) {
        return a.cohort() + "|" + a.severity();
    }

    private static <T> List<T> toList(Iterable<T> it) {
        List<T> out = new ArrayList<>();
        it.forEach(out::add);
        return out;
    }
}
