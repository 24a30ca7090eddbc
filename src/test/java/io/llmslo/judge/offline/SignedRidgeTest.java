package io.llmslo.judge.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * One feature, closed form by hand: x = 1..4, y = (1, 3, 2, 4); x̄ = ȳ = 2.5, population
 * var(x) = 1.25, Σ(x − x̄)(y − ȳ) = 4, so the standardised weight is (4/sd)/(4 + λ) and the
 * prediction at x is ȳ + (4/sd)/(4 + λ)·(x − x̄)/sd = 2.5 + 4(x − 2.5)/(1.25(4 + λ)).
 */
class SignedRidgeTest {

    static final double[][] X = {{1}, {2}, {3}, {4}};
    static final double[] Y = {1, 3, 2, 4};

    @Test
    void matchesTheClosedForm() {
        SignedRidge.Model m = SignedRidge.fit(X, Y, new int[] {+1}, 1.0, -1);
        // 2.5 + 4·2.5/(1.25·5) = 4.1
        assertThat(m.predict(new double[] {5})).isCloseTo(4.1, within(1e-12));
        // NaN = not measurable: imputed with the mean, contributes nothing
        assertThat(m.predict(new double[] {Double.NaN})).isCloseTo(2.5, within(1e-12));
    }

    @Test
    void aWeightAgainstItsSignIsDropped() {
        SignedRidge.Model m = SignedRidge.fit(X, Y, new int[] {-1}, 1.0, -1);
        assertThat(m.weights()[0]).isZero();
        assertThat(m.predict(new double[] {5})).isCloseTo(2.5, within(1e-12));
    }

    @Test
    void aSkippedRowTakesNoPart() {
        // without x = 4: x̄ = ȳ = 2, var = 2/3, Σ(x − x̄)(y − ȳ) = 1 -> at x = 4: 2 + 1.5·2/(3 + 1) = 2.75
        SignedRidge.Model m = SignedRidge.fit(X, Y, new int[] {+1}, 1.0, 3);
        assertThat(m.predict(new double[] {4})).isCloseTo(2.75, within(1e-12));
        double[] other = Y.clone();
        other[3] = -100;
        assertThat(SignedRidge.fitTuned(X, other, new int[] {+1}, 3).predict(new double[] {4}))
                .isEqualTo(SignedRidge.fitTuned(X, Y, new int[] {+1}, 3).predict(new double[] {4}));
    }
}
