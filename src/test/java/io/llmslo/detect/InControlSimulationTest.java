package io.llmslo.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The false-alarm guarantee, checked by seeded simulation (counts, not time). Every series sits
 * exactly at its boundary bad rate (the worst case of H0) for 30 days of 5-minute steps. The
 * designed bound (Ville's inequality, union over start steps and the K alternatives) is
 * E[openings] ≤ series · steps · K · e^−h; the observed count must stay within it. Series restart
 * from a fresh state after each opening, as after a resolve.
 */
class InControlSimulationTest {

    static final int STEPS = (int) FamilyBudget.STEPS_30D_5MIN;

    /** Openings over {@code series} series of Poisson({@code perStep}) events at bad rate {@code p}. */
    static long openings(double p0, double p, double perStep, int series, double h, long seed) {
        SequentialDetector d = new SequentialDetector(new double[] {p0}, SequentialDetector.DEFAULT_RHO, 4.6);
        SplittableRandom rnd = new SplittableRandom(seed);
        long count = 0;
        for (int i = 0; i < series; i++) {
            DetectorState s = d.freshState();
            for (int t = 0; t < STEPS; t++) {
                long n = poisson(rnd, perStep);
                long bad = 0;
                for (long e = 0; e < n; e++) {
                    if (rnd.nextDouble() < p) {
                        bad++;
                    }
                }
                if (d.step(s, t, n, bad, h).opened()[0]) {
                    count++;
                    s = d.freshState();
                }
            }
        }
        return count;
    }

    static long poisson(SplittableRandom r, double lambda) {
        double l = Math.exp(-lambda);
        double prod = r.nextDouble();
        long k = 0;
        while (prod > l) {
            k++;
            prod *= r.nextDouble();
        }
        return k;
    }

    static double bound(int series, double h) {
        return series * (double) STEPS * SequentialDetector.DEFAULT_RHO.length * Math.exp(-h);
    }

    @Test
    void atTheBoundaryOpeningsStayWithinTheDesignedBound() {
        // a low threshold (h = 7) so the count is large enough to mean something: the bound is
        // 100 · 8640 · 4 · e^−7 ≈ 3152 openings; a broken CUSUM (no reset, wrong sign) blows it
        double h = 7;
        long quality = openings(0.12, 0.12, 2, 100, h, 1);
        long availability = openings(0.0005, 0.0005, 20, 100, h, 2);
        assertThat(quality).isLessThanOrEqualTo((long) bound(100, h));
        assertThat(availability).isLessThanOrEqualTo((long) bound(100, h));
        // and the detector is not vacuous: the same test at a rate 1.5× the boundary alarms
        assertThat(openings(0.12, 0.18, 2, 20, h, 3)).isGreaterThan(20);
    }

    @Test
    void defaultLeafThresholdAtTheBoundary() {
        double h = FamilyBudget.defaults().threshold("surface=chat,cohort.locale=de-DE", 4);
        // bound: 200 series · 8640 · 4 · e^−10.99 ≈ 117 openings in 30 days; simulated ≪ that
        long count = openings(0.12, 0.12, 2, 200, h, 4);
        assertThat(count).isLessThanOrEqualTo((long) bound(200, h));
    }

    @Test
    void healthyMarginNeverAlarms() {
        // acceptance at 0.93 against a 0.88 target: the CUSUM drifts down, 400 series × 30 days
        double h = FamilyBudget.defaults().threshold("surface=chat,cohort.locale=de-DE", 4);
        assertThat(openings(0.12, 0.07, 2, 400, h, 5)).isZero();
    }
}
