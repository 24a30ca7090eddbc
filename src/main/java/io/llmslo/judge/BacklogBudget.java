package io.llmslo.judge;

import java.io.Serializable;
import java.time.Duration;

/**
 * The judge worker's backlog bound (DESIGN §5): a request that waited longer than
 * {@code judge.max_backlog} of processing time since the main job wrote it is not judged but
 * shed, as a {@code shed_backlog} judge error that reaches {@code judge_scores} like any other
 * result: the backlog is bounded in age, and what it drops is counted, never silent.
 */
public final class BacklogBudget implements Serializable {

    private static final long serialVersionUID = 1L;
    /** No budget: the inline judge (its backlog is bounded by the async operator's capacity). */
    public static final BacklogBudget NONE = new BacklogBudget(Long.MAX_VALUE);

    private final long maxAgeMs;

    private BacklogBudget(long maxAgeMs) {
        this.maxAgeMs = maxAgeMs;
    }

    public static BacklogBudget of(Duration maxBacklog) {
        if (maxBacklog == null || maxBacklog.isNegative() || maxBacklog.isZero()) {
            throw new IllegalArgumentException("judge.max_backlog must be positive, got " + maxBacklog);
        }
        return new BacklogBudget(maxBacklog.toMillis());
    }

    /** How long the request has waited, 0 when it carries no enqueue time (inline) or a later one (clock skew). */
    public long ageMs(JudgeRequest q, long nowMs) {
        return q.enqueuedAt() <= 0 ? 0 : Math.max(0, nowMs - q.enqueuedAt());
    }

    /** Whether to shed the request rather than judge it: its wait exceeds the budget. */
    public boolean shed(JudgeRequest q, long nowMs) {
        return ageMs(q, nowMs) > maxAgeMs;
    }

    /** The shed score's reason (no text of the request). */
    public String reason(JudgeRequest q, long nowMs) {
        return "waited " + Duration.ofMillis(ageMs(q, nowMs)).toSeconds() + " s for the judge, over judge.max_backlog "
                + Duration.ofMillis(maxAgeMs).toSeconds() + " s";
    }
}
