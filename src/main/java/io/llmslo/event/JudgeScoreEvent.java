package io.llmslo.event;

/**
 * The judge worker's verdict on one sampled request (DESIGN §5, topic {@code llm.judge_scores}):
 * a score or an error, never both. {@code ts} is the judged response's time; the event carries
 * no dimensions: the request joiner has them.
 *
 * @param rubric null only on an error before a rubric was chosen ({@code no_rubric})
 * @param passThreshold the rubric's pass threshold (score >= it counts as high), 0 on such errors
 * @param score 1..5, or {@code null} when {@code error} is set
 */
public record JudgeScoreEvent(
        String requestId,
        long ts,
        String rubric,
        int rubricVersion,
        int passThreshold,
        String judgeModel,
        Integer score,
        String error,
        String reason,
        long latencyMs,
        long inputTokens,
        long outputTokens) {

    /** What makes two scores duplicates of each other, with the request id (the joiner's key). */
    public String dedupeKey() {
        return rubric == null ? "" : rubric;
    }
}
