package io.llmslo.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ReviewQueueTest {

    static final long HOUR = 3_600_000L;
    static final long T0 = 1_795_000_000_000L / HOUR * HOUR;

    final ReviewQueue queue = new ReviewQueue(30, Duration.ofHours(24), 0.01, 3, List.of("surface", "model"));

    @Test
    void probabilityAimsAtTheMinimumPerWindowPerStratum() {
        // 30 wanted per day: a stratum of 600 judged a day gets 0.05, one of 60 gets 0.5, of 20 gets 1
        assertThat(queue.probability(600, 5, 4)).isCloseTo(0.05, within(1e-12));
        assertThat(queue.probability(60, 1, 4)).isCloseTo(0.5, within(1e-12));
        assertThat(queue.probability(20, 5, 4)).isEqualTo(1.0);
        // never below min_rate, so every judged request can be picked
        assertThat(queue.probability(1_000_000, 5, 4)).isEqualTo(0.01);
        // no history yet: ask for everything
        assertThat(queue.probability(0, 5, 4)).isEqualTo(1.0);
        // a 12 h window wants 30 per 12 h: twice the daily share
        assertThat(new ReviewQueue(30, Duration.ofHours(12), 0.01, 3, List.of("surface")).probability(600, 5, 4))
                .isCloseTo(0.1, within(1e-12));
    }

    @Test
    void scoresNextToThePassThresholdAreOversampled() {
        assertThat(ReviewQueue.uncertain(3, 4)).isTrue();
        assertThat(ReviewQueue.uncertain(4, 4)).isTrue();
        assertThat(ReviewQueue.uncertain(5, 4)).isFalse();
        assertThat(ReviewQueue.uncertain(2, 4)).isFalse();
        assertThat(queue.probability(600, 3, 4)).isCloseTo(0.15, within(1e-12));
        assertThat(queue.probability(60, 4, 4)).isEqualTo(1.0); // 0.5 · 3, capped
    }

    @Test
    void selectionIsDeterministicIndependentOfTheJudgeSampleAndHitsItsProbability() {
        int selected = 0;
        int bothSampled = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            String id = "req-" + i;
            boolean s = ReviewQueue.selected(id, 0.2);
            assertThat(ReviewQueue.selected(id, 0.2)).isEqualTo(s);
            if (s) {
                selected++;
                if (Sampler.unit(id) < 0.5) {
                    bothSampled++;
                }
            }
        }
        // Binomial(100 000, 0.2): sd 126.5, so ±1 % (1 000) is ~8 sd
        assertThat(selected).isBetween(19_000, 21_000);
        // independent of the judge's hash point: half of the selected ones are below 0.5 there
        assertThat(bothSampled / (double) selected).isCloseTo(0.5, within(0.02));
    }

    @Test
    void strataNameTheConfiguredDimensions() {
        assertThat(queue.stratum(Map.of("surface", "chat", "model", "m-2", "cohort.region", "eu")))
                .isEqualTo("surface=chat,model=m-2");
        assertThat(queue.stratum(Map.of("surface", "rag"))).isEqualTo("surface=rag,model=-");
    }

    static JudgeResult judged(String id, long ts, Integer score) {
        HashMap<String, String> dims = new HashMap<>(Map.of("surface", "chat", "model", "m"));
        return new JudgeResult(id, ts, dims, "helpfulness", 3, 4, "judge", score, "r", 10,
                score == null ? JudgeErrors.TIMEOUT : null, 0, 0);
    }

    /**
     * The operator: hour h is decided with the volume of hours (h − 26, h − 2]. 300 judged in hour
     * 0 (T0): no history, probability 1 for all. Hour 2: the look-back holds hour 0 → 300 a day →
     * 30 / 300 = 0.1 (0.3 for uncertain scores). Judge errors are dropped. State: hour counts,
     * dropped 27 h after their hour, with their timers.
     */
    @Test
    void theOperatorDecidesFromCompletePastHoursAndCleansUp() throws Exception {
        ReviewQueue q = queue;
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ReviewQueueFunction(q)), (JudgeResult j) -> q.stratum(j.dims()),
                Types.STRING)) {
            h.open();
            for (int i = 0; i < 300; i++) {
                h.processElement(new StreamRecord<>(judged("a" + i, T0 + i * 1000, 5)));
            }
            h.processElement(new StreamRecord<>(judged("err", T0 + 1, null)));
            assertThat(h.extractOutputValues()).hasSize(300)
                    .allSatisfy(r -> assertThat(r.reviewProbability()).isEqualTo(1.0))
                    .allSatisfy(r -> assertThat(r.queued()).isTrue());
            int before = h.extractOutputValues().size();
            h.processElement(new StreamRecord<>(judged("b1", T0 + 2 * HOUR + 5, 5)));
            h.processElement(new StreamRecord<>(judged("b2", T0 + 2 * HOUR + 6, 3)));
            List<ReviewedScore> out = h.extractOutputValues().subList(before, before + 2);
            assertThat(out.get(0).reviewProbability()).isCloseTo(0.1, within(1e-12));
            assertThat(out.get(1).reviewProbability()).isCloseTo(0.3, within(1e-12));
            assertThat(out.get(0).queued()).isEqualTo(ReviewQueue.selected("b1", 0.1));
            // the side output carries the selected ones with their probability
            assertThat(h.getSideOutput(ReviewQueueFunction.QUEUE)).hasSize(300 + (out.get(0).queued() ? 1 : 0)
                    + (out.get(1).queued() ? 1 : 0));
            assertThat(h.numKeyedStateEntries()).isEqualTo(1); // the map of hour counts (hours 0 and 2)
            h.processWatermark(T0 + 29 * HOUR);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
