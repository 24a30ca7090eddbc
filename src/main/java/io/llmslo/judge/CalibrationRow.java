package io.llmslo.judge;

/**
 * One row of {@code judge_calibration} (DESIGN §7), key (rubric, rubricVersion, evalTime): the
 * agreement of the judge with human raters over all pairs of this rubric version up to evalTime.
 *
 * @param kappa quadratic-weighted Cohen's kappa, {@code null} when undefined (see
 *     {@link CalibrationStats#quadraticKappa})
 * @param minAgreement the rubric's {@code min_agreement} ({@code NaN} if the rubric is not loaded)
 * @param alert useful agreement below {@code minAgreement} with at least the minimum number of pairs
 */
public record CalibrationRow(
        String rubric,
        int rubricVersion,
        long evalTime,
        long nPairs,
        double exactAgreement,
        double withinOne,
        double usefulAgreement,
        Double kappa,
        double meanBias,
        double minAgreement,
        boolean alert) {

    public static CalibrationRow of(String rubric, int version, long evalTime, CalibrationStats s,
            double minAgreement, int minPairs) {
        double kappa = s.quadraticKappa();
        boolean alert = s.nPairs() >= minPairs && !Double.isNaN(minAgreement) && s.usefulAgreement() < minAgreement;
        return new CalibrationRow(rubric, version, evalTime, s.nPairs(), s.exactAgreement(), s.withinOne(),
                s.usefulAgreement(), Double.isNaN(kappa) ? null : kappa, s.meanBias(), minAgreement, alert);
    }
}
