package io.llmslo.judge;

import java.util.Map;

/**
 * A judge score with the review queue's decision on it: what calibration and the correction keep
 * of a judged request until its ratings arrive (no text).
 *
 * @param reviewProbability the probability the review queue selected it with
 * @param queued whether the queue selected it
 * @param weighted whether ratings follow the queue ({@code judge.review_queue.weight_ratings}): if
 *     raters rate some other sample (a simulation rating uniformly), weights would bias, so none
 */
public record ReviewedScore(
        String requestId,
        long ts,
        String rubric,
        int rubricVersion,
        int passThreshold,
        String judgeModel,
        int score,
        Map<String, String> dims,
        double reviewProbability,
        boolean queued,
        boolean weighted) {

    /**
     * The weight of a rating of this request in the correction: 1 / probability when the queue
     * asked for it; 1 for a rating nobody asked for (taken as a uniform sample of judged requests).
     */
    public double ratingWeight() {
        return weighted && queued && reviewProbability > 0 ? 1.0 / reviewProbability : 1.0;
    }
}
