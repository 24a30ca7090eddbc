package io.llmslo.judge;

/**
 * One row of {@code judge_calibration} (DESIGN §7), key (rubric, rubricVersion, judgeModel,
 * evalTime): the judge's agreement with human raters over all pairs of this rubric version and
 * judge model up to evalTime (the DESIGN columns), and over the rolling calibration window (the
 * {@code window_*} columns, inverse-probability weighted by the review queue's probabilities).
 *
 * @param kappa quadratic-weighted Cohen's kappa, {@code null} when undefined (see
 *     {@link CalibrationStats#quadraticKappa})
 * @param minAgreement the rubric's {@code min_agreement} ({@code NaN} if the rubric is not loaded)
 * @param alert windowed useful agreement below {@code minAgreement} with at least the minimum
 *     number of pairs in the window
 * @param calibrated at least the minimum number of pairs in the window and windowed useful
 *     agreement at or above {@code minAgreement}: judge alerts may page
 */
public record CalibrationRow(
        String rubric,
        int rubricVersion,
        String judgeModel,
        long evalTime,
        long nPairs,
        double exactAgreement,
        double withinOne,
        double usefulAgreement,
        Double kappa,
        double meanBias,
        double minAgreement,
        boolean alert,
        String window,
        long windowPairs,
        double windowUsefulAgreement,
        Double windowAgreementLow,
        Double windowAgreementHigh,
        Double windowKappa,
        boolean calibrated) {

    public static CalibrationRow of(String rubric, int version, String judgeModel, long evalTime,
            CalibrationStats all, CalibrationStats win, String window, double minAgreement, int minPairs) {
        double kappa = all.quadraticKappa();
        double wKappa = win.quadraticKappa();
        long wPairs = win.nPairs();
        double wAgree = win.weightedUsefulAgreement();
        boolean known = wPairs >= minPairs && !Double.isNaN(minAgreement);
        boolean alert = known && wAgree < minAgreement;
        double[] ci = win.usefulAgreementInterval();
        return new CalibrationRow(rubric, version, judgeModel, evalTime, all.nPairs(), all.exactAgreement(),
                all.withinOne(), all.usefulAgreement(), Double.isNaN(kappa) ? null : kappa, all.meanBias(),
                minAgreement, alert, window, wPairs, wAgree, ci == null ? null : ci[0], ci == null ? null : ci[1],
                Double.isNaN(wKappa) ? null : wKappa, known && !alert);
    }
}
