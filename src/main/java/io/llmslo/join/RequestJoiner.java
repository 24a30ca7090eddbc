package io.llmslo.join;

import io.llmslo.event.DeadLetter;
import io.llmslo.event.Envelope;
import io.llmslo.event.EventKind;
import io.llmslo.event.FeedbackEvent;
import io.llmslo.event.JudgeScoreEvent;
import io.llmslo.event.RatingEvent;
import io.llmslo.event.RecordGuard;
import io.llmslo.event.ResponseEvent;
import io.llmslo.judge.JudgeResult;
import io.llmslo.slo.CohortValueGuard;
import io.llmslo.slo.Observation;
import io.llmslo.slo.ObservationFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Joins everything known about one request id in event time (DESIGN §2): the response, its
 * implicit user signals and its human ratings, hours or days apart, in any arrival order.
 *
 * <ul>
 *   <li>Response: emits the availability, latency, cost and refusal observations at once; a
 *       second response with the same id is a {@code duplicate} dead letter.
 *   <li>Acceptance: the first negative signal within the acceptance window makes it bad at the
 *       signal's time; otherwise it is good at {@code ts + window}, emitted when the watermark
 *       passes {@code ts + window + allowed lateness} (the window has closed).
 *   <li>Ratings: each rater's rating yields a {@code quality.human_useful} observation at the
 *       rating's time, and is forwarded for judge calibration.
 *   <li>Signals and ratings that arrive before their response wait in state; if the response
 *       never comes they leave as {@code orphan} dead letters when the state expires.
 *   <li>Judge scores (unbounded jobs, DESIGN §5) join like ratings: one {@link JudgeResult} per
 *       (request, rubric) on {@link #JOINED_SCORES}, with the request's time and dimensions;
 *       a repeated one is a {@code duplicate}. They are never {@code late}: the judge's backlog
 *       is not event time, and the request's state is still there.
 *   <li>Other records behind the watermark by more than the allowed lateness are {@code late}.
 * </ul>
 *
 * All state of a request is dropped by a timer {@code max_rating_delay} after it. An answered
 * request's expiry timer is set at its response and lives in a timer service of its own
 * ({@value #EXPIRY_TIMERS}) that drops the state without reading it; it is the request's only
 * timer. The open acceptance windows are not timers nor keyed state: the operator keeps them in
 * memory ({@link PendingAcceptances}, in operator state at a checkpoint) and releases the good
 * verdicts as its watermark passes them, so a successful request costs one state read and one
 * write at its response and nothing when its window closes. Must run in {@link #operator}.
 *
 * <p>A negative signal counts while the window is open: while the watermark is before
 * {@code ts + window + allowed lateness}, the instant at which the verdict is released. After a
 * restore the watermark restarts from nothing, so the watermark a snapshot was taken at stands in
 * for it (per key group) until it is passed: a window that had closed stays closed.
 */
public class RequestJoiner extends KeyedProcessFunction<String, Envelope, Observation> {

    public static final OutputTag<DeadLetter> DEAD_LETTERS = RecordGuard.DEAD_LETTERS;
    public static final OutputTag<ResponseEvent> UNIQUE_RESPONSES =
            new OutputTag<>("unique-responses", TypeInformation.of(ResponseEvent.class));
    public static final OutputTag<RatingEvent> JOINED_RATINGS =
            new OutputTag<>("joined-ratings", TypeInformation.of(RatingEvent.class));
    public static final OutputTag<JudgeResult> JOINED_SCORES =
            new OutputTag<>("joined-scores", TypeInformation.of(JudgeResult.class));

    private final ObservationFactory observations;
    private final CompactDims compactDims;
    private final long acceptanceWindow;
    private final long maxRatingDelay;
    private final long allowedLateness;
    private final CohortValueGuard cohortGuard;

    /** The timer service of answered requests' expiry timers (see {@link #operator}). */
    public static final String EXPIRY_TIMERS = "request-expiry";

    /**
     * Signals, ratings and scores held at most per request whose response has not arrived: a
     * request has a few signals, a few raters' ratings and one score per rubric; more is a flood.
     */
    static final int MAX_HELD = 64;
    static final String TOO_MANY_HELD = "too_many_held: more than " + MAX_HELD
            + " signals held for a request whose response has not arrived";

    private transient ValueState<RequestState> request;
    /** Set by {@link #operator} (the function does not run without it). */
    private transient InternalTimerService<VoidNamespace> expiryTimers;
    private transient Operator operator;

    public RequestJoiner(ObservationFactory observations, Duration acceptanceWindow,
            Duration maxRatingDelay, Duration allowedLateness) {
        this(observations, acceptanceWindow, maxRatingDelay, allowedLateness, null, null);
    }

    /** @param cohortGuard caps each dimension's distinct values (null: no cap) */
    public RequestJoiner(ObservationFactory observations, Duration acceptanceWindow,
            Duration maxRatingDelay, Duration allowedLateness, CohortValueGuard cohortGuard) {
        this(observations, acceptanceWindow, maxRatingDelay, allowedLateness, cohortGuard, null);
    }

    /**
     * @param cohortGuard caps each dimension's distinct values (null: no cap)
     * @param stateDims the dimensions later signals need (those grouping sets name), kept in state
     *     without their names; null keeps every dimension with its name
     */
    public RequestJoiner(ObservationFactory observations, Duration acceptanceWindow,
            Duration maxRatingDelay, Duration allowedLateness, CohortValueGuard cohortGuard,
            List<String> stateDims) {
        this.cohortGuard = cohortGuard;
        this.compactDims = new CompactDims(stateDims);
        this.observations = observations;
        this.acceptanceWindow = acceptanceWindow.toMillis();
        this.maxRatingDelay = maxRatingDelay.toMillis();
        this.allowedLateness = allowedLateness.toMillis();
    }

    @Override
    public void open(OpenContext ctx) {
        if (operator == null) {
            throw new IllegalStateException("RequestJoiner runs in RequestJoiner.operator(...), which keeps "
                    + "the open acceptance windows");
        }
        request = getRuntimeContext().getState(new ValueStateDescriptor<>("request", RequestState.class));
    }

    @Override
    public void processElement(Envelope e, Context ctx, Collector<Observation> out) throws Exception {
        RecordGuard.run("request-joiner", e.kind().source(), e.ts(), () -> EnvelopeJson.toJson(e),
                d -> ctx.output(DEAD_LETTERS, d), () -> join(e, ctx, out));
    }

    private void join(Envelope e, Context ctx, Collector<Observation> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (watermark != Long.MIN_VALUE && e.ts() + allowedLateness < watermark && e.kind() != EventKind.SCORE) {
            ctx.output(DEAD_LETTERS, deadLetter(e, "late"));
            return;
        }
        RequestState st = request.value();
        switch (e.kind()) {
            case RESPONSE -> onResponse(e, st, ctx, out);
            case FEEDBACK, RATING, SCORE -> {
                if (st != null && st.responded) {
                    if (onSignal(e, st, ctx, out, false)) {
                        request.update(st); // most signals (positive, late, repeated) change nothing
                    }
                } else {
                    hold(e, st, ctx);
                }
            }
        }
    }

    private void onResponse(Envelope e, RequestState st, Context ctx, Collector<Observation> out)
            throws Exception {
        if (st != null && st.responded) {
            ctx.output(DEAD_LETTERS, deadLetter(e, "duplicate"));
            return;
        }
        boolean held = st != null;
        if (st == null) {
            st = new RequestState();
        } else {
            // signals were waiting for this response: their orphan timer is replaced below
            ctx.timerService().deleteEventTimeTimer(st.expiry);
        }
        ResponseEvent r = e.response();
        if (cohortGuard != null) {
            // before anything uses the dimensions: the joiner's state, every observation, the judge
            r = cohortGuard.apply(r, (dim, value) -> ctx.output(DEAD_LETTERS, DeadLetter.of("responses", null,
                    cohortGuard.reason(dim), "{\"dimension\":" + EnvelopeJson.quote(dim) + "}")));
        }
        st.responded = true;
        st.ts = r.ts();
        st.success = r.success();
        Map<String, String> dims = ObservationFactory.dims(r);
        st.dims = compactDims.pack(dims);
        st.dimsSchema = compactDims.schema();
        observations.onResponse(r, dims, out::collect);
        ctx.output(UNIQUE_RESPONSES, r);
        // the request's state lives until its ratings can no longer arrive: its one timer
        st.expiry = r.ts() + maxRatingDelay + allowedLateness;
        expiryTimers.registerEventTimeTimer(VoidNamespace.INSTANCE, st.expiry);
        if (held && st.pending != null) {
            // state existed before the response only because signals were held for it; they are
            // decided before the window opens, so a held negative signal leaves nothing pending
            Envelope[] waiting = st.pending;
            st.pending = null;
            for (Envelope w : waiting) {
                onSignal(w, st, ctx, out, true);
            }
        }
        if (st.success && !st.acceptanceDone && observations.countsAcceptance()) {
            operator.pending.add(acceptanceDue(st), st.dims, st.dimsSchema, operator.keyGroup(ctx.getCurrentKey()));
        }
        request.update(st);
    }

    private void hold(Envelope e, RequestState st, Context ctx) throws Exception {
        if (st == null) {
            st = new RequestState();
            // held signals wait as long as a rating may lag its response
            st.expiry = e.ts() + maxRatingDelay + allowedLateness;
            ctx.timerService().registerEventTimeTimer(st.expiry);
        }
        if (st.pending != null && st.pending.length >= MAX_HELD) {
            // a flood for one id that never answered (a buggy producer, an attacker) must not grow
            // one state value without bound: every write would re-serialize all of it
            ctx.output(DEAD_LETTERS, deadLetter(e, TOO_MANY_HELD));
            return;
        }
        // in the request's value, not a list state of their own: one state access less per held
        // signal and two less when the response comes (file replays hold most feedback)
        st.pending = st.pending == null ? new Envelope[] {e} : append(st.pending, e);
        request.update(st);
    }

    /** Returns whether the request's state changed. */
    private boolean onSignal(Envelope e, RequestState st, Context ctx, Collector<Observation> out, boolean held) {
        if (e.feedback() != null) {
            return onFeedback(e.feedback(), st, ctx, out, held);
        }
        if (e.score() != null) {
            return onScore(e, st, ctx);
        }
        return onRating(e, st, ctx, out);
    }

    /** @param held a signal that waited for the response: decided before the window opens */
    private boolean onFeedback(FeedbackEvent f, RequestState st, Context ctx, Collector<Observation> out,
            boolean held) {
        // only success responses are valid for acceptance, and only the first negative signal counts
        if (!st.success || st.acceptanceDone || !f.signal().negative()) {
            return false;
        }
        if (f.ts() > st.ts + acceptanceWindow) {
            return false; // after the window the response was already accepted
        }
        if (!held && observations.countsAcceptance()) {
            int keyGroup = operator.keyGroup(ctx.getCurrentKey());
            if (acceptanceDue(st) <= operator.watermark(keyGroup)) {
                return false; // the window has closed: the acceptance was released
            }
            operator.pending.cancel(acceptanceDue(st), st.dims, st.dimsSchema, keyGroup);
        }
        st.acceptanceDone = true;
        emit(out, observations.acceptance(f.ts(), dims(st), false));
        return true;
    }

    private Map<String, String> dims(RequestState st) {
        return compactDims.unpack(st.dims, st.dimsSchema);
    }

    private boolean onRating(Envelope e, RequestState st, Context ctx, Collector<Observation> out) {
        RatingEvent r = e.rating();
        String rater = r.raterId() == null ? "" : r.raterId();
        if (st.raters != null && Arrays.asList(st.raters).contains(rater)) {
            ctx.output(DEAD_LETTERS, deadLetter(e, "duplicate"));
            return false;
        }
        st.raters = st.raters == null ? new String[] {rater} : append(st.raters, rater);
        emit(out, observations.humanUseful(r.ts(), dims(st), r.useful()));
        ctx.output(JOINED_RATINGS, r);
        return true;
    }

    /** A judge score: at most one per rubric (the worker's calls are at-least-once). */
    private boolean onScore(Envelope e, RequestState st, Context ctx) {
        JudgeScoreEvent s = e.score();
        if (st.scored != null && Arrays.asList(st.scored).contains(s.dedupeKey())) {
            ctx.output(DEAD_LETTERS, deadLetter(e, "duplicate"));
            return false;
        }
        st.scored = st.scored == null ? new String[] {s.dedupeKey()} : append(st.scored, s.dedupeKey());
        ctx.output(JOINED_SCORES, new JudgeResult(s.requestId(), st.ts, dims(st), s.rubric(), s.rubricVersion(),
                s.passThreshold(), s.judgeModel(), s.score(), s.reason(), s.latencyMs(), s.error(),
                s.inputTokens(), s.outputTokens()));
        return true;
    }

    private static <T> T[] append(T[] a, T s) {
        T[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = s;
        return out;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Observation> out) throws Exception {
        RecordGuard.run("request-joiner", "responses", timestamp,
                () -> "{\"request_id\":" + EnvelopeJson.quote(ctx.getCurrentKey()) + "}",
                d -> ctx.output(DEAD_LETTERS, d), () -> fire(timestamp, ctx, out));
    }

    private void fire(long timestamp, OnTimerContext ctx, Collector<Observation> out) throws Exception {
        RequestState st = request.value();
        if (st == null) {
            return;
        }
        // only a request never answered has a user timer: its held signals' expiry
        if (timestamp == st.expiry) {
            if (!st.responded && st.pending != null) {
                // only signals of a request never answered wait: after a response none do
                for (Envelope waiting : st.pending) {
                    ctx.output(DEAD_LETTERS, deadLetter(waiting, "orphan"));
                }
            }
            request.clear();
        }
    }

    /**
     * The joiner's operator: a {@link KeyedProcessOperator} that keeps the open acceptance windows
     * ({@link PendingAcceptances}, released on each watermark, in union operator state at a
     * checkpoint with the watermark they were released up to) and has a second timer service for
     * the expiry of answered requests, which only has to clear the request's state.
     */
    public static KeyedProcessOperator<String, Envelope, Observation> operator(RequestJoiner joiner) {
        return new Operator(joiner);
    }

    static final class Operator extends KeyedProcessOperator<String, Envelope, Observation> {
        private static final long serialVersionUID = 1L;

        /** Union state: a restore hands every subtask all snapshots; each keeps its key groups' part. */
        private static final ListStateDescriptor<byte[]> PENDING =
                new ListStateDescriptor<>("pending-acceptances", BytePrimitiveArraySerializer.INSTANCE);

        transient PendingAcceptances pending;
        private transient ListState<byte[]> pendingState;
        /** The watermark the pending acceptances were released up to. */
        private transient long released;
        /** After a restore: per local key group, the watermark its previous owner had released up to. */
        private transient long[] restored;
        /** The largest of {@link #restored}: once {@link #released} passes it, restored watermarks are moot. */
        private transient long restoredMax;
        private transient int maxParallelism;
        private transient int firstKeyGroup;
        private transient int lastKeyGroup;
        private transient StreamRecord<Observation> reuse;

        Operator(RequestJoiner joiner) {
            super(joiner);
        }

        @Override
        public void initializeState(StateInitializationContext context) throws Exception {
            super.initializeState(context);
            TaskInfo task = getRuntimeContext().getTaskInfo();
            maxParallelism = task.getMaxNumberOfParallelSubtasks();
            KeyGroupRange range = KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(maxParallelism,
                    task.getNumberOfParallelSubtasks(), task.getIndexOfThisSubtask());
            firstKeyGroup = range.getStartKeyGroup();
            lastKeyGroup = range.getEndKeyGroup();
            pending = new PendingAcceptances();
            released = Long.MIN_VALUE;
            restoredMax = Long.MIN_VALUE;
            pendingState = context.getOperatorStateStore().getUnionListState(PENDING);
            if (context.isRestored()) {
                restored = new long[lastKeyGroup - firstKeyGroup + 1];
                java.util.Arrays.fill(restored, Long.MIN_VALUE);
                for (byte[] snapshot : pendingState.get()) {
                    PendingAcceptances.Restored r = pending.read(new DataInputDeserializer(snapshot),
                            firstKeyGroup, lastKeyGroup);
                    for (int kg = Math.max(r.from(), firstKeyGroup); kg <= Math.min(r.to(), lastKeyGroup); kg++) {
                        restored[kg - firstKeyGroup] = r.watermark();
                        restoredMax = Math.max(restoredMax, r.watermark());
                    }
                }
            }
        }

        @Override
        public void snapshotState(StateSnapshotContext context) throws Exception {
            super.snapshotState(context);
            DataOutputSerializer out = new DataOutputSerializer(64 + 16 * pending.size());
            pending.write(out, released, firstKeyGroup, lastKeyGroup);
            pendingState.update(java.util.List.of(out.getCopyOfBuffer()));
        }

        @Override
        public void open() throws Exception {
            RequestJoiner joiner = (RequestJoiner) userFunction;
            joiner.operator = this;
            reuse = new StreamRecord<>(null);
            super.open();
            joiner.expiryTimers = getInternalTimerService(EXPIRY_TIMERS, VoidNamespaceSerializer.INSTANCE,
                    new Triggerable<String, VoidNamespace>() {
                        @Override
                        public void onEventTime(InternalTimer<String, VoidNamespace> timer) {
                            // the timer service has made the request the current key
                            joiner.request.clear();
                        }

                        @Override
                        public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {}
                    });
        }

        /** The windows the watermark has closed release their acceptances, then timers fire as before. */
        @Override
        public void processWatermark(Watermark mark) throws Exception {
            long w = mark.getTimestamp();
            if (w > released) {
                released = w;
                RequestJoiner joiner = (RequestJoiner) userFunction;
                pending.releaseUpTo(w, (due, dims, schema) -> joiner.accept(due, dims, schema, output, reuse));
            }
            super.processWatermark(mark);
        }

        int keyGroup(String key) {
            return KeyGroupRangeAssignment.assignToKeyGroup(key, maxParallelism);
        }

        /** The watermark that decides whether a window of this key group has closed. */
        long watermark(int keyGroup) {
            if (released >= restoredMax) {
                return released;
            }
            return Math.max(released, restored[keyGroup - firstKeyGroup]);
        }
    }

    /** The window has closed once the watermark reaches its end plus the allowed lateness. */
    private long acceptanceDue(RequestState st) {
        return st.ts + acceptanceWindow + allowedLateness;
    }

    /** A released acceptance: good, at the window's end (DESIGN §2), in its request's cohorts. */
    private void accept(long due, String[] dims, int dimsSchema, Output<StreamRecord<Observation>> out,
            StreamRecord<Observation> reuse) {
        Observation o = observations.acceptance(due - allowedLateness, compactDims.unpack(dims, dimsSchema), true);
        if (o != null) {
            out.collect(reuse.replace(o, due)); // stamped as the acceptance timer's output was
        }
    }

    private static void emit(Collector<Observation> out, Observation o) {
        if (o != null) {
            out.collect(o);
        }
    }

    static DeadLetter deadLetter(Envelope e, String reason) {
        return DeadLetter.of(e.kind().source(), e.ts(), reason, EnvelopeJson.toJson(e));
    }
}
