package io.llmslo.judge;

import io.llmslo.event.RecordGuard;

import io.llmslo.slo.AlertEvent;
import io.llmslo.slo.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Judge calibration per (rubric, version, judge model) (key {@link CalibrationPair#calibrationKey}):
 * all-time agreement figures and the same over a rolling window ({@code judge.calibration.window},
 * default 30 d), one {@link CalibrationRow} at each event-time interval boundary (e.g. every
 * 5 minutes) that received new pairs. Per judge model, because a provider swapping the model
 * behind the judge must show at once as a judge nobody has calibrated yet; rolling, because a
 * silent swap under the same name must show within the window, not diluted by months of history.
 *
 * <p>Exactness for replays: a pair counts in the row of the first boundary E with ts <= E (DESIGN
 * §2: a window evaluated at E holds t <= E). Pairs wait per boundary until the watermark passes it,
 * so the row at E holds exactly the pairs up to E whatever the arrival order. A pair whose
 * boundary has already been emitted (later than the watermark allows) counts at the next boundary
 * instead of rewriting an emitted row.
 *
 * <p>Alert (the calibration alert, a {@code ticket} of SLO {@value #ALERT_SLO} in
 * {@code slo_alerts} on {@link #ALERTS}, its cohort naming rubric and judge model): windowed useful
 * agreement below the rubric's {@code min_agreement} once the window holds at least
 * {@code minPairs} pairs (default {@value #DEFAULT_MIN_PAIRS}: below that, the 95 % interval of an
 * agreement near 0.8 is wider than ±0.14 and one rating flips the alert). It opens and resolves
 * once per episode.
 *
 * <p>State: the all-time counts (one small matrix), about 30 slices of the window, per-boundary
 * pending counts (cleared when the boundary fires), the alert flag, and a retention timer that
 * drops everything after {@code retention} without pairs (a retired version or model).
 */
public final class CalibrationAggregator extends KeyedProcessFunction<String, CalibrationPair, CalibrationRow> {

    public static final int DEFAULT_MIN_PAIRS = 30;
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    public static final Duration DEFAULT_WINDOW = Duration.ofDays(30);
    public static final String ALERT_SLO = "judge.calibration";

    public static final OutputTag<AlertEvent> ALERTS =
            new OutputTag<>("judge-calibration-alerts", TypeInformation.of(AlertEvent.class));

    private static final long HOUR = 3_600_000L;

    private final long intervalMs;
    private final HashMap<String, Double> minAgreementByRubric = new HashMap<>();
    private final HashMap<String, int[]> scaleByRubric = new HashMap<>();
    private final int minPairs;
    private final long retentionMs;
    private final long windowMs;
    private final long sliceMs;
    private final String windowName;

    private transient ValueState<CalibrationStats> total;
    private transient MapState<Long, CalibrationStats> pending;
    private transient MapState<Long, CalibrationStats> slices;
    private transient ValueState<Long> cleanupAt;
    private transient ValueState<Boolean> alertOpen;

    public CalibrationAggregator(Duration interval, Map<String, Rubric> rubrics) {
        this(interval, rubrics, DEFAULT_MIN_PAIRS, DEFAULT_RETENTION, DEFAULT_WINDOW);
    }

    public CalibrationAggregator(Duration interval, Map<String, Rubric> rubrics, int minPairs, Duration retention,
            Duration window) {
        this.intervalMs = interval.toMillis();
        rubrics.values().forEach(r -> {
            minAgreementByRubric.put(r.id(), r.minAgreement());
            scaleByRubric.put(r.id(), new int[] {r.scaleMin(), r.scaleMax()});
        });
        this.minPairs = minPairs;
        this.windowMs = window.toMillis();
        // the window is summed from ~30 slices of whole hours: it holds between W and W + one slice
        this.sliceMs = Math.max(HOUR, windowMs / 30 / HOUR * HOUR);
        this.windowName = Durations.format(window);
        // counts of the window must outlive it
        this.retentionMs = Math.max(retention.toMillis(), windowMs + sliceMs);
    }

    @Override
    public void open(OpenContext ctx) {
        TypeInformation<CalibrationStats> stats = TypeInformation.of(CalibrationStats.class);
        total = getRuntimeContext().getState(new ValueStateDescriptor<>("calibration-total", stats));
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("calibration-pending", Types.LONG, stats));
        slices = getRuntimeContext().getMapState(new MapStateDescriptor<>("calibration-slices", Types.LONG, stats));
        cleanupAt = getRuntimeContext().getState(new ValueStateDescriptor<>("calibration-cleanup-at", Types.LONG));
        alertOpen = getRuntimeContext().getState(new ValueStateDescriptor<>("calibration-alert-open", Types.BOOLEAN));
    }

    /** The first boundary E (a multiple of the interval) with ts <= E. */
    static long boundary(long ts, long intervalMs) {
        return Math.floorDiv(ts + intervalMs - 1, intervalMs) * intervalMs;
    }

    @Override
    public void processElement(CalibrationPair p, Context ctx, Collector<CalibrationRow> out) throws Exception {
        RecordGuard.run("calibration-aggregator", "ratings", p.ts(), p::toString,
                d -> ctx.output(RecordGuard.DEAD_LETTERS, d), () -> add(p, ctx));
    }

    private void add(CalibrationPair p, Context ctx) throws Exception {
        long wm = ctx.timerService().currentWatermark();
        long e = boundary(p.ts(), intervalMs);
        if (e <= wm) {
            e = boundary(wm + 1, intervalMs);
        }
        CalibrationStats s = pending.get(e);
        if (s == null) {
            s = empty(p.rubric());
        }
        s.add(p.judgeScore(), p.humanScore(), p.humanUseful(), p.passThreshold(), p.weight());
        pending.put(e, s);
        ctx.timerService().registerEventTimeTimer(e);
        // Cleanup: a rubric version or judge model without pairs for `retention` is retired.
        Long oldCleanup = cleanupAt.value();
        long newCleanup = e + retentionMs;
        if (oldCleanup == null || oldCleanup < newCleanup) {
            if (oldCleanup != null) {
                ctx.timerService().deleteEventTimeTimer(oldCleanup);
            }
            cleanupAt.update(newCleanup);
            ctx.timerService().registerEventTimeTimer(newCleanup);
        }
    }

    private CalibrationStats empty(String rubric) {
        int[] scale = scaleByRubric.getOrDefault(rubric, new int[] {1, 5});
        return CalibrationStats.of(scale[0], scale[1]);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CalibrationRow> out) throws Exception {
        CalibrationStats due = pending.get(timestamp);
        String[] key = parseKey(ctx.getCurrentKey());
        if (due != null) {
            pending.remove(timestamp);
            CalibrationStats t = total.value();
            total.update(t == null ? due.copy() : t.merge(due));
            long slice = Math.floorDiv(timestamp - 1, sliceMs);
            CalibrationStats sl = slices.get(slice);
            slices.put(slice, sl == null ? due : sl.merge(due));
            CalibrationStats win = window(timestamp, key[0]);
            double minAgreement = minAgreementByRubric.getOrDefault(key[0], Double.NaN);
            CalibrationRow row = CalibrationRow.of(key[0], Integer.parseInt(key[1]), key[2], timestamp,
                    total.value(), win, windowName, minAgreement, minPairs);
            out.collect(row);
            transition(row, ctx);
        }
        Long cleanup = cleanupAt.value();
        if (cleanup != null && cleanup == timestamp) {
            total.clear();
            slices.clear();
            cleanupAt.clear();
            alertOpen.clear();
        }
    }

    /** Sums the slices inside (now − window, now] and drops the older ones. */
    private CalibrationStats window(long now, String rubric) throws Exception {
        CalibrationStats win = empty(rubric);
        long oldest = Math.floorDiv(now - windowMs, sliceMs);
        List<Long> expired = new ArrayList<>();
        for (Map.Entry<Long, CalibrationStats> e : slices.entries()) {
            if (e.getKey() < oldest) {
                expired.add(e.getKey());
            } else {
                win.merge(e.getValue());
            }
        }
        for (Long k : expired) {
            slices.remove(k);
        }
        return win;
    }

    private void transition(CalibrationRow row, OnTimerContext ctx) throws Exception {
        boolean open = Boolean.TRUE.equals(alertOpen.value());
        if (row.alert() == open) {
            return;
        }
        if (row.alert()) {
            alertOpen.update(true);
        } else {
            alertOpen.clear();
        }
        ctx.output(ALERTS, new AlertEvent(ALERT_SLO, alertCohort(row.rubric(), row.rubricVersion(), row.judgeModel()),
                "ticket", row.alert() ? AlertEvent.FIRING : AlertEvent.RESOLVED, row.evalTime(), row.window(), null,
                null, null, null, row.windowPairs()));
    }

    /** The calibration alert's cohort: it names the rubric version and the judge model. */
    public static String alertCohort(String rubric, int version, String judgeModel) {
        return "rubric=" + rubric + "@" + version + ",judge_model=" + judgeModel;
    }

    /** {rubric, version, judge model} of a {@link CalibrationPair#calibrationKey}. */
    static String[] parseKey(String key) {
        int bar = key.indexOf('|');
        String rubricVersion = key.substring(0, bar);
        int at = rubricVersion.lastIndexOf('@');
        return new String[] {rubricVersion.substring(0, at), rubricVersion.substring(at + 1), key.substring(bar + 1)};
    }
}
