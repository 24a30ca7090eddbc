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
        String reason) {}
