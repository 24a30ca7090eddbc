package io.llmslo.judge;

import java.util.Map;

/**
 * The judge's verdict on one sampled response: a score, or an error (never both). Carries the
 * request's cohort dimensions so the {@code quality.judge_high} observation needs no join.
 *
 * @param score 1..5, or {@code null} when {@code error} is set
 * @param passThreshold the rubric's pass threshold: score >= it counts as "high"
 */
public record JudgeResult(
        String requestId,
        long ts,
        Map<String, String> dims,
        String rubric,
        int rubricVersion,
        int passThreshold,
        String judgeModel,
        Integer score,
        String reason,
        long latencyMs,
        String error,
        long inputTokens,
        long outputTokens) {

    public boolean ok() {
        return error == null && score != null;
    }
}
