package io.llmslo.slo;

import io.llmslo.event.RecordGuard;
import io.llmslo.slo.alert.AlertState;
import io.llmslo.slo.alert.AlertPolicies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;
import io.llmslo.slo.EvaluatorBroadcast.PooledPair;
import org.apache.flink.types.Either;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by "slo|cohort": merges batches of partial buckets ({@link LocalAggregationOperator}) into minute/hour buckets and, at every history-interval
 * boundary of event time while the SLO window holds data (or an alert is open), evaluates the
 * SLO with {@link SloEngine}. Emits one {@link SloStatus} per evaluation and alert transitions
 * on {@link #ALERTS}.
 *
 * <p>A bounded run ends with a watermark at +∞; evaluation then stops at the interval boundary
 * after the job's latest observation (each {@link LocalAggregationOperator} broadcasts its own;
 * the evaluator keeps the largest), the same instant
 * for every series, instead of ticking on through empty windows.
 *
 * <p>The broadcast input ({@link EvaluatorBroadcast}) also brings every judged-and-rated pair of
 * the job, kept in broadcast state ({@link #POOLED}) and in a per-subtask {@link PooledPairs}: the
 * pooled scope of the judge correction for cohorts with too few pairs of their own.
 */
public class SloEvaluatorFunction
        extends KeyedBroadcastProcessFunction<String, PartialBatch, Either<Long, PooledPair>, SloStatus> {

    /** Broadcast state: "end" → latest observation time of the job, rounded up to the interval. */
    public static final MapStateDescriptor<String, Long> PROGRESS =
            new MapStateDescriptor<>("event-time-progress", Types.STRING, Types.LONG);
    /**
     * Broadcast state: minute end → the job's pooled judge pairs of that minute ({@link PooledPairs});
     * registered by jobs with a judge correction.
     */
    public static final MapStateDescriptor<Long, io.llmslo.ppi.PpiMoments> POOLED = new MapStateDescriptor<>(
            "pooled-judge-pairs", Types.LONG, TypeInformation.of(io.llmslo.ppi.PpiMoments.class));

    public static final OutputTag<AlertEvent> ALERTS =
            new OutputTag<>("slo-alerts", TypeInformation.of(AlertEvent.class));
    /** The same transitions with their evaluation's status row, for Alertmanager annotations. */
    public static final OutputTag<AlertNotice> ALERT_NOTICES =
            new OutputTag<>("slo-alert-notices", TypeInformation.of(AlertNotice.class));

    private final SloCatalog catalog;
    private final long interval;
    private final JudgeCorrection judgeCorrection;
    /** Series whose values are kept on the heap ({@link SeriesValues}). */
    private int valueCapacity = SeriesValues.DEFAULT_CAPACITY;

    private transient Map<String, SloEngine> engines;
    private transient MapState<Long, Bucket> minutes;
    private transient MapState<Long, Bucket> hours;
    /** C(x) at evaluation instants (see {@link RunningCounts}). */
    private transient MapState<Long, Bucket> runningCounts;
    private transient ValueState<SeriesProgress> progress;
    /** Per-series in-memory sketch merges; not state (rebuilt when missing). */
    private transient Map<String, SketchCache> sketchCaches;
    private transient ValueState<AlertState> firing;
    private transient ValueState<TailBaseline> tail;
    /**
     * The minute and hour buckets through a per-element memo of what was read ({@link BucketReads}),
     * over the series' last buckets kept across its elements, written behind ({@link RecentBuckets},
     * in its {@link SeriesValues} entry).
     */
    private transient BucketReads minuteStore;
    private transient BucketReads hourStore;
    private transient RecentBuckets recentMinutes;
    private transient RecentBuckets recentHours;
    private transient BucketStore runningCountStore;

    /** Progress, alert state, tail baseline and the last buckets, write-behind ({@link SeriesValues}). */
    private transient SeriesValues values;

    private transient io.llmslo.metrics.SeriesGauge seriesGauge;
    /** The pooled pairs of this subtask (null without a judge correction), rebuilt from {@link #POOLED}. */
    private transient PooledPairs pooled;
    private transient boolean pooledLoaded;
    private transient long pooledPrunedUpTo;

    /** Bounds the sketch cache's memory (a merged sketch is a few KB). */
    private static final int MAX_CACHED_SKETCHES = 4096;

    public SloEvaluatorFunction(SloCatalog catalog, Duration historyInterval) {
        this(catalog, historyInterval, null);
    }

    /** @param judgeCorrection the human correction of {@code quality.judge_high}; null for none */
    public SloEvaluatorFunction(SloCatalog catalog, Duration historyInterval, JudgeCorrection judgeCorrection) {
        this.catalog = catalog;
        this.interval = historyInterval.toMillis();
        this.judgeCorrection = judgeCorrection;
    }

    @Override
    public void open(OpenContext ctx) {
        seriesGauge = new io.llmslo.metrics.SeriesGauge(getRuntimeContext().getMetricGroup());
        engines = new HashMap<>();
        pooled = judgeCorrection == null ? null : new PooledPairs();
        pooledLoaded = false;
        pooledPrunedUpTo = Long.MIN_VALUE;
        JudgeCorrection judge = pooled == null ? null : judgeCorrection.withPooled(pooled);
        for (SloDefinition d : catalog.all()) {
            engines.put(d.name(), new SloEngine(d, interval, AlertPolicies.forDefinition(d), judge));
        }
        minutes = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("minute-buckets", Types.LONG, TypeInformation.of(Bucket.class)));
        hours = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("hour-buckets", Types.LONG, TypeInformation.of(Bucket.class)));
        runningCounts = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("running-counts", Types.LONG, TypeInformation.of(Bucket.class)));
        progress = getRuntimeContext().getState(
                new ValueStateDescriptor<>("series-progress", SeriesProgress.class));
        sketchCaches = new java.util.LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SketchCache> eldest) {
                return size() > MAX_CACHED_SKETCHES;
            }
        };
        runningCountStore = adapt(runningCounts, TimeBuckets.MINUTE);
        firing = getRuntimeContext().getState(new ValueStateDescriptor<>("alerts", AlertState.class));
        tail = getRuntimeContext().getState(new ValueStateDescriptor<>("tail-baseline", TailBaseline.class));
        recentMinutes = new RecentBuckets(adapt(minutes, TimeBuckets.MINUTE));
        recentHours = new RecentBuckets(adapt(hours, TimeBuckets.HOUR));
        minuteStore = new BucketReads(recentMinutes);
        hourStore = new BucketReads(recentHours);
        values = new SeriesValues(new SeriesValues.Store() {
            @Override
            public SeriesProgress readProgress() throws Exception {
                return progress.value();
            }

            @Override
            public AlertState readAlerts() throws Exception {
                return firing.value();
            }

            @Override
            public TailBaseline readTail() throws Exception {
                return tail.value();
            }

            @Override
            public void writeProgress(SeriesProgress p) throws Exception {
                write(progress, p);
            }

            @Override
            public void writeAlerts(AlertState a) throws Exception {
                write(firing, a);
            }

            @Override
            public void writeTail(TailBaseline t) throws Exception {
                write(tail, t);
            }

            @Override
            public void writeBuckets(RecentBuckets.Memo m, RecentBuckets.Memo h) throws Exception {
                recentMinutes.writeBack(m);
                recentHours.writeBack(h);
            }
        }, valueCapacity);
    }

    private static <T> void write(ValueState<T> state, T value) throws Exception {
        if (value == null) {
            state.clear();
        } else {
            state.update(value);
        }
    }

    /** Keeps the values of at most this many series on the heap (tests: evictions); before open. */
    SloEvaluatorFunction withValueCapacity(int series) {
        this.valueCapacity = series;
        return this;
    }

    /**
     * From now on the series' small values are kept on the heap and written back under their key
     * only before a barrier, at the end of input or on eviction ({@link SloEvaluatorOperator}).
     */
    void keepValues(SeriesValues.Keys keys) {
        values.attach(keys);
    }

    /** Writes every changed value to keyed state (before a checkpoint barrier, at the end of input). */
    void flushValues() throws Exception {
        values.flush();
    }

    /** {state reads, state writes} of the series' small values so far (tests). */
    long[] valueAccesses() {
        return new long[] {values.stateReads(), values.stateWrites()};
    }

    @Override
    public void processElement(PartialBatch b, ReadOnlyContext ctx, Collector<SloStatus> out) throws Exception {
        try {
            RecordGuard.run("slo-evaluator", "observations", b.firstMinute(), b::toString,
                    d -> ctx.output(RecordGuard.DEAD_LETTERS, d), () -> add(b, ctx));
        } finally {
            values.settle();
        }
    }

    /**
     * One read and one write of the series' bookkeeping per batch (not per minute): the minutes
     * of a batch lie in one history interval, so they are all late or none, and schedule the same
     * evaluation.
     */
    private void add(PartialBatch b, ReadOnlyContext ctx) throws Exception {
        SloEngine engine = engines.get(b.slo());
        if (engine == null || b.minutes().isEmpty()) {
            return;
        }
        forgetReads();
        SeriesValues.Entry series = values.of(ctx.getCurrentKey());
        SeriesProgress cum = orNew(values.progress(series), SeriesProgress::new);
        long first = b.firstMinute();
        boolean late = cum.isLate(first);
        if (late) {
            sketchCaches.remove(b.key()); // a late value changes hours already merged
        }
        useRecent(series);
        // the trailing median is needed here only to judge late tail values (see SloEngine.add)
        boolean judgesTail = late && engine.definition().kind() == SloKind.TAIL_BLOWUP;
        TailBaseline stored = judgesTail ? values.tail(series) : null;
        TailBaseline baseline = judgesTail ? orNew(stored, TailBaseline::new) : null;
        long[] baselineBefore = tailOf(baseline);
        engine.add(b.minutes(), new SeriesState(minuteStore, hourStore, runningCountStore, cum, baseline, null, null));
        updateTail(series, stored, baseline, baselineBefore);
        if (cum.cleanupAt != SeriesProgress.NONE) {
            ctx.timerService().deleteEventTimeTimer(cum.cleanupAt);
            cum.cleanupAt = SeriesProgress.NONE;
        }
        schedule(first, late, engine, cum, ctx.timerService());
        values.progressChanged(series, cum);
    }

    private void schedule(long minuteEnd, boolean late, SloEngine engine, SeriesProgress cum, TimerService timers) {
        // the series is evaluated from the boundary after its earliest observation: one that
        // arrives out of order (parallel joiners, ratings read ahead) moves a pending first
        // evaluation earlier rather than being folded into a later one
        long at = TimeBuckets.endOf(minuteEnd, interval);
        long next = cum.nextEval;
        if (next == SeriesProgress.NONE && late) {
            // an idle series gets values for instants it already evaluated: their C(x) were
            // corrected in place, and those instants are not evaluated again (that would store
            // C(lastEval) under an earlier instant); evaluation resumes at the next boundary,
            // and only if the window there holds data, as if the values had come in time
            at = cum.lastEval + interval;
            if (cum.maxT <= at - engine.windowMs()) {
                scheduleCleanup(timers, cum, cum.maxT + engine.hourRetentionMs() + 1);
                return;
            }
        }
        if (next == SeriesProgress.NONE || (at < next && at > cum.lastEval)) {
            if (next != SeriesProgress.NONE) {
                timers.deleteEventTimeTimer(next);
            }
            timers.registerEventTimeTimer(at);
            cum.nextEval = at;
        }
    }

    /**
     * Drops the series 1 ms after the first interval boundary at or after {@code dropAt − 1}:
     * partials arrive batched per interval, just before the watermark passes the interval's end,
     * so a cleanup inside an interval would run before data of that interval's earlier minutes
     * (which arrived before it when partials came per minute); +1 ms keeps it distinct from
     * evaluation boundaries.
     */
    private void scheduleCleanup(TimerService timers, SeriesProgress cum, long dropAt) {
        long at = TimeBuckets.endOf(dropAt - 1, interval) + 1;
        timers.registerEventTimeTimer(at);
        cum.cleanupAt = at;
    }

    @Override
    public void processBroadcastElement(Either<Long, PooledPair> e, Context ctx,
            Collector<SloStatus> out) throws Exception {
        if (e.isRight()) {
            addPooled(e.right(), ctx);
            return;
        }
        long end = e.left();
        BroadcastState<String, Long> jobProgress = ctx.getBroadcastState(PROGRESS);
        Long current = jobProgress.get("end");
        if (current == null || end > current) {
            jobProgress.put("end", end);
        }
    }

    /**
     * Determinism of the pooled scope (DESIGN §4.3): the evaluation at instant t (a timer) runs
     * once this operator's watermark — the minimum of the partials' and of this broadcast input's
     * — has reached t. A pair with time ≤ t that is not late is emitted upstream before its
     * producer's watermark passes its time, so it has reached every subtask before the watermark
     * reaches t; pairs of later minutes that are already here (read ahead) are not summed
     * ({@link PooledPairs#pairs} stops at t). So an evaluation sees exactly the pairs with time ≤ t,
     * whatever the arrival order and parallelism; a late pair counts from the next evaluation on,
     * as a late partial does in a series' own buckets. Minute sums add in arrival order: with
     * non-integer weights two subtasks may differ in the last bits of a double.
     */
    private void addPooled(PooledPair p, Context ctx) throws Exception {
        if (pooled == null) {
            return;
        }
        BroadcastState<Long, io.llmslo.ppi.PpiMoments> state = ctx.getBroadcastState(POOLED);
        loadPooled(state);
        prunePooled(ctx.currentWatermark(), state);
        if (PooledPairs.kept(p.minuteEnd(), pooledPrunedUpTo)) {
            state.put(p.minuteEnd(), pooled.add(p.minuteEnd(), p.moments()).copy());
        }
    }

    private void loadPooled(ReadOnlyBroadcastState<Long, io.llmslo.ppi.PpiMoments> state) throws Exception {
        if (!pooledLoaded) {
            pooled.load(state.immutableEntries());
            pooledLoaded = true;
        }
    }

    /** Drops pooled minutes beyond the calibration window (plus a day) behind the watermark. */
    private void prunePooled(long watermark, BroadcastState<Long, io.llmslo.ppi.PpiMoments> state) throws Exception {
        SloEngine judge = engines.get(SloCatalog.JUDGE_HIGH);
        if (judge == null || watermark == Long.MIN_VALUE) {
            return;
        }
        long cut = TimeBuckets.floorTo(watermark - judgeCorrection.pooledRetentionMs(judge.windowMs()),
                TimeBuckets.HOUR);
        if (cut > pooledPrunedUpTo) {
            for (long m : pooled.prune(cut)) {
                state.remove(m);
            }
            pooledPrunedUpTo = cut;
        }
    }

    @Override
    public void onTimer(long at, OnTimerContext ctx, Collector<SloStatus> out) throws Exception {
        try {
            RecordGuard.run("slo-evaluator", "observations", at, () -> "{\"series\":\"" + ctx.getCurrentKey() + "\"}",
                    d -> ctx.output(RecordGuard.DEAD_LETTERS, d), () -> fire(at, ctx, out));
        } finally {
            values.settle();
        }
    }

    private void fire(long at, OnTimerContext ctx, Collector<SloStatus> out) throws Exception {
        forgetReads();
        String series = ctx.getCurrentKey();
        SeriesValues.Entry entry = values.of(series);
        useRecent(entry);
        SeriesProgress cum = values.progress(entry);
        if (cum == null) {
            return;
        }
        if (cum.cleanupAt == at) {
            AlertState open = values.alerts(entry);
            if (open != null && !open.isEmpty()) {
                // an open alert is never dropped silently: the series waits for data to resolve it
                cum.cleanupAt = SeriesProgress.NONE;
                values.progressChanged(entry, cum);
                return;
            }
            clearAll();
            values.dropped(entry);
            sketchCaches.remove(series);
            return;
        }
        if (cum.nextEval != at) {
            return;
        }
        int bar = series.indexOf('|');
        String slo = series.substring(0, bar);
        String cohort = series.substring(bar + 1);
        SloEngine engine = engines.get(slo);
        long last = cum.maxT;
        boolean endOfInput = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
        ReadOnlyBroadcastState<String, Long> jobProgress = ctx.getBroadcastState(PROGRESS);
        Long end = jobProgress.get("end");
        if (endOfInput && end != null && at > end) {
            cum.nextEval = SeriesProgress.NONE;
            values.progressChanged(entry, cum);
            return;
        }
        if (pooled != null && slo.equals(SloCatalog.JUDGE_HIGH)) {
            loadPooled(ctx.getBroadcastState(POOLED)); // after a restore, before any pooled pair arrives
        }
        AlertState stored = values.alerts(entry);
        AlertState open = orNew(stored, AlertState::new);
        // quantile/tail SLOs and the judge correction keep merges in memory, every series its
        // recently read C(x) (CountsMemo)
        SketchCache cache = sketchCaches.computeIfAbsent(series, k -> new SketchCache());
        boolean judgesTail = engine.definition().kind() == SloKind.TAIL_BLOWUP;
        TailBaseline storedTail = judgesTail ? values.tail(entry) : null;
        TailBaseline baseline = judgesTail ? orNew(storedTail, TailBaseline::new) : null;
        long[] baselineBefore = tailOf(baseline);
        SeriesState state = new SeriesState(minuteStore, hourStore, runningCountStore, cum, baseline, cache, open);
        SloEngine.Evaluation result = engine.evaluate(at, cohort, state);
        seriesGauge.evaluated(at);
        updateTail(entry, storedTail, baseline, baselineBefore);
        out.collect(result.status());
        for (AlertEvent a : result.transitions()) {
            ctx.output(ALERTS, a);
            ctx.output(ALERT_NOTICES, new AlertNotice(a, result.status()));
        }
        if (open.isBlank()) {
            if (stored != null) {
                values.alertsChanged(entry, null); // no tombstone for what was never stored
            }
        } else {
            values.alertsChanged(entry, open);
        }
        engine.prune(at, state);

        long following = at + interval;
        boolean step = windowHoldsData(at, following, engine.windowMs(), cum, last);
        if (!step && !open.isEmpty()) {
            // an open alert keeps its series stepping while data is still leaving the windows the
            // evaluation reads (burn rates, budget, a resolve held for a while); after that every
            // step would repeat the last row at a later time, so the series idles with its alert
            // open until data comes: a gap of years costs a bounded number of steps (DESIGN §7b)
            long latest = last <= following ? last : cum.dataTo;
            step = latest > following - engine.hourRetentionMs();
        }
        if (!step && last > following) {
            // later data is already in state (a replay read ahead, or past a gap): skip the empty
            // stretch to the boundary after the next data, one step, not one per interval; the
            // rows are the same as when that data arrives after the watermark
            following = TimeBuckets.endOf(firstDataAfter(following, last), interval);
            step = true;
        }
        if (step) {
            ctx.timerService().registerEventTimeTimer(following);
            cum.nextEval = following;
        } else {
            cum.nextEval = SeriesProgress.NONE;
            if (open.isEmpty()) {
                // keep the buckets for the trend and budget if traffic resumes, then drop everything;
                // +1 ms keeps this timer distinct from evaluation boundaries
                scheduleCleanup(ctx.timerService(), cum, last + engine.hourRetentionMs() + 1);
            }
        }
        values.progressChanged(entry, cum);
    }

    /**
     * Whether the SLO window ending at {@code following} holds data. Without data ahead of the
     * evaluations the latest observation says it; with data read ahead, the latest bucket at or
     * before the evaluation just made ({@link SeriesProgress#dataTo}, kept by the engine) or one
     * of the few minutes up to {@code following}: no scan of the buckets per evaluation.
     */
    private boolean windowHoldsData(long at, long following, long windowMs, SeriesProgress cum, long last)
            throws Exception {
        long from = following - windowMs;
        if (last <= following) {
            return last > from;
        }
        if (cum.dataTo > from) {
            return true;
        }
        for (long m = Math.max(at, from) + TimeBuckets.MINUTE; m <= following; m += TimeBuckets.MINUTE) {
            if (minuteStore.get(m) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * The earliest minute bucket after {@code after}: one scan, made only where an empty stretch
     * begins (the series then jumps past it), never per evaluation.
     */
    private long firstDataAfter(long after, long last) throws Exception {
        long next = Long.MAX_VALUE;
        for (Map.Entry<Long, Bucket> e : minuteStore.entries()) {
            if (e.getKey() > after) {
                next = Math.min(next, e.getKey());
            }
        }
        return next == Long.MAX_VALUE ? last : next;
    }

    /**
     * Writes the tail baseline only when it changed: it moves once an hour, and the series is
     * evaluated twelve times an hour.
     */
    private void updateTail(SeriesValues.Entry series, TailBaseline stored, TailBaseline baseline, long[] before) {
        if (baseline != null && (stored == null || !java.util.Arrays.equals(before, tailOf(baseline)))) {
            values.tailChanged(series, baseline);
        }
    }

    private static long[] tailOf(TailBaseline b) {
        return b == null ? null : new long[] {b.hour, Double.doubleToLongBits(b.median)};
    }

    /** One state read (RocksDB deserializes on every value() call), a fresh value if none. */
    private static <T> T orNew(T value, java.util.function.Supplier<T> fresh) {
        return value != null ? value : fresh.get();
    }

    /** The bucket memos hold the previous element's series. */
    private void forgetReads() {
        minuteStore.reset();
        hourStore.reset();
        recentMinutes.use(null);
        recentHours.use(null);
    }

    /** Reads and writes of this element's series' buckets go through its last buckets from now on. */
    private void useRecent(SeriesValues.Entry series) {
        recentMinutes.use(series.minutes());
        recentHours.use(series.hours());
    }

    private void clearAll() {
        forgetReads();
        minutes.clear();
        hours.clear();
        runningCounts.clear();
        progress.clear();
        firing.clear();
        tail.clear();
    }

    /**
     * State keys are bucket indices (end / unit), not epoch millis: multiples of 60 000 share
     * their low bits and would pile into a few hash bins of the heap backend's maps.
     */
    private static BucketStore adapt(MapState<Long, Bucket> state, long unit) {
        return new BucketStore() {
            @Override
            public Bucket get(long end) throws Exception {
                return state.get(end / unit);
            }

            @Override
            public void put(long end, Bucket bucket) throws Exception {
                state.put(end / unit, bucket);
            }

            @Override
            public void remove(long end) throws Exception {
                state.remove(end / unit);
            }

            @Override
            public Iterable<Map.Entry<Long, Bucket>> entries() throws Exception {
                List<Map.Entry<Long, Bucket>> out = new ArrayList<>();
                for (Map.Entry<Long, Bucket> e : state.entries()) {
                    out.add(Map.entry(e.getKey() * unit, e.getValue()));
                }
                return out;
            }
        };
    }
}
