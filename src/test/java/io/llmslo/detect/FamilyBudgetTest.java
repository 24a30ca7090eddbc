package io.llmslo.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FamilyBudgetTest {

    @Test
    void thresholdsFollowTheHierarchy() {
        FamilyBudget b = FamilyBudget.defaults();
        // by hand: ln(K · steps · W / (F · w)) = ln(4 · 8640 · 600 / (350 · w))
        assertThat(b.threshold("surface=chat,cohort.locale=de-DE", 4)).isCloseTo(10.989448723650678, within(1e-9));
        assertThat(b.threshold("surface=chat", 4)).isCloseTo(Math.log(4 * 8640 * 600 / (350.0 * 2)), within(1e-9));
        assertThat(b.threshold("*", 4)).isCloseTo(9.603154362530788, within(1e-9));
    }

    @Test
    void depthIgnoresEscapedCommas() {
        assertThat(FamilyBudget.depth("*")).isZero();
        assertThat(FamilyBudget.depth("surface=chat")).isEqualTo(1);
        assertThat(FamilyBudget.depth("surface=chat,cohort.tenant=a\\,b")).isEqualTo(2);
    }
}
