package io.llmslo.judge;

/**
 * Judge-vs-human agreement of one rubric version (DESIGN §4), as plain mergeable counts: the
 * confusion matrix of (judge score, human score) over the rubric's scale, plus how often the judge's
 * pass/fail matched the human's "useful". Every figure derives from these counts, so partial stats
 * merge exactly (sum the counts) and the object is small, fixed-size Flink state.
 *
 * <p>A Flink POJO (public no-arg constructor, public fields) on purpose: no Kryo.
 */
public final class CalibrationStats {

    /** Lowest score of the scale (row/column 0). */
    public int min;
    /** Highest score of the scale. */
    public int max;
    /** {@code cells[(judge - min) * k + (human - min)]}, k = max - min + 1. */
    public long[] cells;
    /** Pairs where (judge >= pass_threshold) == human useful. */
    public long usefulAgree;
    /**
     * Σw, Σw² and Σw·[judge pass == human useful] with w = 1 / the pair's selection probability
     * into the review queue: the agreement of the judged population, not of the (oversampled,
     * judge-uncertain) rated sample.
     */
    public double sumW;
    public double sumW2;
    public double agreeW;

    public CalibrationStats() {}

    public static CalibrationStats of(int min, int max) {
        CalibrationStats s = new CalibrationStats();
        s.min = min;
        s.max = max;
        int k = max - min + 1;
        s.cells = new long[k * k];
        return s;
    }

    public static CalibrationStats of(Rubric r) {
        return of(r.scaleMin(), r.scaleMax());
    }

    private int k() {
        return max - min + 1;
    }

    /** Adds one pair; scores outside the scale are ignored (returns false). */
    public boolean add(int judge, int human, boolean humanUseful, int passThreshold) {
        return add(judge, human, humanUseful, passThreshold, 1.0);
    }

    /** Adds one pair of inverse-probability weight {@code w}. */
    public boolean add(int judge, int human, boolean humanUseful, int passThreshold, double w) {
        if (judge < min || judge > max || human < min || human > max || !(w > 0)) {
            return false;
        }
        cells[(judge - min) * k() + (human - min)]++;
        sumW += w;
        sumW2 += w * w;
        if ((judge >= passThreshold) == humanUseful) {
            usefulAgree++;
            agreeW += w;
        }
        return true;
    }

    public CalibrationStats merge(CalibrationStats o) {
        if (o.min != min || o.max != max) {
            throw new IllegalArgumentException("cannot merge scales " + min + ".." + max + " and " + o.min + ".." + o.max);
        }
        for (int i = 0; i < cells.length; i++) {
            cells[i] += o.cells[i];
        }
        usefulAgree += o.usefulAgree;
        sumW += o.sumW;
        sumW2 += o.sumW2;
        agreeW += o.agreeW;
        return this;
    }

    public CalibrationStats copy() {
        return of(min, max).merge(this);
    }

    public long count(int judge, int human) {
        return cells[(judge - min) * k() + (human - min)];
    }

    public long nPairs() {
        long n = 0;
        for (long c : cells) {
            n += c;
        }
        return n;
    }

    /** Share of pairs with judge == human. */
    public double exactAgreement() {
        return share(0);
    }

    /** Share of pairs with |judge − human| <= 1. */
    public double withinOne() {
        return share(1);
    }

    private double share(int maxDiff) {
        long n = nPairs();
        if (n == 0) {
            return Double.NaN;
        }
        long hits = 0;
        int k = k();
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                if (Math.abs(i - j) <= maxDiff) {
                    hits += cells[i * k + j];
                }
            }
        }
        return hits / (double) n;
    }

    /** Share of pairs where the judge's pass (score >= pass_threshold) matched the human's useful. */
    public double usefulAgreement() {
        long n = nPairs();
        return n == 0 ? Double.NaN : usefulAgree / (double) n;
    }

    /** Inverse-probability-weighted agreement on useful: Σw·agree / Σw. */
    public double weightedUsefulAgreement() {
        return sumW > 0 ? agreeW / sumW : Double.NaN;
    }

    /** Kish's effective number of pairs (Σw)² / Σw²: n for equal weights, fewer when they vary. */
    public double effectivePairs() {
        return sumW2 > 0 ? sumW * sumW / sumW2 : 0;
    }

    /**
     * Wilson 95 % interval of the weighted agreement on useful, on the effective number of pairs;
     * {@code null} without pairs.
     */
    public double[] usefulAgreementInterval() {
        double n = effectivePairs();
        if (n <= 0) {
            return null;
        }
        return io.llmslo.slo.SloStatistics.wilson95(weightedUsefulAgreement(), n);
    }

    /**
     * Percentile-bootstrap 95 % interval of the quadratic kappa (Efron): {@code resamples} redraws of
     * n pairs from the observed (judge, human) cells, seeded, so the same pairs give the same
     * interval. {@code null} with fewer than two pairs or when kappa is undefined in too many
     * redraws (over half).
     */
    public double[] quadraticKappaInterval(int resamples, long seed) {
        long n = nPairs();
        if (n < 2 || Double.isNaN(quadraticKappa())) {
            return null;
        }
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        double[] cum = new double[cells.length];
        double acc = 0;
        for (int i = 0; i < cells.length; i++) {
            acc += cells[i] / (double) n;
            cum[i] = acc;
        }
        double[] kappas = new double[resamples];
        int defined = 0;
        CalibrationStats draw = of(min, max);
        for (int b = 0; b < resamples; b++) {
            java.util.Arrays.fill(draw.cells, 0);
            for (long i = 0; i < n; i++) {
                double u = rnd.nextDouble();
                int c = java.util.Arrays.binarySearch(cum, u);
                c = c >= 0 ? c + 1 : -c - 1;
                draw.cells[Math.min(c, cells.length - 1)]++;
            }
            double k = draw.quadraticKappa();
            if (!Double.isNaN(k)) {
                kappas[defined++] = k;
            }
        }
        if (defined < resamples / 2) {
            return null;
        }
        double[] sorted = java.util.Arrays.copyOf(kappas, defined);
        java.util.Arrays.sort(sorted);
        return new double[] {sorted[(int) Math.floor(0.025 * (defined - 1))], sorted[(int) Math.ceil(0.975 * (defined - 1))]};
    }

    /** Mean of (judge − human): positive means the judge is more lenient than the raters. */
    public double meanBias() {
        long n = nPairs();
        if (n == 0) {
            return Double.NaN;
        }
        long sum = 0;
        int k = k();
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                sum += cells[i * k + j] * (long) (i - j);
            }
        }
        return sum / (double) n;
    }

    /**
     * Quadratic-weighted Cohen's kappa: 1 − Σ w·O / Σ w·E with w_ij = (i − j)² / (k − 1)² and
     * E_ij = row_i · col_j / n. {@code NaN} when undefined (no pairs, or both raters used one
     * single score so that chance disagreement is zero).
     */
    public double quadraticKappa() {
        long n = nPairs();
        int k = k();
        if (n == 0) {
            return Double.NaN;
        }
        double[] row = new double[k];
        double[] col = new double[k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                row[i] += cells[i * k + j];
                col[j] += cells[i * k + j];
            }
        }
        double observed = 0;
        double expected = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double w = (i - j) * (i - j) / (double) ((k - 1) * (k - 1));
                observed += w * cells[i * k + j];
                expected += w * row[i] * col[j] / n;
            }
        }
        return expected == 0 ? Double.NaN : 1 - observed / expected;
    }
}
