package io.llmslo.judge;

/**
 * A request that has both a judge score and a human rating under the same rubric version: one
 * point of judge calibration (DESIGN §4).
 *
 * @param ts the rating's event time (a human-rating observation counts at the rating's ts)
 */
public record CalibrationPair(
        String requestId,
        String rubric,
        int rubricVersion,
        int passThreshold,
        int judgeScore,
        int humanScore,
        boolean humanUseful,
        String raterId,
        long ts) {

    /** The calibration key: rubric and version, e.g. {@code helpfulness@3}. */
    public String rubricKey() {
        return rubric + "@" + rubricVersion;
    }
}
