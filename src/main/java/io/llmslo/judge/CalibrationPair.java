package io.llmslo.judge;

import java.util.Map;

/**
 * A request that has both a judge score and a human rating under the same rubric version: one
 * point of judge calibration (DESIGN §4) and one labeled point of the judge correction.
 *
 * @param ts the rating's event time (a human-rating observation counts at the rating's ts)
 * @param judgeModel the model that gave the score: calibration is kept per judge model, so a
 *     provider swapping the model shows as a new, not yet calibrated judge
 * @param weight 1 / the probability that the review queue picked this request for rating (1 for
 *     ratings the queue did not ask for)
 * @param dims the request's cohort dimensions, for the per-cohort correction
 */
public record CalibrationPair(
        String requestId,
        String rubric,
        int rubricVersion,
        int passThreshold,
        String judgeModel,
        int judgeScore,
        int humanScore,
        boolean humanUseful,
        String raterId,
        long ts,
        double weight,
        Map<String, String> dims) {

    /** The calibration key: rubric, version and judge model, e.g. {@code helpfulness@3|gpt-4o-mini}. */
    public String calibrationKey() {
        return key(rubric, rubricVersion, judgeModel);
    }

    public static String key(String rubric, int version, String judgeModel) {
        return rubric + "@" + version + "|" + (judgeModel == null ? "" : judgeModel);
    }

    /** The judge's verdict as the correction sees it: pass or not. */
    public boolean judgePass() {
        return judgeScore >= passThreshold;
    }
}
