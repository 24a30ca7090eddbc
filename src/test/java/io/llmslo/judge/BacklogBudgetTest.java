package io.llmslo.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shedding rule: processing-time age since the main job wrote the request, against the budget. */
class BacklogBudgetTest {

    static final long NOW = 1_764_585_600_000L; // any fixed clock

    static JudgeRequest writtenAt(long enqueuedAt) {
        return new JudgeRequest("r-1", NOW - 3_600_000L, Map.of("surface", "chat"), List.of("helpfulness"),
                "q", "a", enqueuedAt);
    }

    @Test
    void shedsOnlyStrictlyOverTheBudget() {
        BacklogBudget b = BacklogBudget.of(Duration.ofMinutes(10));
        long budget = Duration.ofMinutes(10).toMillis();
        assertThat(b.shed(writtenAt(NOW), NOW)).isFalse();
        assertThat(b.shed(writtenAt(NOW - budget), NOW)).isFalse(); // exactly the budget: still judged
        assertThat(b.shed(writtenAt(NOW - budget - 1), NOW)).isTrue();
        assertThat(b.ageMs(writtenAt(NOW - budget - 1), NOW)).isEqualTo(budget + 1);
    }

    @Test
    void ageIsProcessingTimeNotEventTime() {
        // the request's event time is an hour old, but it was written a second ago: not shed
        BacklogBudget b = BacklogBudget.of(Duration.ofSeconds(5));
        assertThat(b.shed(writtenAt(NOW - 1_000), NOW)).isFalse();
    }

    @Test
    void inlineRequestsAndClockSkewNeverShed() {
        BacklogBudget b = BacklogBudget.of(Duration.ofSeconds(1));
        assertThat(b.shed(writtenAt(0), NOW)).isFalse(); // inline: no enqueue time
        assertThat(b.ageMs(writtenAt(NOW + 60_000), NOW)).isZero(); // writer's clock ahead
        assertThat(BacklogBudget.NONE.shed(writtenAt(1), NOW)).isFalse();
    }

    @Test
    void theReasonNamesTheWaitAndTheBudget() {
        BacklogBudget b = BacklogBudget.of(Duration.ofMinutes(10));
        assertThat(b.reason(writtenAt(NOW - 900_000), NOW)).isEqualTo("waited 900 s for the judge, over judge.max_backlog 600 s");
    }

    @Test
    void aBudgetMustBePositive() {
        assertThatThrownBy(() -> BacklogBudget.of(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
