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
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
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
 *       signal's time; otherwise an event-time timer at {@code ts + window} makes it good.
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
 * All state of a request is dropped by a timer {@code max_rating_delay} after it. A request has
 * one timer at a time: a successful response's expiry timer is set when its acceptance is decided
 * (the acceptance timer fires or a negative signal comes), so the two never race within one
 * watermark step. Run by {@link #operator} (as the job does), an answered request's expiry timer
 * lives in a timer service of its own ({@value #EXPIRY_TIMERS}) and drops the state without
 * reading it: one state read less per request (with RocksDB, a lookup of a value days old).
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
    /** Set by {@link #operator}; without it (a plain KeyedProcessOperator) expiry uses the user timers. */
    private transient InternalTimerService<VoidNamespace> expiryTimers;

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
                    if (onSignal(e, st, ctx, out)) {
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
        // the request's state lives until its ratings can no longer arrive
        st.expiry = r.ts() + maxRatingDelay + allowedLateness;
        if (st.success) {
            ctx.timerService().registerEventTimeTimer(acceptanceTimer(st));
            if (!expiryDeferred(st)) {
                ctx.timerService().registerEventTimeTimer(st.expiry); // the same timer: fire does both
            }
        } else {
            expireAt(st.expiry, ctx.timerService());
        }
        if (held && st.pending != null) {
            // state existed before the response only because signals were held for it
            Envelope[] waiting = st.pending;
            st.pending = null;
            for (Envelope w : waiting) {
                onSignal(w, st, ctx, out);
            }
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
    private boolean onSignal(Envelope e, RequestState st, Context ctx, Collector<Observation> out) {
        if (e.feedback() != null) {
            return onFeedback(e.feedback(), st, ctx, out);
        }
        if (e.score() != null) {
            return onScore(e, st, ctx);
        }
        return onRating(e, st, ctx, out);
    }

    private boolean onFeedback(FeedbackEvent f, RequestState st, Context ctx, Collector<Observation> out) {
        // only success responses are valid for acceptance, and only the first negative signal counts
        if (!st.success || st.acceptanceDone || !f.signal().negative()) {
            return false;
        }
        if (f.ts() > st.ts + acceptanceWindow) {
            return false; // after the window the response was already accepted
        }
        st.acceptanceDone = true;
        ctx.timerService().deleteEventTimeTimer(acceptanceTimer(st));
        if (expiryDeferred(st)) {
            expireAt(st.expiry, ctx.timerService()); // after the watermark: the signal is not late
        }
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
        if (st.responded && st.success && !st.acceptanceDone && timestamp == acceptanceTimer(st)) {
            st.acceptanceDone = true;
            emit(out, observations.acceptance(st.ts + acceptanceWindow, dims(st), true));
            if (expiryDeferred(st)) {
                if (st.expiry <= ctx.timerService().currentWatermark()) {
                    // one watermark step past both: the expiry timer would fire in this step
                    request.clear();
                    return;
                }
                expireAt(st.expiry, ctx.timerService());
            }
            request.update(st);
        }
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
     * Whether a successful response's expiry timer waits for its acceptance to be decided: always,
     * unless both timers fall on the same instant (acceptance window = max rating delay), where
     * one timer does both.
     */
    private boolean expiryDeferred(RequestState st) {
        return acceptanceTimer(st) != st.expiry;
    }

    /** An answered request's expiry timer, in the expiry timer service when there is one. */
    private void expireAt(long t, TimerService timers) {
        if (expiryTimers != null) {
            expiryTimers.registerEventTimeTimer(VoidNamespace.INSTANCE, t);
        } else {
            timers.registerEventTimeTimer(t);
        }
    }

    /**
     * The joiner's operator: a {@link KeyedProcessOperator} with a second timer service for the
     * expiry of answered requests, which only has to clear the request's state.
     */
    public static KeyedProcessOperator<String, Envelope, Observation> operator(RequestJoiner joiner) {
        return new Operator(joiner);
    }

    static final class Operator extends KeyedProcessOperator<String, Envelope, Observation> {
        private static final long serialVersionUID = 1L;

        Operator(RequestJoiner joiner) {
            super(joiner);
        }

        @Override
        public void open() throws Exception {
            super.open();
            RequestJoiner joiner = (RequestJoiner) userFunction;
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
    }

    /** Fires once the watermark has passed the window's end by the allowed lateness. */
    private long acceptanceTimer(RequestState st) {
        return st.ts + acceptanceWindow + allowedLateness;
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
