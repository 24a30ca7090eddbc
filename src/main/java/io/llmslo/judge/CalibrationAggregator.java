package io.llmslo.judge;

import java.time.Duration;
import java.util.HashMap;
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

/**
 * Judge calibration per rubric version (key {@link CalibrationPair#rubricKey}): cumulative
 * agreement figures, one {@link CalibrationRow} at each event-time interval boundary (e.g. every
 * 5 minutes) that received new pairs.
 *
 * <p>Exactness for replays: a pair counts in the row of the first boundary E with ts <= E (DESIGN
 * §2: a window evaluated at E holds t <= E). Pairs wait per boundary until the watermark passes it,
 * so the row at E holds exactly the pairs up to E whatever the arrival order. A pair whose
 * boundary has already been emitted (later than the watermark allows) counts at the next boundary
 * instead of rewriting an emitted row.
 *
 * <p>Alert: useful agreement below the rubric's {@code min_agreement} once at least
 * {@code minPairs} pairs exist (default {@value #DEFAULT_MIN_PAIRS}: below that, the 95 % interval
 * of an agreement near 0.8 is wider than ±0.14 and one rating flips the alert).
 *
 * <p>State: the cumulative counts (one small matrix), per-boundary pending counts (cleared when the
 * boundary fires) and a retention timer that drops a rubric version's counts after
 * {@code retention} without pairs (a retired version).
 */
public final class CalibrationAggregator extends KeyedProcessFunction<String, CalibrationPair, CalibrationRow> {

    public static final int DEFAULT_MIN_PAIRS = 30;
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

    private final long intervalMs;
    private final HashMap<String, Double> minAgreementByRubric = new HashMap<>();
    private final HashMap<String, int[]> scaleByRubric = new HashMap<>();
    private final int minPairs;
    private final long retentionMs;

    private transient ValueState<CalibrationStats> total;
    private transient MapState<Long, CalibrationStats> pending;
    private transient ValueState<Long> cleanupAt;

    public CalibrationAggregator(Duration interval, Map<String, Rubric> rubrics) {
        this(interval, rubrics, DEFAULT_MIN_PAIRS, DEFAULT_RETENTION);
    }

    public CalibrationAggregator(Duration interval, Map<String, Rubric> rubrics, int minPairs, Duration retention) {
        this.intervalMs = interval.toMillis();
        rubrics.values().forEach(r -> {
            minAgreementByRubric.put(r.id(), r.minAgreement());
            scaleByRubric.put(r.id(), new int[] {r.scaleMin(), r.scaleMax()});
        });
        this.minPairs = minPairs;
        this.retentionMs = retention.toMillis();
    }

    @Override
    public void open(OpenContext ctx) {
        TypeInformation<CalibrationStats> stats = TypeInformation.of(CalibrationStats.class);
        total = getRuntimeContext().getState(new ValueStateDescriptor<>("calibration-total", stats));
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("calibration-pending", Types.LONG, stats));
        cleanupAt = getRuntimeContext().getState(new ValueStateDescriptor<>("calibration-cleanup-at", Types.LONG));
    }

    /** The first boundary E (a multiple of the interval) with ts <= E. */
    static long boundary(long ts, long intervalMs) {
        return Math.floorDiv(ts + intervalMs - 1, intervalMs) * intervalMs;
    }

    @Override
    public void processElement(CalibrationPair p, Context ctx, Collector<CalibrationRow> out) throws Exception {
        long wm = ctx.timerService().currentWatermark();
        long e = boundary(p.ts(), intervalMs);
        if (e <= wm) {
            e = boundary(wm + 1, intervalMs);
        }
        CalibrationStats s = pending.get(e);
        if (s == null) {
            int[] scale = scaleByRubric.getOrDefault(p.rubric(), new int[] {1, 5});
            s = CalibrationStats.of(scale[0], scale[1]);
        }
        s.add(p.judgeScore(), p.humanScore(), p.humanUseful(), p.passThreshold());
        pending.put(e, s);
        ctx.timerService().registerEventTimeTimer(e);
        // Cleanup: a rubric version without pairs for `retention` is retired; its counts go.
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

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CalibrationRow> out) throws Exception {
        CalibrationStats due = pending.get(timestamp);
        if (due != null) {
            pending.remove(timestamp);
            CalibrationStats t = total.value();
            t = t == null ? due : t.merge(due);
            total.update(t);
            String key = ctx.getCurrentKey();
            int at = key.lastIndexOf('@');
            String rubric = key.substring(0, at);
            int version = Integer.parseInt(key.substring(at + 1));
            out.collect(CalibrationRow.of(rubric, version, timestamp, t,
                    minAgreementByRubric.getOrDefault(rubric, Double.NaN), minPairs));
        }
        Long cleanup = cleanupAt.value();
        if (cleanup != null && cleanup == timestamp) {
            total.clear();
            cleanupAt.clear();
        }
    }
}
