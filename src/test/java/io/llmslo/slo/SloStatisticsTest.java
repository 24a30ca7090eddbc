package io.llmslo.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.stat.interval.ConfidenceInterval;
import org.apache.commons.math3.stat.interval.WilsonScoreInterval;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DESIGN §4 statistics against the seed's reference (scipy) and commons-math3. */
class SloStatisticsTest {

    static final double ALPHA = 0.01;

    // --- breach test: H0 p_good >= target ------------------------------------------------------

    @Test
    void seedCase176Of200Vs092IsNoBreach() {
        double p = SloStatistics.pValueBelowTarget(176, 200, 0.92);
        assertThat(p).isGreaterThanOrEqualTo(ALPHA);
        assertThat(p).isCloseTo(0.030636509951146175, withinPercentage(1e-7));
    }

    @Test
    void seedCase160Of200Vs092IsABreach() {
        double p = SloStatistics.pValueBelowTarget(160, 200, 0.92);
        assertThat(p).isLessThan(ALPHA);
        assertThat(p).isCloseTo(6.580506485390815e-08, withinPercentage(1e-7));
    }

    /** References from scipy 1.17: {@code binomtest(k, n, p, alternative='less').pvalue}. */
    @ParameterizedTest
    @CsvSource({
        "176,   200,   0.92,   0.030636509951146175",
        "160,   200,   0.92,   6.580506485390815e-08",
        "44,    50,    0.88,   0.5646643497267093",
        "40,    50,    0.88,   0.07076160003564357",
        "995,   1000,  0.9995, 0.0001707366088672305",
        "9990,  10000, 0.9995, 0.0317917900697725",
        "850,   1000,  0.85,   0.513541905319643",
        "0,     10,    0.5,    0.0009765625",
    })
    void pValueBelowTargetEqualsScipyBinomtestLess(long k, long n, double target, double scipy) {
        assertThat(SloStatistics.pValueBelowTarget(k, n, target)).isCloseTo(scipy, withinPercentage(1e-7));
    }

    @Test
    void pValueBelowTargetEqualsTheBinomialCdfOnAGrid() {
        for (int n : new int[] {1, 7, 50, 200, 1000}) {
            for (double target : new double[] {0.5, 0.85, 0.88, 0.92, 0.995}) {
                BinomialDistribution bin = new BinomialDistribution(null, n, target);
                for (int k = 0; k <= n; k += Math.max(1, n / 25)) {
                    assertThat(SloStatistics.pValueBelowTarget(k, n, target))
                            .as("k=%d n=%d target=%s", k, n, target)
                            .isCloseTo(bin.cumulativeProbability(k), within(1e-12));
                }
            }
        }
    }

    @Test
    void pValueBelowTargetEdges() {
        assertThat(SloStatistics.pValueBelowTarget(0, 0, 0.9)).as("no data is no evidence").isEqualTo(1.0);
        assertThat(SloStatistics.pValueBelowTarget(50, 50, 0.9)).as("all good").isEqualTo(1.0);
        assertThat(SloStatistics.pValueBelowTarget(99, 100, 1.0)).isZero();
        assertThat(SloStatistics.pValueBelowTarget(100, 100, 1.0)).isEqualTo(1.0);
        // fewer good events can only make the evidence of a breach stronger
        double previous = 1.0;
        for (int k = 200; k >= 150; k--) {
            double p = SloStatistics.pValueBelowTarget(k, 200, 0.92);
            assertThat(p).isLessThanOrEqualTo(previous);
            previous = p;
        }
    }

    // --- burn-rate significance: H0 bad_rate <= rate -------------------------------------------

    /** References from scipy 1.17: {@code binom.sf(bad - 1, n, rate)}. */
    @ParameterizedTest
    @CsvSource({
        "1,   80,   0.0072, 0.4390276195266132",
        "5,   80,   0.0072, 0.00029707636878773067",
        "30,  1000, 0.0072, 1.4860932418950433e-10",
        "200, 1000, 0.0072, 6.15606556428453e-216",
        "10,  100,  0.05,   0.02818829416341614",
    })
    void pValueBadAboveEqualsScipyUpperTail(long bad, long n, double rate, double scipy) {
        // relative, so the tiny tails (where 1 - cdf would round to 0) are checked too
        assertThat(SloStatistics.pValueBadAbove(bad, n, rate)).isCloseTo(scipy, withinPercentage(1e-6));
    }

    @Test
    void pValueBadAboveEqualsOneMinusTheCdfBelowBad() {
        for (int n : new int[] {10, 80, 500, 3000}) {
            for (double rate : new double[] {0.0072, 0.05, 0.12, 0.5}) {
                BinomialDistribution bin = new BinomialDistribution(null, n, rate);
                for (int bad = 1; bad <= n; bad += Math.max(1, n / 40)) {
                    assertThat(SloStatistics.pValueBadAbove(bad, n, rate))
                            .as("bad=%d n=%d rate=%s", bad, n, rate)
                            .isCloseTo(1 - bin.cumulativeProbability(bad - 1), within(1e-12));
                }
            }
        }
    }

    @Test
    void oneFailureAmongEightyMustNotPageA9995Slo() {
        // DESIGN §4: page_rollback burns 14.4 x budget; 1/80 is a burn of 25, but not significant
        double target = 0.9995;
        assertThat(SloStatistics.burnRate(79, 80, target)).isGreaterThan(14.4);
        assertThat(SloStatistics.pValueBadAbove(1, 80, 14.4 * (1 - target))).isGreaterThan(ALPHA);
        // a real outage: a fifth of 2000 requests failing is overwhelming evidence
        assertThat(SloStatistics.pValueBadAbove(400, 2000, 14.4 * (1 - target))).isLessThan(1e-100);
    }

    @Test
    void pValueBadAboveEdges() {
        assertThat(SloStatistics.pValueBadAbove(0, 100, 0.01)).isEqualTo(1.0);
        assertThat(SloStatistics.pValueBadAbove(5, 0, 0.01)).isEqualTo(1.0);
        assertThat(SloStatistics.pValueBadAbove(5, 100, 1.0)).isEqualTo(1.0);
        assertThat(SloStatistics.pValueBadAbove(5, 100, 0.0)).as("any bad event refutes rate 0").isZero();
        assertThat(SloStatistics.pValueBadAbove(100, 100, 0.5)).isCloseTo(Math.pow(0.5, 100), withinPercentage(1e-9));
    }

    // --- Wilson interval -----------------------------------------------------------------------

    @Test
    void wilson95EqualsCommonsMathOnAGrid() {
        WilsonScoreInterval reference = new WilsonScoreInterval();
        for (int n : new int[] {1, 2, 5, 13, 50, 200, 1_000, 123_457}) {
            for (int good = 0; good <= n; good += Math.max(1, n / 50)) {
                ConfidenceInterval ci = reference.createInterval(n, good, 0.95);
                double[] ours = SloStatistics.wilson95(good, n);
                assertThat(ours[0]).as("low %d/%d", good, n).isCloseTo(ci.getLowerBound(), within(1e-12));
                assertThat(ours[1]).as("high %d/%d", good, n).isCloseTo(ci.getUpperBound(), within(1e-12));
            }
            // the extremes, which the step may have skipped
            ConfidenceInterval all = reference.createInterval(n, n, 0.95);
            assertThat(SloStatistics.wilson95(n, n)[0]).isCloseTo(all.getLowerBound(), within(1e-12));
            assertThat(SloStatistics.wilson95(n, n)[1]).isCloseTo(1.0, within(1e-12));
        }
    }

    @Test
    void wilson95IsInsideTheUnitIntervalAndContainsTheRatio() {
        for (int n : new int[] {1, 3, 50}) {
            for (int good = 0; good <= n; good++) {
                double[] ci = SloStatistics.wilson95(good, n);
                // up to rounding: at 0 of n the closed form leaves ~1e-17 above zero
                assertThat(ci[0]).isBetween(0.0, good / (double) n + 1e-15);
                assertThat(ci[1]).isBetween(good / (double) n - 1e-15, 1.0);
            }
        }
        assertThat(SloStatistics.wilson95(0, 0)).isNull();
    }

    // --- refusal drift: H0 p_now - p_base <= margin --------------------------------------------

    @Test
    void driftPValueSmallOnlyWhenRefusalsRoseByMoreThanTheMargin() {
        double margin = 0.015;
        // baseline 3 %; now 6 %: a 3-point rise, beyond the 1.5-point margin
        assertThat(SloStatistics.pValueDriftAbove(60, 1000, 120, 4000, margin))
                .isCloseTo(0.03006910515907535, within(1e-12));
        assertThat(SloStatistics.pValueDriftAbove(600, 10_000, 1200, 40_000, margin)).isLessThan(ALPHA);
        // exactly at the margin: no evidence either way
        assertThat(SloStatistics.pValueDriftAbove(45, 1000, 120, 4000, margin)).isCloseTo(0.5, within(1e-12));
        // fewer refusals than the baseline: the H0 holds comfortably
        assertThat(SloStatistics.pValueDriftAbove(10, 1000, 120, 4000, margin)).isGreaterThan(0.99);
        // a decrease must never look like drift, however large n is
        assertThat(SloStatistics.pValueDriftAbove(0, 1_000_000, 30_000, 1_000_000, margin)).isEqualTo(1.0);
    }

    @Test
    void driftPValueFallsAsRefusalsNowRise() {
        double previous = 1.0;
        for (int refusedNow = 0; refusedNow <= 200; refusedNow += 5) {
            double p = SloStatistics.pValueDriftAbove(refusedNow, 1000, 120, 4000, 0.015);
            assertThat(p).as("refusedNow=%d", refusedNow).isLessThanOrEqualTo(previous);
            previous = p;
        }
        assertThat(previous).isLessThan(1e-6);
    }

    @Test
    void driftWithoutDataIsNoEvidence() {
        assertThat(SloStatistics.pValueDriftAbove(0, 0, 10, 100, 0.015)).isEqualTo(1.0);
        assertThat(SloStatistics.pValueDriftAbove(10, 100, 0, 0, 0.015)).isEqualTo(1.0);
        // zero refusals in both: the variance floor keeps the test finite
        assertThat(SloStatistics.pValueDriftAbove(0, 100, 0, 100, 0.015)).isBetween(0.0, 1.0);
    }

    @Test
    void driftInterval() {
        double[] d = SloStatistics.driftInterval95(60, 1000, 120, 4000);
        assertThat(d[0]).isCloseTo(0.03, within(1e-12));
        double se = Math.sqrt(0.06 * 0.94 / 1000 + 0.03 * 0.97 / 4000);
        assertThat(d[1]).isCloseTo(0.03 - 1.959963984540054 * se, within(1e-12));
        assertThat(d[2]).isCloseTo(0.03 + 1.959963984540054 * se, within(1e-12));
    }

    // --- burn rate (SRE workbook) --------------------------------------------------------------

    @Test
    void burnRateIsTheBadFractionOverTheErrorBudget() {
        assertThat(SloStatistics.burnRate(990, 1000, 0.99)).isCloseTo(1.0, within(1e-9));
        assertThat(SloStatistics.burnRate(160, 200, 0.88)).isCloseTo(0.2 / 0.12, within(1e-9));
        assertThat(SloStatistics.burnRate(1000, 1000, 0.9995)).isZero();
        assertThat(SloStatistics.burnRate(0, 0, 0.9)).as("no data burns nothing").isZero();
        // all bad burns at the fastest possible rate, 1 / (1 - target): 8.33 at 0.88 (DESIGN §4)
        assertThat(SloStatistics.burnRate(0, 50, 0.88)).isCloseTo(1 / 0.12, within(1e-9));
        // not multiplied by the window fraction (the seed's bug): independent of n
        assertThat(SloStatistics.burnRate(9, 10, 0.95)).isCloseTo(SloStatistics.burnRate(900, 1000, 0.95), within(1e-12));
    }
}
