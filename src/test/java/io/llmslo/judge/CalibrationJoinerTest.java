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

    KeyedTwoInputStreamOperatorTestHarness<String, ReviewedScore, RatingEvent, CalibrationPair> h;

    @BeforeEach
    void open() throws Exception {
        h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new CalibrationJoiner(MAX_DELAY, HOLD)),
                ReviewedScore::requestId, RatingEvent::requestId, Types.STRING);
        h.open();
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    static final HashMap<String, String> DIMS = new HashMap<>(java.util.Map.of("surface", "chat"));

    /** A score the review queue asked people to rate with probability 0.25: its ratings weigh 4. */
    static ReviewedScore judged(String id, int score) {
        return new ReviewedScore(id, T0, "helpfulness", 3, 4, "judge", score, DIMS, 0.25, true, true);
    }

    static CalibrationPair pair(String id, int judge, int human, boolean useful, long ts) {
        return new CalibrationPair(id, "helpfulness", 3, 4, "judge", judge, human, useful, "rater-1", ts, 4.0, DIMS);
    }

    static RatingEvent rating(String id, long ts, String rubric, Integer version, int score, boolean useful) {
        return new RatingEvent(id, ts, "rater-1", rubric, version, score, useful);
    }

    void judge(ReviewedScore j) throws Exception {
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
                pair("r1", 4, 3, false, T0 + 5 * HOUR),
                pair("r1", 4, 4, true, T0 + 30 * HOUR));
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
                pair("r2", 2, 5, true, T0 + HOUR));
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
    void ratingsUnderAnotherRubricVersionMakeNoPair() throws Exception {
        judge(judged("r5", 5));
        rate(rating("r5", T0 + HOUR, "helpfulness", 2, 5, true));
        rate(rating("r5", T0 + HOUR, "groundedness", 3, 5, true));
        assertThat(h.extractOutputValues()).isEmpty();
        watermark(T0 + MAX_DELAY.toMillis());
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }
}
