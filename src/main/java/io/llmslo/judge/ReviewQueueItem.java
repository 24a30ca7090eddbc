package io.llmslo.judge;

/**
 * A request the review queue asks people to rate: a row of {@code review_queue} and a record of
 * the {@code llm.review_queue} topic. No prompt or response text: the rater tool fetches it by
 * request id from where the gateway keeps it, so text travels no further than it must.
 *
 * @param probability the selection probability; the rating's weight in the correction is 1 / it
 * @param reason {@code stratum} (the stratum's share) or {@code uncertain} (boosted: the score is
 *     next to the pass threshold)
 */
public record ReviewQueueItem(
        String requestId,
        long ts,
        String stratum,
        String rubric,
        int rubricVersion,
        String judgeModel,
        int judgeScore,
        double probability,
        String reason) {

    /** The {@code llm.review_queue} record value: the table's columns, snake_case, ts in ISO-8601 UTC. */
    public static String json(com.fasterxml.jackson.databind.ObjectMapper mapper, ReviewQueueItem q) {
        com.fasterxml.jackson.databind.node.ObjectNode n = mapper.createObjectNode();
        n.put("request_id", q.requestId());
        n.put("ts", java.time.Instant.ofEpochMilli(q.ts()).toString());
        n.put("stratum", q.stratum());
        n.put("rubric", q.rubric());
        n.put("rubric_version", q.rubricVersion());
        n.put("judge_model", q.judgeModel());
        n.put("judge_score", q.judgeScore());
        n.put("probability", q.probability());
        n.put("reason", q.reason());
        return n.toString();
    }
}
