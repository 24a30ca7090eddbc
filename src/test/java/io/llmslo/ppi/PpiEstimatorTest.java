package io.llmslo.ppi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PpiEstimatorTest {

    // the fixed arrays of src/test/resources/ppi/ppi_reference.py
    private static final int[] Y = {1, 1, 0, 1, 1, 0, 1, 1, 1, 0};
    private static final int[] YHAT = {1, 0, 0, 1, 1, 0, 0, 1, 1, 1};
    private static final double[] W = {1, 2, 1, 1, 4, 1, 1, 2, 1, 1};

    private static PpiMoments moments(int[] y, int[] yHat, double[] w, int unlabeledHigh, int unlabeled) {
        PpiMoments m = new PpiMoments();
        for (int i = 0; i < y.length; i++) {
            m.addPair(y[i] == 1, yHat[i] == 1, w == null ? 1 : w[i]);
        }
        for (int j = 0; j < unlabeled; j++) {
            m.addJudged(j < unlabeledHigh);
        }
        return m;
    }

    /**
     * Expected values: ppi_py's {@code ppi_mean_ci(Y, Yhat, Yhat_unlabeled, alpha=0.05)}
     * (ppi_py/ppi.py, lam=None) re-expressed in numpy by src/test/resources/ppi/ppi_reference.py,
     * an array computation independent of the moment arithmetic under test.
     */
    @Test
    void uniformLabelsMatchPpiPyFormulas() {
        PpiEstimator.Estimate e = PpiEstimator.estimate(moments(Y, YHAT, null, 13, 20), 0.05);
        assertThat(e.lambda()).isCloseTo(0.222009569377991, within(1e-12));
        assertThat(e.theta()).isCloseTo(0.711100478468899, within(1e-12));
        assertThat(e.se()).isCloseTo(0.138533096026282, within(1e-12));
        assertThat(e.ciLow()).isCloseTo(0.439580599590559, within(1e-9));
        assertThat(e.ciHigh()).isCloseTo(0.982620357347240, within(1e-9));
        assertThat(e.judged()).isEqualTo(20);
        assertThat(e.pairs()).isEqualTo(10);
    }

    /** Same source, with sample weights {@code w} on the labeled set (normalised to mean 1 by ppi_py). */
    @Test
    void weightedLabelsMatchPpiPyFormulas() {
        PpiEstimator.Estimate e = PpiEstimator.estimate(moments(Y, YHAT, W, 13, 20), 0.05);
        assertThat(e.lambda()).isCloseTo(0.167730518903047, within(1e-12));
        assertThat(e.theta()).isCloseTo(0.797204491351616, within(1e-12));
        assertThat(e.se()).isCloseTo(0.214743280400124, within(1e-12));
        assertThat(e.ciLow()).isCloseTo(0.376315395845387, within(1e-9));
        assertThat(e.ciHigh()).isCloseTo(1.218093586857845, within(1e-9));
        // scaling every weight changes nothing (ppi_py normalises them)
        double[] w10 = new double[W.length];
        for (int i = 0; i < W.length; i++) {
            w10[i] = 10 * W[i];
        }
        assertThat(PpiEstimator.estimate(moments(Y, YHAT, w10, 13, 20), 0.05).theta())
                .isCloseTo(0.797204491351616, within(1e-12));
    }

    /** A lenient judge at alpha 0.10; same source ("lenient" line). */
    @Test
    void lenientJudgeAtNinetyPercent() {
        int[] y = {1, 0, 0, 0, 1, 0, 1, 0};
        int[] yHat = {1, 1, 1, 0, 1, 1, 1, 0};
        PpiEstimator.Estimate e = PpiEstimator.estimate(moments(y, yHat, null, 30, 40), 0.10);
        assertThat(e.lambda()).isCloseTo(0.407986111111111, within(1e-12));
        assertThat(e.theta()).isCloseTo(0.375, within(1e-12));
        assertThat(e.se()).isCloseTo(0.156256781536862, within(1e-12));
        assertThat(e.ciLow()).isCloseTo(0.117980466153328, within(1e-9));
    }

    /**
     * Pooled pairs through the judge's error rates (RoganGladen): the "pooled" line of
     * ppi_reference.py (numpy over the arrays), and by hand: 30 pairs, 26 useful of which the
     * judge passed 23 (a = 23/26), 4 not useful of which it passed 1 (b = 1/4); a cohort of 12
     * judged with 6 passed (q = 1/2): θ = (1/2 − 1/4) / (23/26 − 1/4) = 0.393939…
     */
    @Test
    void pooledPairsCorrectThroughTheJudgesErrorRates() {
        int[] y = new int[30];
        int[] yHat = new int[30];
        for (int i = 0; i < 30; i++) {
            y[i] = i < 20 || i >= 24 ? 1 : 0;
            yHat[i] = i < 17 || i == 20 || i >= 24 ? 1 : 0;
        }
        PpiEstimator.Estimate e = RoganGladen.estimate(moments(y, yHat, null, 6, 12), 0.05);
        assertThat(e.theta()).isCloseTo(0.393939393939394, within(1e-12));
        assertThat(e.se()).isCloseTo(0.322819948562233, within(1e-12));
        assertThat(e.ciLow()).isCloseTo(-0.238776078733655, within(1e-9));
        assertThat(e.ciHigh()).isCloseTo(1.026654866612443, within(1e-9));
        assertThat(e.lambda()).isNaN();
        // weights that scale together change nothing (ratios of weighted sums)
        double[] w = new double[30];
        java.util.Arrays.fill(w, 3.0);
        assertThat(RoganGladen.estimate(moments(y, yHat, w, 6, 12), 0.05).se()).isCloseTo(e.se(), within(1e-12));
        // no pairs of one verdict, or a judge no better than chance: no estimate
        assertThat(RoganGladen.estimate(moments(new int[] {1, 1}, new int[] {1, 0}, null, 1, 2), 0.05)).isNull();
        assertThat(RoganGladen.estimate(moments(new int[] {1, 0}, new int[] {0, 1}, null, 1, 2), 0.05)).isNull();
    }

    /**
     * Seeded coverage: cohorts whose useful rates differ (0.95 for the one estimated, 0.70 for the
     * pool), the same judge (passes 85 % of useful answers, 10 % of the others). The pooled
     * estimate of the small cohort (300 judged, the pool's 1 000 pairs) covers 0.95 in ≥ 93 % of
     * 1 000 runs, where PPI on the same pooled pairs (the pool's mean difference) would not.
     */
    @Test
    void pooledErrorRatesCoverACohortWhoseRateDiffersFromThePool() {
        SplittableRandom rnd = new SplittableRandom(77);
        int covered = 0;
        int ppiCovered = 0;
        for (int run = 0; run < 1000; run++) {
            PpiMoments m = new PpiMoments();
            for (int i = 0; i < 300; i++) {
                boolean useful = rnd.nextDouble() < 0.95;
                m.addJudged(rnd.nextDouble() < (useful ? 0.85 : 0.10));
            }
            for (int i = 0; i < 1000; i++) {
                boolean useful = rnd.nextDouble() < 0.70;
                m.addPair(useful, rnd.nextDouble() < (useful ? 0.85 : 0.10), 1.0);
            }
            PpiEstimator.Estimate e = RoganGladen.estimate(m, 0.05);
            if (e.ciLow() <= 0.95 && 0.95 <= e.ciHigh()) {
                covered++;
            }
            PpiEstimator.Estimate p = PpiEstimator.estimate(m, 0.05);
            if (p.ciLow() <= 0.95 && 0.95 <= p.ciHigh()) {
                ppiCovered++;
            }
        }
        System.out.printf("pooled coverage of 0.95 (pool at 0.70) over 1000 runs: error rates %d, PPI %d%n",
                covered, ppiCovered);
        assertThat(covered).isGreaterThanOrEqualTo(930);
        assertThat(ppiCovered).isLessThan(500);
    }

    @Test
    void noPairsOrNoJudgedMeansNoEstimate() {
        assertThat(PpiEstimator.estimate(new PpiMoments().addJudged(true), 0.05)).isNull();
        assertThat(PpiEstimator.estimate(new PpiMoments().addPair(true, true, 1), 0.05)).isNull();
    }

    /**
     * A judge that never disagrees, by hand (the formulas of ppi_py's {@code _calc_lam_glm}): Y = Ŷ
     * on 4 pairs (2 useful), 4 judged of which 2 high. θ1 = 0.5 + mean(Y − Ŷ) = 0.5; the labeled
     * gradients are ±0.5 for both, so cov_grads = (1/4)·2·(4·0.25) = 0.5; the eight predicted
     * gradients are ±0.5 with mean 0, sample variance 8·0.25/7 = 2/7; λ = 0.5 / (2·(1 + 4/4)·2/7) =
     * 7/16; θ̂ = 7/16·0.5 + mean(Y − 7/16·Ŷ) = 7/32 + (1/2 − 7/32) = 0.5.
     */
    @Test
    void perfectJudgeHandDerivation() {
        PpiMoments m = moments(new int[] {1, 1, 0, 0}, new int[] {1, 1, 0, 0}, null, 2, 4);
        PpiEstimator.Estimate e = PpiEstimator.estimate(m, 0.05);
        assertThat(e.lambda()).isCloseTo(7.0 / 16, within(1e-12));
        assertThat(e.theta()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void effectiveCountsKeepTheRateAndTheVariance() {
        PpiEstimator.Estimate e = new PpiEstimator.Estimate(0.8, 0.02, 0.5, 0.76, 0.84, 5000, 200);
        // 0.8 · 0.2 / 0.02² = 400 Bernoulli votes, 320 of them good
        assertThat(e.effectiveN()).isEqualTo(400);
        assertThat(e.effectiveGood()).isEqualTo(320);
        // never more votes than judged requests
        assertThat(new PpiEstimator.Estimate(0.8, 0.0001, 0.5, 0, 1, 300, 20).effectiveN()).isEqualTo(300);
    }

    /**
     * Seeded coverage: a population of two cohorts (A 70 %, human-useful 0.90; B 30 %, 0.70; true
     * rate 0.84), a biased judge (passes 75 % of useful answers and 30 % of the others: its raw pass
     * rate ≈ 0.68, far below the truth), N = 2 000 judged per run. Human labels either uniform (each
     * judged request rated with probability 0.1) or stratified and oversampled the way the review
     * queue does it (B at 0.25, A at 0.06, judge-failed answers ×1.5), weighted by 1 / probability.
     * The nominal 95 % interval must cover 0.84 in at least 93 % of 1 000 runs; the raw judge rate's
     * own Wilson-style interval would cover it in none.
     */
    @Test
    void intervalCoversTheTrueRateUnderUniformAndStratifiedLabels() {
        double truth = 0.7 * 0.90 + 0.3 * 0.70;
        int uniform = coverage(new SplittableRandom(11), truth, false);
        int stratified = coverage(new SplittableRandom(12), truth, true);
        System.out.printf("PPI++ coverage of %.2f over 1000 runs: uniform %d, stratified %d%n",
                truth, uniform, stratified);
        assertThat(uniform).isGreaterThanOrEqualTo(930);
        assertThat(stratified).isGreaterThanOrEqualTo(930);
    }

    private static int coverage(SplittableRandom rnd, double truth, boolean stratified) {
        int covered = 0;
        for (int run = 0; run < 1000; run++) {
            PpiMoments m = new PpiMoments();
            for (int i = 0; i < 2000; i++) {
                boolean b = rnd.nextDouble() < 0.3;
                boolean y = rnd.nextDouble() < (b ? 0.70 : 0.90);
                boolean yHat = rnd.nextDouble() < (y ? 0.75 : 0.30);
                m.addJudged(yHat);
                double p = stratified ? (b ? 0.25 : 0.06) * (yHat ? 1.0 : 1.5) : 0.1;
                if (rnd.nextDouble() < p) {
                    m.addPair(y, yHat, 1 / p);
                }
            }
            PpiEstimator.Estimate e = PpiEstimator.estimate(m, 0.05);
            if (e.ciLow() <= truth && truth <= e.ciHigh()) {
                covered++;
            }
        }
        return covered;
    }
}
