package io.llmslo.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Golden values of the Bernoulli CUSUM, computed independently in Python (plain math.log loop,
 * /tmp script reproduced in the comments): p0 = 0.1, odds ratio 3 → p1 = 0.25,
 * ln(p1/p0) = 0.916291, ln((1−p1)/(1−p0)) = −0.182322.
 */
class SequentialDetectorTest {

    static final double EPS = 1e-12;

    @Test
    void alternativeHasTheOddsRatio() {
        // odds(0.1) = 1/9; ×3 = 1/3 → p1 = 0.25; near 1 the alternative stays below 1
        assertThat(SequentialDetector.alternativeRate(0.1, 3)).isCloseTo(0.25, within(EPS));
        assertThat(SequentialDetector.alternativeRate(0.9, 50)).isLessThan(1.0);
    }

    @Test
    void cusumMatchesHandComputedSequence() {
        SequentialDetector d = new SequentialDetector(new double[] {0.1}, new double[] {3}, 2.0);
        DetectorState s = d.freshState();
        // python: S = max(0, S + bad*a + (n-bad)*b) over (4,2),(10,0),(3,3),(5,1),(2,2)
        double[] expected = {1.4679383501604009, 0, 2.7488721956224653, 2.9358767003208017, 4.768458164069112};
        long[][] steps = {{4, 2}, {10, 0}, {3, 3}, {5, 1}, {2, 2}};
        for (int i = 0; i < steps.length; i++) {
            DetectorStep st = d.step(s, i + 1, steps[i][0], steps[i][1], 4.5);
            assertThat(st.statistic()[0]).as("step %d", i + 1).isCloseTo(expected[i], within(1e-9));
            assertThat(st.opened()[0]).isEqualTo(i == 4);
        }
        // the run restarted after step 2 (S hit 0): 10 events, 6 bad since
        assertThat(s.runStart[0]).isEqualTo(2);
        assertThat(s.runN[0]).isEqualTo(10);
        assertThat(s.runBad[0]).isEqualTo(6);
        assertThat(s.incidentRate[0]).isCloseTo(0.6, within(EPS));
        assertThat(s.openedAt[0]).isEqualTo(5);

        // resolve test: H0 rate (0.1 + 0.6) / 2 = 0.35 vs p0 = 0.1; a good event adds
        // ln(0.9 / 0.65) = 0.325422, so 6 clean events give 1.952534 < 2 and the 7th resolves
        DetectorStep six = d.step(s, 6, 6, 0, 4.5);
        assertThat(s.recovery[0]).isCloseTo(1.9525344026077676, within(1e-9));
        assertThat(six.resolved()[0]).isFalse();
        DetectorStep seventh = d.step(s, 7, 1, 0, 4.5);
        assertThat(seventh.resolved()[0]).isTrue();
        assertThat(s.openedAt[0]).isEqualTo(DetectorState.CLOSED);
        assertThat(s.cusum[0]).isZero();
    }

    @Test
    void badEventsDuringRecoveryPushBack() {
        SequentialDetector d = new SequentialDetector(new double[] {0.1}, new double[] {3}, 2.0);
        DetectorState s = d.freshState();
        d.step(s, 1, 10, 10, 4.5); // opens: 10 bad of 10, incident rate 1.0 → H0 rate 0.55
        assertThat(s.openedAt[0]).isEqualTo(1);
        // one bad event adds ln(0.1 / 0.55) = −1.704748 and the statistic is floored at 0
        d.step(s, 2, 1, 1, 4.5);
        assertThat(s.recovery[0]).isZero();
        // three clean events: 3 × ln(0.9 / 0.45) = 2.079442 ≥ 2 → resolved
        assertThat(d.step(s, 3, 3, 0, 4.5).resolved()[0]).isTrue();
    }

    @Test
    void higherTierOpensOnlyOnTopOfTheLowerOnesAndResolvesWithThem() {
        // tiers highest burn first: bad-rate boundaries 0.3 and 0.1
        SequentialDetector d = new SequentialDetector(new double[] {0.3, 0.1}, new double[] {3}, 2.0);
        DetectorState s = d.freshState();
        DetectorStep st = d.step(s, 1, 20, 20, 4.5);
        assertThat(st.opened()).containsExactly(true, true);
        // a clean stretch resolves both; the higher one never outlives the lower
        boolean[] seen = new boolean[2];
        for (int t = 2; t < 40 && s.anyOpen(); t++) {
            DetectorStep r = d.step(s, t, 1, 0, 4.5);
            if (r.resolved()[1]) {
                assertThat(s.openedAt[0]).isEqualTo(DetectorState.CLOSED);
            }
            seen[0] |= r.resolved()[0];
            seen[1] |= r.resolved()[1];
        }
        assertThat(seen).containsExactly(true, true);
    }

    @Test
    void emptyStepsChangeNothing() {
        SequentialDetector d = new SequentialDetector(new double[] {0.1}, SequentialDetector.DEFAULT_RHO, 4.6);
        DetectorState s = d.freshState();
        d.step(s, 1, 5, 3, 10);
        double[] before = s.cusum.clone();
        d.step(s, 2, 0, 0, 10);
        assertThat(s.cusum).containsExactly(before);
    }

    @Test
    void anOngoingIncidentDoesNotResolveAfterTheBurstThatOpenedIt() {
        // opened by a burst (10 bad of 10), then a steady 20 % (still above p0 = 0.1). Against the
        // burst's rate alone (H0 0.55) each step of 8 good + 2 bad would add
        // 8·ln(0.9/0.45) + 2·ln(0.1/0.55) = +2.13 nats and resolve at the third step; against the
        // rate since the change point (0.6, 0.47, 0.4, … → 0.2, H0 → 0.15) the evidence peaks near
        // 2.23 and falls, so the alert stays open: one incident, one alert
        SequentialDetector d = new SequentialDetector(new double[] {0.1}, new double[] {3}, Math.log(100));
        DetectorState s = d.freshState();
        assertThat(d.step(s, 1, 10, 10, 4.5).opened()[0]).isTrue();
        double peak = 0;
        for (int t = 2; t < 200; t++) {
            assertThat(d.step(s, t, 10, 2, 4.5).resolved()[0]).as("step %d", t).isFalse();
            peak = Math.max(peak, s.recovery[0]);
        }
        assertThat(peak).isCloseTo(2.23, within(0.01));
        assertThat(s.incidentRate[0]).isCloseTo((10 + 2 * 198) / (10.0 + 10 * 198), within(EPS));
    }
}
