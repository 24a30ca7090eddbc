package io.llmslo.judge.offline;

/**
 * Cohen's (unweighted) kappa of a k×k agreement table, with the large-sample standard error of
 * Fleiss, Cohen &amp; Everitt (1969, Psychological Bulletin 72(5):323–327; Fleiss, Statistical
 * Methods for Rates and Proportions, §18.1) and its normal 95 % interval κ ± 1.96·SE:
 * <pre>
 *   SE² = { Σᵢ pᵢᵢ [1 − (pᵢ. + p.ᵢ)(1 − κ)]² + (1 − κ)² Σᵢ≠ⱼ pᵢⱼ (p.ᵢ + pⱼ.)² − [κ − pₑ(1 − κ)]² } / (n (1 − pₑ)²)
 * </pre>
 * (the same formula as statsmodels' {@code cohens_kappa}). {@code rubric calibrate} reports it for
 * pass/fail, next to the quadratic-weighted kappa on the full scale.
 */
public record CohenKappa(double kappa, double se, long n, boolean oneRaterConstant) {

    private static final double Z95 = 1.959963984540054;

    /** {@code table[i][j]}: count of items rater A put in category i and rater B in j. */
    public static CohenKappa of(long[][] table) {
        int k = table.length;
        long n = 0;
        for (long[] row : table) {
            for (long c : row) {
                n += c;
            }
        }
        if (n == 0) {
            return new CohenKappa(Double.NaN, Double.NaN, 0, true);
        }
        double[] row = new double[k];
        double[] col = new double[k];
        double po = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double p = table[i][j] / (double) n;
                row[i] += p;
                col[j] += p;
                if (i == j) {
                    po += p;
                }
            }
        }
        double pe = 0;
        for (int i = 0; i < k; i++) {
            pe += row[i] * col[i];
        }
        if (pe >= 1) {
            return new CohenKappa(Double.NaN, Double.NaN, n, true);
        }
        boolean constant = false;
        for (int i = 0; i < k; i++) {
            constant |= row[i] == 1 || col[i] == 1;
        }
        double kappa = (po - pe) / (1 - pe);
        double a = 0;
        double b = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double p = table[i][j] / (double) n;
                if (i == j) {
                    double t = 1 - (row[i] + col[i]) * (1 - kappa);
                    a += p * t * t;
                } else {
                    double t = col[i] + row[j];
                    b += p * t * t;
                }
            }
        }
        double c = kappa - pe * (1 - kappa);
        double var = (a + (1 - kappa) * (1 - kappa) * b - c * c) / ((1 - pe) * (1 - pe) * n);
        return new CohenKappa(kappa, Math.sqrt(Math.max(0, var)), n, constant);
    }

    /**
     * κ ± 1.96·SE, or {@code null} when κ is undefined or one rater used a single category (κ is
     * then 0 and the large-sample SE degenerates to 0, which would print a false certainty).
     */
    public double[] interval95() {
        if (Double.isNaN(kappa) || oneRaterConstant) {
            return null;
        }
        return new double[] {kappa - Z95 * se, kappa + Z95 * se};
    }
}
