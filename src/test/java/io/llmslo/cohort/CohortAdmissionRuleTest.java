package io.llmslo.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CohortAdmissionRuleTest {

    @Test
    void earliestMinuteFirstThenValueOrderWhileRoomLasts() {
        Map<String, Long> due = Map.of("zeta", 60_000L, "alpha", 120_000L, "beta", 60_000L, "gamma", 60_000L);
        CohortAdmissionRule.Outcome o = CohortAdmissionRule.decide(due, 3);
        // minute 1: beta, gamma, zeta (value order); alpha (minute 2) finds no room
        assertThat(o.admitted()).containsExactly("beta", "gamma", "zeta");
        assertThat(o.full()).isTrue();
    }

    @Test
    void roomForAllIsNotFull() {
        CohortAdmissionRule.Outcome o = CohortAdmissionRule.decide(Map.of("a", 1L, "b", 1L), 2);
        assertThat(o.admitted()).containsExactly("a", "b");
        assertThat(o.full()).isFalse();
        assertThat(CohortAdmissionRule.decide(Map.of("a", 1L), 0)).isEqualTo(
                new CohortAdmissionRule.Outcome(java.util.List.of(), true));
        assertThat(CohortAdmissionRule.decide(new HashMap<>(), 0).full()).isFalse();
    }
}
