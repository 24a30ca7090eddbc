package io.llmslo.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.event.RatingEvent;
import java.time.Duration;
import java.util.HashMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CalibrationJoinerTest {

    static final long T0 = 1_795_000_000_000L; // the response
    static final Duration MAX_DELAY = Duration.ofDays(8);
    static final Duration HOLD = Duration.ofMinutes(5);
    static final long HOUR = 3_600_000L;

    KeyedTwoInputStreamOperatorTestHarness<String, JudgeResult, RatingEvent, CalibrationPair> h;

    @BeforeEach
    void open() throws Exception {
        h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new CalibrationJoiner(MAX_DELAY, HOLD)),
                JudgeResult::requestId, RatingEvent::requestId, Types.STRING);
        h.open();
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    static JudgeResult judged(String id, Integer score) {
        return new JudgeResult(id, T0, new HashMap<>(), "helpfulness", 3, 4, "judge", score,
                score == null ? "down" : "ok", 100, score == null ? JudgeErrors.SERVER_ERROR : null, 0, 0);
    }

    static RatingEvent rating(String id, long ts, String rubric, Integer version, int score, boolean useful) {
        return new RatingEvent(id, ts, "rater-1", rubric, version, score, useful);
    }

    void judge(JudgeResult j) throws Exception {
        h.processElement1(new StreamRecord<>(j, j.ts()));
    }

    void rate(RatingEvent r) throws Exception {
        h.processElement2(new StreamRecord<>(r, r.ts()));
    }

    void watermark(long t) throws Exception {
        h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(t));
    }

    @Test
    void scoreThenRatingsEmitOnePairPerRatingAndStateGoesAfterMaxRatingDelay() throws Exception {
        judge(judged("r1", 4));
        rate(rating("r1", T0 + 5 * HOUR, "helpfulness", 3, 3, false));
        rate(rating("r1", T0 + 30 * HOUR, null, null, 4, true)); // rubric/version not given: the judge's
        assertThat(h.extractOutputValues()).containsExactly(
                new CalibrationPair("r1", "helpfulness", 3, 4, 4, 3, false, "rater-1", T0 + 5 * HOUR),
                new CalibrationPair("r1", "helpfulness", 3, 4, 4, 4, true, "rater-1", T0 + 30 * HOUR));
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);

        watermark(T0 + MAX_DELAY.toMillis() - 1);
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        watermark(T0 + MAX_DELAY.toMillis());
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void aRatingBeforeItsScoreIsHeldThenPairedAndItsHoldTimerRemoved() throws Exception {
        rate(rating("r2", T0 + HOUR, "helpfulness", 3, 5, true));
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);

        judge(judged("r2", 2));
        assertThat(h.extractOutputValues()).containsExactly(
                new CalibrationPair("r2", "helpfulness", 3, 4, 2, 5, true, "rater-1", T0 + HOUR));
        // The held rating and its hold timer are gone; only the score and its cleanup timer remain.
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);

        watermark(T0 + MAX_DELAY.toMillis());
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void aRatingOfANeverJudgedRequestIsDroppedAfterTheHold() throws Exception {
        rate(rating("r3", T0 + HOUR, "helpfulness", 3, 4, true));
        rate(rating("r3", T0 + HOUR + 60_000, "helpfulness", 3, 4, true));
        assertThat(h.numEventTimeTimers()).isEqualTo(2);
        watermark(T0 + HOUR + HOLD.toMillis());
        assertThat(h.numKeyedStateEntries()).isEqualTo(1); // the second rating is still held
        watermark(T0 + HOUR + 60_000 + HOLD.toMillis());
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void judgeErrorsAndRatingsUnderAnotherRubricVersionMakeNoPair() throws Exception {
        judge(judged("r4", null));
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();

        judge(judged("r5", 5));
        rate(rating("r5", T0 + HOUR, "helpfulness", 2, 5, true));
        rate(rating("r5", T0 + HOUR, "groundedness", 3, 5, true));
        assertThat(h.extractOutputValues()).isEmpty();
        watermark(T0 + MAX_DELAY.toMillis());
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }
}
