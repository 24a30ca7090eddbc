package io.llmslo.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Against scipy 1.17: smallest n such that, with c the smallest count where
 * {@code binom.sf(c-1, n, p0) <= 0.01}, {@code binom.sf(c-1, n, p1) >= 0.8}.
 */
class StatisticalLimitTest {

    @Test
    void matchesScipy() {
        assertThat(StatisticalLimit.traffic(0.12, 0.17)).isEqualTo(492); // c = 77
        assertThat(StatisticalLimit.traffic(0.12, 0.22)).isEqualTo(135); // c = 26
        assertThat(StatisticalLimit.traffic(0.0005, 0.3)).isEqualTo(5); // c = 1
        assertThat(StatisticalLimit.traffic(0.05, 0.3)).isEqualTo(21); // c = 5
        assertThat(StatisticalLimit.traffic(0.08, 0.20)).isEqualTo(78); // c = 13
    }

    @Test
    void noLimitWhenTheIncidentIsWithinTarget() {
        assertThat(StatisticalLimit.traffic(0.12, 0.10)).isEqualTo(-1);
    }
}
