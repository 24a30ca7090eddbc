package io.llmslo.judge;

import io.llmslo.event.RecordGuard;

import io.llmslo.event.RatingEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Pairs judge scores (with the review queue's decision, {@link ReviewedScore}) with human ratings
 * of the same request, keyed by request id.
 *
 * <ul>
 *   <li>A judge score is kept until
 *       {@code response ts + max_rating_delay} (event time): every rating in that span pairs with
 *       it, one pair per rating (several raters give several pairs).
 *   <li>A rating that finds no score is held for {@code ratingHold} of event time and then
 *       dropped. Most such ratings belong to requests that were never sampled; the hold only covers
 *       a score still in the async judge. A rating's ts is after its response's, and the async
 *       operator emits a result before the watermark passes the response ts, so once the watermark
 *       passes the rating's ts the score, if any, has arrived: a short hold is enough.
 *   <li>A rating is paired only if its rubric (when given) and rubric version (when given) match the
 *       judge's: agreement is tracked per rubric version.
 * </ul>
 * Each state write has a cleanup timer; when the request is done, state and timers are empty.
 */
public final class CalibrationJoiner extends KeyedCoProcessFunction<String, ReviewedScore, RatingEvent, CalibrationPair> {

    private final long maxRatingDelayMs;
    private final long ratingHoldMs;

    private transient ValueState<ReviewedScore> judged;
    private transient ListState<RatingEvent> pendingRatings;

    /** @param maxRatingDelay {@code join.max_rating_delay}; ratings are held 5 minutes for a late score */
    public CalibrationJoiner(Duration maxRatingDelay) {
        this(maxRatingDelay, Duration.ofMinutes(5));
    }

    public CalibrationJoiner(Duration maxRatingDelay, Duration ratingHold) {
        this.maxRatingDelayMs = maxRatingDelay.toMillis();
        this.ratingHoldMs = ratingHold.toMillis();
    }

    @Override
    public void open(OpenContext ctx) {
        judged = getRuntimeContext().getState(
                new ValueStateDescriptor<>("judged-score", TypeInformation.of(ReviewedScore.class)));
        pendingRatings = getRuntimeContext().getListState(
                new ListStateDescriptor<>("pending-ratings", TypeInformation.of(RatingEvent.class)));
    }

    @Override
    public void processElement1(ReviewedScore s, Context ctx, Collector<CalibrationPair> out) throws Exception {
        RecordGuard.run("calibration-joiner", "judge_scores", s.ts(), s::toString,
                d -> ctx.output(RecordGuard.DEAD_LETTERS, d), () -> onScore(s, ctx, out));
    }

    private void onScore(ReviewedScore s, Context ctx, Collector<CalibrationPair> out) throws Exception {
        if (judged.value() != null) {
            return; // a duplicate judgement keeps the first
        }
        judged.update(s);
        // Cleanup: no rating is paired after max_rating_delay (DESIGN §1 state lifetime).
        ctx.timerService().registerEventTimeTimer(s.ts() + maxRatingDelayMs);
        Iterable<RatingEvent> held = pendingRatings.get();
        if (held != null) {
            for (RatingEvent r : held) {
                ctx.timerService().deleteEventTimeTimer(r.ts() + ratingHoldMs);
                pair(s, r, out);
            }
        }
        pendingRatings.clear();
    }

    @Override
    public void processElement2(RatingEvent r, Context ctx, Collector<CalibrationPair> out) throws Exception {
        RecordGuard.run("calibration-joiner", "ratings", r.ts(), r::toString,
                d -> ctx.output(RecordGuard.DEAD_LETTERS, d), () -> onRating(r, ctx, out));
    }

    private void onRating(RatingEvent r, Context ctx, Collector<CalibrationPair> out) throws Exception {
        ReviewedScore s = judged.value();
        if (s != null) {
            pair(s, r, out);
            return;
        }
        pendingRatings.add(r);
        // Cleanup: a rating whose request was not judged is dropped after the hold.
        ctx.timerService().registerEventTimeTimer(r.ts() + ratingHoldMs);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CalibrationPair> out) throws Exception {
        ReviewedScore s = judged.value();
        if (s != null && s.ts() + maxRatingDelayMs <= timestamp) {
            judged.clear();
        }
        Iterable<RatingEvent> held = pendingRatings.get();
        if (held == null) {
            return;
        }
        List<RatingEvent> keep = new ArrayList<>();
        for (RatingEvent r : held) {
            if (r.ts() + ratingHoldMs > timestamp) {
                keep.add(r);
            }
        }
        if (keep.isEmpty()) {
            pendingRatings.clear();
        } else {
            pendingRatings.update(keep);
        }
    }

    private static void pair(ReviewedScore s, RatingEvent r, Collector<CalibrationPair> out) {
        if (r.rubric() != null && !r.rubric().equals(s.rubric())) {
            return;
        }
        if (r.rubricVersion() != null && r.rubricVersion() != s.rubricVersion()) {
            return;
        }
        out.collect(new CalibrationPair(r.requestId(), s.rubric(), s.rubricVersion(), s.passThreshold(),
                s.judgeModel(), s.score(), r.score(), r.useful(), r.raterId(), r.ts(), s.ratingWeight(), s.dims()));
    }
}
