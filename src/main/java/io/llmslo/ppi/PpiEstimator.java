package io.llmslo.ppi;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * PPI++ for the human-useful rate (DESIGN §4 "Judge correction"; Angelopoulos, Duchi, Zrnic,
 * "PPI++: Efficient Prediction-Powered Inference", 2023): the judge's pass rate over all N judged
 * requests, corrected by the human-vs-judge difference over the n paired ones,
 * θ̂ = λ·mean(Ŷ over N) + mean_w(Y − λŶ over n), with the power-tuning λ chosen from the data and
 * clipped to [0, 1] (λ = 0 is the classical estimate from the pairs alone, λ = 1 plain PPI).
 *
 * <p>The arithmetic is exactly {@code ppi_py.ppi_mean_ci} (ppi_py/ppi.py, {@code lam=None},
 * {@code lam_optim_mode="overall"}), written in the sums of {@link PpiMoments} for 0/1 variables:
 * labeled weights are normalised to mean 1 ({@code construct_weight_vector}); λ comes from the
 * gradients at the λ = 1 estimate ({@code _calc_lam_glm}: population covariance of the labeled
 * gradients over the sample variance of all predicted gradients, times 1 + n/N); the standard
 * error is sqrt(std(λŶ_N)²/N + std(w(Y − λŶ))²/n) with population standard deviations; the
 * interval is normal ({@code _zconfint_generic}). Weights w = 1 / (selection probability) make
 * the labeled mean unbiased when the human sample is not uniform (the review queue's
 * stratification and oversampling).
 */
public final class PpiEstimator {

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private PpiEstimator() {}

    /**
     * @param theta the corrected human-useful rate (not clipped to [0, 1], as in ppi_py)
     * @param se its standard error
     * @param lambda the power-tuning weight of the judge, in [0, 1]
     */
    public record Estimate(double theta, double se, double lambda, double ciLow, double ciHigh,
            long judged, long pairs) {

        /**
         * The number of plain Bernoulli observations with the same rate and the same variance
         * (Kish's effective sample size), at most the number judged: how many "votes" the
         * estimate is worth to a count-based test or alert rule.
         */
        public long effectiveN() {
            double p = Math.min(1, Math.max(0, theta));
            if (!(se > 0)) {
                return judged;
            }
            double n = p * (1 - p) / (se * se);
            return Math.max(0, Math.min(judged, Math.round(n)));
        }

        /** Effective good events: round(θ̂ · effective n), θ̂ clipped to [0, 1]. */
        public long effectiveGood() {
            double p = Math.min(1, Math.max(0, theta));
            return Math.round(p * effectiveN());
        }
    }

    /** PPI++ at level 1 − alpha (two-sided); {@code null} without judged requests or pairs. */
    public static Estimate estimate(PpiMoments m, double alpha) {
        long bigN = m.judged;
        long n = m.pairs;
        if (bigN <= 0 || n <= 0 || !(m.sw > 0)) {
            return null;
        }
        // normalised labeled weights w̃ = w·n/Σw (mean 1): Σw̃·x = a·Σw·x, Σw̃²·x = a²·Σw²·x
        double a = n / m.sw;
        double tY = a * m.swY;
        double tH = a * m.swH;
        double qOne = a * a * m.sw2;
        double qY = a * a * m.sw2Y;
        double qH = a * a * m.sw2H;
        double qYH = a * a * m.sw2YH;
        double meanU = m.judgedHigh / (double) bigN;

        // λ from the gradients at the λ = 1 estimate (ppi_mean_ci with lam=None)
        double theta1 = meanU + (tY - tH) / n;
        double gMean = (tY - theta1 * n) / n;
        double ghMean = (tH - theta1 * n) / n;
        double sumGGh = qYH - theta1 * qY - theta1 * qH + theta1 * theta1 * qOne;
        double covGrads = 2 * (sumGGh / n - gMean * ghMean);
        // sample variance (ddof 1) of the labeled and unlabeled predicted gradients together
        long all = n + bigN;
        double sum = (tH - theta1 * n) + (m.judgedHigh - theta1 * bigN);
        double sumSq = qH * (1 - 2 * theta1) + theta1 * theta1 * qOne
                + m.judgedHigh * (1 - 2 * theta1) + bigN * theta1 * theta1;
        double varHat = all > 1 ? (sumSq - sum * sum / all) / (all - 1) : 0;
        double lambda = varHat > 0 ? covGrads / (2 * (1 + n / (double) bigN) * varHat) : 0;
        lambda = Double.isNaN(lambda) ? 0 : Math.min(1, Math.max(0, lambda));

        double rectifierMean = (tY - lambda * tH) / n;
        double theta = lambda * meanU + rectifierMean;
        double imputedVar = lambda * lambda * meanU * (1 - meanU) / bigN;
        double rectifierSq = (qY - 2 * lambda * qYH + lambda * lambda * qH) / n;
        double rectifierVar = Math.max(0, rectifierSq - rectifierMean * rectifierMean) / n;
        double se = Math.sqrt(imputedVar + rectifierVar);
        double z = STANDARD_NORMAL.inverseCumulativeProbability(1 - alpha / 2);
        return new Estimate(theta, se, lambda, theta - z * se, theta + z * se, bigN, n);
    }
}
