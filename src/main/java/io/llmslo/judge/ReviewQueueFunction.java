package io.llmslo.judge;

import io.llmslo.event.RecordGuard;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The review queue's operator, keyed by stratum ({@link ReviewQueue#stratum}): counts judged
 * requests per event-time hour and decides each judged request with the volume of the 24 complete
 * hours before the previous one, (h − 26, h − 2]: hours that no longer change when out-of-orderness
 * is under an hour, so a replay decides every request the same way whatever the arrival order.
 * Emits every scored judgement as a {@link ReviewedScore}; the selected ones also on
 * {@link #QUEUE}. Judge errors are not scores and are dropped here.
 */
public final class ReviewQueueFunction extends KeyedProcessFunction<String, JudgeResult, ReviewedScore> {

    public static final OutputTag<ReviewQueueItem> QUEUE =
            new OutputTag<>("review-queue", TypeInformation.of(ReviewQueueItem.class));

    private static final long HOUR = 3_600_000L;
    /** Hours of counts kept: the look-back (h − 26, h − 2] plus the current ones. */
    private static final long KEEP_HOURS = 27;

    private final ReviewQueue queue;
    private final boolean weightRatings;

    private transient MapState<Long, Long> judgedPerHour;

    public ReviewQueueFunction(ReviewQueue queue) {
        this(queue, true);
    }

    /** @param weightRatings ratings of queued requests weigh 1 / probability (raters follow the queue) */
    public ReviewQueueFunction(ReviewQueue queue, boolean weightRatings) {
        this.queue = queue;
        this.weightRatings = weightRatings;
    }

    @Override
    public void open(OpenContext ctx) {
        judgedPerHour = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("judged-per-hour", Types.LONG, Types.LONG));
    }

    /** A reviewed score that no queue decided (queue disabled): weight 1. */
    public static ReviewedScore unreviewed(JudgeResult j) {
        return new ReviewedScore(j.requestId(), j.ts(), j.rubric(), j.rubricVersion(), j.passThreshold(),
                j.judgeModel(), j.score(), j.dims(), Double.NaN, false, false);
    }

    @Override
    public void processElement(JudgeResult j, Context ctx, Collector<ReviewedScore> out) throws Exception {
        RecordGuard.run("review-queue", "judge_scores", j.ts(), j::toString,
                d -> ctx.output(RecordGuard.DEAD_LETTERS, d), () -> review(j, ctx, out));
    }

    private void review(JudgeResult j, Context ctx, Collector<ReviewedScore> out) throws Exception {
        if (!j.ok()) {
            return;
        }
        long hour = Math.floorDiv(j.ts(), HOUR);
        long lastDay = 0;
        for (long h = hour - 25; h <= hour - 2; h++) {
            Long c = judgedPerHour.get(h);
            lastDay += c == null ? 0 : c;
        }
        Long current = judgedPerHour.get(hour);
        judgedPerHour.put(hour, current == null ? 1 : current + 1);
        // Cleanup: an hour's count is read for KEEP_HOURS after it, then dropped.
        ctx.timerService().registerEventTimeTimer((hour + KEEP_HOURS) * HOUR);

        double p = queue.probability(lastDay, j.score(), j.passThreshold());
        boolean selected = ReviewQueue.selected(j.requestId(), p);
        out.collect(new ReviewedScore(j.requestId(), j.ts(), j.rubric(), j.rubricVersion(), j.passThreshold(),
                j.judgeModel(), j.score(), j.dims(), p, selected, weightRatings));
        if (selected) {
            String reason = ReviewQueue.uncertain(j.score(), j.passThreshold()) ? "uncertain" : "stratum";
            ctx.output(QUEUE, new ReviewQueueItem(j.requestId(), j.ts(), ctx.getCurrentKey(), j.rubric(),
                    j.rubricVersion(), j.judgeModel(), j.score(), p, reason));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ReviewedScore> out) throws Exception {
        judgedPerHour.remove(timestamp / HOUR - KEEP_HOURS);
    }
}
