package io.llmslo.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CalibrationStatsTest {

    /**
     * Ten (judge, human) pairs on the 1..5 scale, pass threshold 4:
     *
     * <pre>
     *  judge human useful | exact  |d|<=1  agree-on-useful (judge>=4 vs useful)  judge-human
     *   5     5     T     |  y      y       T/T y                                 0
     *   4     4     T     |  y      y       T/T y                                 0
     *   4     5     T     |  n      y       T/T y                                -1
     *   3     3     T*    |  y      y       F/T n   (* the rater marked a 3 useful) 0
     *   2     3     F     |  n      y       F/F y                                -1
     *   5     4     T     |  n      y       T/T y                                +1
     *   1     1     F     |  y      y       F/F y                                 0
     *   3     1     F     |  n      n       F/F y                                +2
     *   4     4     T     |  y      y       T/T y                                 0
     *   2     2     F     |  y      y       F/F y                                 0
     * </pre>
     *
     * exact 6/10, within one 9/10, useful 9/10, mean bias +1/10.
     *
     * <p>Quadratic kappa, w_ij = (i−j)²/16. Observed: the off-diagonal pairs have (i−j)² = 1, 1, 1, 4,
     * so Σ w·O = 7/16. Marginals: judge rows r = [1, 2, 2, 3, 2], human columns c = [2, 1, 2, 3, 2].
     * Σ_i r_i Σ_j c_j (i−j)²: i=1: 1·(0+1+8+27+32)=68; i=2: 2·(2+0+2+12+18)=68; i=3: 2·(8+1+0+3+8)=40;
     * i=4: 3·(18+4+2+0+2)=78; i=5: 2·(32+9+8+3+0)=104; total 358, so Σ w·E = 358/(10·16).
     * κ = 1 − (7/16)/(358/160) = 1 − 70/358 = 144/179 ≈ 0.80447.
     */
    static CalibrationStats example() {
        CalibrationStats s = CalibrationStats.of(1, 5);
        int[][] pairs = {{5, 5}, {4, 4}, {4, 5}, {3, 3}, {2, 3}, {5, 4}, {1, 1}, {3, 1}, {4, 4}, {2, 2}};
        for (int[] p : pairs) {
            boolean useful = p[1] >= 4 || (p[0] == 3 && p[1] == 3);
            assertThat(s.add(p[0], p[1], useful, 4)).isTrue();
        }
        return s;
    }

    @Test
    void figuresMatchTheHandComputedExample() {
        CalibrationStats s = example();
        assertThat(s.nPairs()).isEqualTo(10);
        assertThat(s.exactAgreement()).isEqualTo(0.6);
        assertThat(s.withinOne()).isEqualTo(0.9);
        assertThat(s.usefulAgreement()).isEqualTo(0.9);
        assertThat(s.meanBias()).isCloseTo(0.1, within(1e-12));
        assertThat(s.quadraticKappa()).isCloseTo(144.0 / 179.0, within(1e-12));
        assertThat(s.count(4, 4)).isEqualTo(2);
    }

    @Test
    void mergingPartsEqualsCountingTheWhole() {
        CalibrationStats a = CalibrationStats.of(1, 5);
        CalibrationStats b = CalibrationStats.of(1, 5);
        int[][] pairs = {{5, 5}, {4, 4}, {4, 5}, {3, 3}, {2, 3}, {5, 4}, {1, 1}, {3, 1}, {4, 4}, {2, 2}};
        for (int i = 0; i < pairs.length; i++) {
            boolean useful = pairs[i][1] >= 4 || (pairs[i][0] == 3 && pairs[i][1] == 3);
            (i % 3 == 0 ? a : b).add(pairs[i][0], pairs[i][1], useful, 4);
        }
        CalibrationStats merged = a.copy().merge(b);
        assertThat(merged.cells).isEqualTo(example().cells);
        assertThat(merged.quadraticKappa()).isCloseTo(144.0 / 179.0, within(1e-12));
        assertThat(merged.usefulAgreement()).isEqualTo(0.9);
    }

    @Test
    void perfectAgreementIsKappaOneAndDegenerateCasesAreUndefined() {
        CalibrationStats s = CalibrationStats.of(1, 5);
        for (int i = 1; i <= 5; i++) {
            s.add(i, i, i >= 4, 4);
        }
        assertThat(s.quadraticKappa()).isEqualTo(1.0);
        assertThat(s.meanBias()).isZero();

        CalibrationStats empty = CalibrationStats.of(1, 5);
        assertThat(empty.quadraticKappa()).isNaN();
        assertThat(empty.usefulAgreement()).isNaN();
        CalibrationStats oneCategory = CalibrationStats.of(1, 5);
        oneCategory.add(4, 4, true, 4);
        oneCategory.add(4, 4, true, 4);
        assertThat(oneCategory.quadraticKappa()).isNaN();
        assertThat(oneCategory.add(6, 4, true, 4)).isFalse();
    }

    @Test
    void systematicLeniencyShowsAsPositiveBiasAndLowerKappa() {
        CalibrationStats s = CalibrationStats.of(1, 5);
        for (int h = 1; h <= 4; h++) {
            s.add(h + 1, h, h >= 4, 4); // judge always one point above
        }
        assertThat(s.meanBias()).isEqualTo(1.0);
        assertThat(s.exactAgreement()).isZero();
        assertThat(s.withinOne()).isEqualTo(1.0);
        assertThat(s.usefulAgreement()).isEqualTo(0.75); // 3 -> 4 passes but the human said not useful
        assertThat(s.quadraticKappa()).isLessThan(1.0);
    }
}
