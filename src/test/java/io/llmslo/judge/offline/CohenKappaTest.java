package io.llmslo.judge.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CohenKappaTest {

    /**
     * Reference values from statsmodels 0.14 {@code statsmodels.stats.inter_rater.cohens_kappa}
     * (kappa, std_kappa, kappa_low, kappa_upp), which implements Fleiss, Cohen & Everitt (1969).
     * Hand check of kappa for the first table: p_o = 16/21, p_e = (15·12 + 6·9)/21² = 234/441,
     * kappa = (16/21 − 234/441)/(1 − 234/441) = 102/207 = 0.49275.
     */
    @Test
    void matchesStatsmodelsOnTwoTables() {
        CohenKappa k = CohenKappa.of(new long[][] {{11, 4}, {1, 5}});
        assertThat(k.kappa()).isCloseTo(0.49275362318840565, within(1e-12));
        assertThat(k.se()).isCloseTo(0.18723499772560198, within(1e-12));
        assertThat(k.interval95()[0]).isCloseTo(0.12577977100078674, within(1e-9));
        assertThat(k.interval95()[1]).isCloseTo(0.8597274753760246, within(1e-9));
        CohenKappa k2 = CohenKappa.of(new long[][] {{20, 5}, {10, 15}});
        assertThat(k2.kappa()).isCloseTo(0.4, within(1e-12));
        assertThat(k2.se()).isCloseTo(0.12699606293110033, within(1e-12));
    }

    @Test
    void perfectAgreementHasKappaOneAndNoSpreadAndAConstantTableIsUndefined() {
        CohenKappa k = CohenKappa.of(new long[][] {{7, 0}, {0, 3}});
        assertThat(k.kappa()).isEqualTo(1.0);
        assertThat(k.se()).isCloseTo(0.0, within(1e-12));
        assertThat(CohenKappa.of(new long[][] {{5, 0}, {0, 0}}).interval95()).isNull();
        // a judge that passes everything: kappa 0, and no interval rather than [0, 0]
        CohenKappa constant = CohenKappa.of(new long[][] {{11, 7}, {0, 0}});
        assertThat(constant.kappa()).isZero();
        assertThat(constant.interval95()).isNull();
        assertThat(CohenKappa.of(new long[][] {{0, 0}, {0, 0}}).n()).isZero();
    }
}
