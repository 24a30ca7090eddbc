package io.llmslo.join;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.event.Attempt;
import io.llmslo.event.DeadLetter;
import io.llmslo.event.Envelope;
import io.llmslo.event.FeedbackEvent;
import io.llmslo.event.Outcome;
import io.llmslo.event.RatingEvent;
import io.llmslo.event.ResponseEvent;
import io.llmslo.event.Signal;
import io.llmslo.slo.Observation;
import io.llmslo.slo.ObservationFactory;
import io.llmslo.slo.SloCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The request joiner against DESIGN §2, in event time: every instant is a named constant and
 * every watermark is pushed by hand, so a test states exactly when an observation may appear.
 * Each test ends by checking that the request's state and timers are gone once the logic says
 * they should be (after {@code max_rating_delay}).
 */
class RequestJoinerTest {

    static final Duration ACCEPTANCE_WINDOW = Duration.ofMinutes(10);
    static final Duration MAX_RATING_DELAY = Duration.ofDays(8);

    /** The response of the request under test completes here. */
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final Instant ONE_MINUTE_IN = T0.plus(Duration.ofMinutes(1));
    static final Instant THREE_MINUTES_IN = T0.plus(Duration.ofMinutes(3));
    static final Instant JUST_BEFORE_WINDOW_CLOSES = T0.plus(ACCEPTANCE_WINDOW).minusMillis(1);
    static final Instant WINDOW_CLOSES = T0.plus(ACCEPTANCE_WINDOW);
    static final Instant ELEVEN_MINUTES_IN = T0.plus(Duration.ofMinutes(11));
    static final Instant ONE_HOUR_IN = T0.plus(Duration.ofHours(1));
    static final Instant THREE_DAYS_IN = T0.plus(Duration.ofDays(3));
    static final Instant FOUR_DAYS_IN = T0.plus(Duration.ofDays(4));
    /** The request's state expires here (allowed lateness 0). */
    static final Instant EXPIRY = T0.plus(MAX_RATING_DELAY);

    static final String ID = "req-1";
    static final String GHOST = "req-never-answered";

    final ObservationFactory observations = new ObservationFactory(SloCatalog.defaults());

    KeyedOneInputStreamOperatorTestHarness<String, Envelope, Observation> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    // --- acceptance -----------------------------------------------------------------------------

    @Test
    void acceptedWhenTheWindowClosesWithoutANegativeSignal() throws Exception {
        open(Duration.ZERO);
        response(success(ID, T0));
        assertThat(harness.numEventTimeTimers()).as("the expiry only: the window is no timer").isOne();

        // the window is still open one millisecond before it closes: nothing decided yet
        watermark(JUST_BEFORE_WINDOW_CLOSES);
        assertThat(of(SloCatalog.ACCEPTANCE)).isEmpty();

        watermark(WINDOW_CLOSES);
        assertThat(of(SloCatalog.ACCEPTANCE)).singleElement().satisfies(o -> {
            assertThat(o.good()).isTrue();
            assertThat(o.t()).isEqualTo(WINDOW_CLOSES.toEpochMilli());
            assertThat(o.dims()).containsEntry("surface", "chat").containsEntry("cohort.region", "eu");
        });
        assertThat(harness.numEventTimeTimers()).as("still the expiry timer").isOne();

        expireAndAssertClean();
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void acceptanceTimerWaitsForTheAllowedLatenessButTheObservationKeepsTheWindowEnd() throws Exception {
        Duration lateness = Duration.ofMinutes(2);
        open(lateness);
        response(success(ID, T0));

        // a negative signal may still arrive until the watermark is `lateness` past the window end
        watermark(WINDOW_CLOSES.plus(lateness).minusMillis(1));
        assertThat(of(SloCatalog.ACCEPTANCE)).isEmpty();

        watermark(WINDOW_CLOSES.plus(lateness));
        assertThat(of(SloCatalog.ACCEPTANCE)).singleElement().satisfies(o -> {
            assertThat(o.good()).isTrue();
            assertThat(o.t()).isEqualTo(WINDOW_CLOSES.toEpochMilli());
        });

        watermark(EXPIRY.plus(lateness).minusMillis(1));
        assertThat(harness.numKeyedStateEntries()).as("state lives until expiry + lateness").isPositive();
        watermark(EXPIRY.plus(lateness));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void negativeSignalRejectsAtTheSignalsTimeAndCancelsTheAcceptance() throws Exception {
        open(Duration.ZERO);
        response(success(ID, T0));
        feedback(ID, THREE_MINUTES_IN, Signal.REGENERATE);

        // decided at once, without waiting for the window to close
        assertThat(of(SloCatalog.ACCEPTANCE)).singleElement().satisfies(o -> {
            assertThat(o.good()).isFalse();
            assertThat(o.t()).isEqualTo(THREE_MINUTES_IN.toEpochMilli());
        });
        assertThat(harness.numEventTimeTimers()).as("the expiry").isOne();

        // a second negative signal and the window closing change nothing: decided once
        feedback(ID, ONE_MINUTE_IN.plus(Duration.ofMinutes(5)), Signal.THUMBS_DOWN);
        watermark(WINDOW_CLOSES);
        assertThat(of(SloCatalog.ACCEPTANCE)).hasSize(1);

        expireAndAssertClean();
    }

    @Test
    void everyNegativeSignalCountsAndTheWindowEndIsInclusive() throws Exception {
        open(Duration.ZERO);
        List<Signal> negatives = List.of(Signal.REGENERATE, Signal.ABANDON, Signal.HANDOFF, Signal.THUMBS_DOWN);
        for (int i = 0; i < negatives.size(); i++) {
            response(success("req-" + i, T0));
            // exactly at ts + window is still "within" the window
            feedback("req-" + i, WINDOW_CLOSES, negatives.get(i));
        }
        assertThat(of(SloCatalog.ACCEPTANCE)).hasSize(4).allSatisfy(o -> {
            assertThat(o.good()).isFalse();
            assertThat(o.t()).isEqualTo(WINDOW_CLOSES.toEpochMilli());
        });
        expireAndAssertClean();
    }

    @Test
    void negativeSignalAfterTheWindowIsIgnored() throws Exception {
        open(Duration.ZERO);
        response(success(ID, T0));
        // arrives while the watermark is still inside the window, but is stamped after it
        watermark(THREE_MINUTES_IN);
        feedback(ID, ELEVEN_MINUTES_IN, Signal.ABANDON);
        assertThat(of(SloCatalog.ACCEPTANCE)).isEmpty();
        assertThat(harness.numEventTimeTimers()).as("the expiry").isOne();

        watermark(WINDOW_CLOSES);
        assertThat(of(SloCatalog.ACCEPTANCE)).singleElement()
                .satisfies(o -> assertThat(o.good()).isTrue());

        // and after the window closed, a negative signal cannot undo the acceptance
        feedback(ID, ELEVEN_MINUTES_IN, Signal.THUMBS_DOWN);
        assertThat(of(SloCatalog.ACCEPTANCE)).hasSize(1);
        expireAndAssertClean();
    }

    @Test
    void positiveSignalsHaveNoEffect() throws Exception {
        open(Duration.ZERO);
        response(success(ID, T0));
        int before = harness.extractOutputValues().size();
        for (Signal s : List.of(Signal.ACCEPT, Signal.CONTINUE, Signal.COPY, Signal.THUMBS_UP)) {
            feedback(ID, ONE_MINUTE_IN, s);
        }
        assertThat(harness.extractOutputValues()).hasSize(before);
        assertThat(harness.numEventTimeTimers()).as("the expiry").isOne();

        watermark(WINDOW_CLOSES);
        assertThat(of(SloCatalog.ACCEPTANCE)).singleElement()
                .satisfies(o -> assertThat(o.good()).isTrue());
        expireAndAssertClean();
    }

    @Test
    void feedbackBeforeItsResponseIsHeldThenApplied() throws Exception {
        open(Duration.ZERO);
        feedback(ID, ONE_MINUTE_IN, Signal.REGENERATE);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).as("the request's value, holding the signal").isOne();
        assertThat(harness.numEventTimeTimers()).as("orphan timer").isOne();

        response(success(ID, T0));
        assertThat(of(SloCatalog.ACCEPTANCE)).singleElement().satisfies(o -> {
            assertThat(o.good()).isFalse();
            assertThat(o.t()).isEqualTo(ONE_MINUTE_IN.toEpochMilli());
        });
        // the orphan timer is replaced by the response's expiry; no acceptance is left pending
        assertThat(harness.numEventTimeTimers()).isOne();
        assertThat(harness.numKeyedStateEntries()).as("the request's value").isOne();

        // the held signal's own expiry (a minute after the response's) must not fire an orphan
        watermark(EXPIRY);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        watermark(EXPIRY.plus(Duration.ofMinutes(1)));
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void heldPositiveSignalStillLetsTheWindowAccept() throws Exception {
        open(Duration.ZERO);
        feedback(ID, ONE_MINUTE_IN, Signal.COPY);
        response(success(ID, T0));
        assertThat(harness.numEventTimeTimers()).as("the expiry").isOne();
        watermark(WINDOW_CLOSES);
        assertThat(of(SloCatalog.ACCEPTANCE)).singleElement()
                .satisfies(o -> assertThat(o.good()).isTrue());
        expireAndAssertClean();
    }

    // --- ratings --------------------------------------------------------------------------------

    @Test
    void ratingDaysLaterIsObservedAtItsOwnTimeAndForwarded() throws Exception {
        open(Duration.ZERO);
        response(success(ID, T0));
        watermark(THREE_DAYS_IN.minus(Duration.ofHours(1)));

        RatingEvent rating = new RatingEvent(ID, THREE_DAYS_IN.toEpochMilli(), "rater-7", "helpfulness", 3, 2, false);
        harness.processElement(record(Envelope.of(rating)));

        assertThat(of(SloCatalog.HUMAN_USEFUL)).singleElement().satisfies(o -> {
            assertThat(o.good()).isFalse();
            assertThat(o.t()).isEqualTo(THREE_DAYS_IN.toEpochMilli());
            // counted in the cohorts of its request
            assertThat(o.dims()).containsEntry("model", "m-1").containsEntry("cohort.region", "eu");
        });
        assertThat(values(RequestJoiner.JOINED_RATINGS)).containsExactly(rating);
        expireAndAssertClean();
    }

    @Test
    void secondRatingFromTheSameRaterIsADuplicateAnotherRaterCounts() throws Exception {
        open(Duration.ZERO);
        response(success(ID, T0));
        rating(ID, THREE_DAYS_IN, "rater-7", 5);
        rating(ID, FOUR_DAYS_IN, "rater-7", 1);
        rating(ID, FOUR_DAYS_IN, "rater-8", 4);

        assertThat(of(SloCatalog.HUMAN_USEFUL)).extracting(Observation::good).containsExactly(true, true);
        assertThat(values(RequestJoiner.JOINED_RATINGS)).extracting(RatingEvent::raterId)
                .containsExactly("rater-7", "rater-8");
        assertThat(deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo("duplicate");
            assertThat(d.source()).isEqualTo("ratings");
            assertThat(d.eventTime()).isEqualTo(FOUR_DAYS_IN.toEpochMilli());
            assertThat(d.payload()).contains("\"rater_id\":\"rater-7\"").contains("\"score\":1");
        });
        expireAndAssertClean();
    }

    @Test
    void ratingBeforeItsResponseIsHeldThenApplied() throws Exception {
        open(Duration.ZERO);
        rating(ID, ONE_HOUR_IN, "rater-7", 4);
        assertThat(of(SloCatalog.HUMAN_USEFUL)).isEmpty();

        response(success(ID, T0));
        assertThat(of(SloCatalog.HUMAN_USEFUL)).singleElement().satisfies(o -> {
            assertThat(o.good()).isTrue();
            assertThat(o.t()).isEqualTo(ONE_HOUR_IN.toEpochMilli());
        });
        assertThat(values(RequestJoiner.JOINED_RATINGS)).hasSize(1);
        expireAndAssertClean();
    }

    // --- duplicates, orphans, late records ------------------------------------------------------

    @Test
    void duplicateResponseIsADeadLetterAndCountedOnce() throws Exception {
        open(Duration.ZERO);
        response(success(ID, T0));
        int observationsOfFirst = harness.extractOutputValues().size();
        response(success(ID, ONE_MINUTE_IN));

        assertThat(harness.extractOutputValues()).hasSize(observationsOfFirst);
        assertThat(of(SloCatalog.SUCCESS)).hasSize(1);
        assertThat(values(RequestJoiner.UNIQUE_RESPONSES)).extracting(ResponseEvent::ts)
                .containsExactly(T0.toEpochMilli());
        assertThat(deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo("duplicate");
            assertThat(d.source()).isEqualTo("responses");
            assertThat(d.eventTime()).isEqualTo(ONE_MINUTE_IN.toEpochMilli());
            assertThat(d.payload()).contains("\"request_id\":\"" + ID + "\"");
        });
        assertThat(harness.numEventTimeTimers()).as("no timers for the duplicate").isOne();

        watermark(WINDOW_CLOSES.plus(Duration.ofMinutes(1)));
        assertThat(of(SloCatalog.ACCEPTANCE)).hasSize(1);
        expireAndAssertClean();
    }

    @Test
    void signalsForAnUnknownRequestBecomeOrphansWhenTheStateExpires() throws Exception {
        open(Duration.ZERO);
        feedback(GHOST, T0, Signal.REGENERATE);
        rating(GHOST, ONE_HOUR_IN, "rater-7", 2);
        assertThat(harness.numEventTimeTimers()).as("one orphan timer for the key").isOne();

        // held until ts (of the first signal) + max_rating_delay, not a millisecond less
        watermark(EXPIRY.minusMillis(1));
        assertThat(deadLetters()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).as("one value, both signals in it").isOne();

        watermark(EXPIRY);
        assertThat(deadLetters()).extracting(DeadLetter::reason).containsExactly("orphan", "orphan");
        assertThat(deadLetters()).extracting(DeadLetter::source).containsExactly("feedback", "ratings");
        assertThat(deadLetters()).extracting(DeadLetter::eventTime)
                .containsExactly(T0.toEpochMilli(), ONE_HOUR_IN.toEpochMilli());
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(values(RequestJoiner.JOINED_RATINGS)).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /** A flood of signals for one id never answered: 64 held (one state value), the rest dead letters at once. */
    @Test
    void aFloodOfSignalsForAnUnansweredRequestHoldsABoundedNumber() throws Exception {
        open(Duration.ZERO);
        int flood = 10_000;
        for (int i = 0; i < flood; i++) {
            feedback(GHOST, T0.plusMillis(i), Signal.REGENERATE);
        }
        assertThat(deadLetters()).hasSize(flood - RequestJoiner.MAX_HELD)
                .allSatisfy(d -> assertThat(d.reason()).startsWith("too_many_held"));
        assertThat(harness.numKeyedStateEntries()).isOne();

        watermark(EXPIRY);
        assertThat(deadLetters()).filteredOn(d -> d.reason().equals("orphan")).hasSize(RequestJoiner.MAX_HELD);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void recordBehindTheWatermarkIsLateWithoutLateness() throws Exception {
        open(Duration.ZERO);
        watermark(ONE_HOUR_IN);
        response(success(ID, T0));

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(values(RequestJoiner.UNIQUE_RESPONSES)).isEmpty();
        assertThat(deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo("late");
            assertThat(d.source()).isEqualTo("responses");
            assertThat(d.eventTime()).isEqualTo(T0.toEpochMilli());
        });
        // a late record leaves nothing behind
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void lateMeansBehindTheWatermarkByMoreThanTheAllowedLateness() throws Exception {
        Duration lateness = Duration.ofMinutes(5);
        open(lateness);
        watermark(ONE_HOUR_IN);
        Instant edge = ONE_HOUR_IN.minus(lateness);

        response(success("on-the-edge", edge)); // ts == watermark - lateness: still in time
        response(success("one-ms-late", edge.minusMillis(1)));
        feedback("one-ms-late-feedback", edge.minusMillis(1), Signal.REGENERATE);

        assertThat(values(RequestJoiner.UNIQUE_RESPONSES)).extracting(ResponseEvent::requestId)
                .containsExactly("on-the-edge");
        assertThat(deadLetters()).extracting(DeadLetter::reason).containsExactly("late", "late");
        assertThat(deadLetters()).extracting(DeadLetter::source).containsExactly("responses", "feedback");
        assertThat(harness.numEventTimeTimers()).as("the timer of the in-time response only").isOne();

        watermark(edge.plus(MAX_RATING_DELAY).plus(lateness));
        assertThat(of(SloCatalog.ACCEPTANCE)).singleElement()
                .satisfies(o -> assertThat(o.t()).isEqualTo(edge.plus(ACCEPTANCE_WINDOW).toEpochMilli()));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    // --- observations at response time (DESIGN §3 valid events) --------------------------------

    @Test
    void successResponseEmitsAvailabilityRefusalLatencyAndCostAtItsTime() throws Exception {
        open(Duration.ZERO);
        ResponseEvent r = response(ID, T0, Outcome.SUCCESS, true, 900.0, 3_000.0, 0.05,
                List.of(new Attempt("p-a", "error", 1_000.0), new Attempt("p-b", "success", 2_000.0)));
        response(r);

        List<Observation> all = harness.extractOutputValues();
        assertThat(all).allSatisfy(o -> assertThat(o.t()).isEqualTo(T0.toEpochMilli()));
        assertThat(of(SloCatalog.SUCCESS)).singleElement().satisfies(o -> assertThat(o.good()).isTrue());
        // refused: the refusal SLO's good event is "not refused"
        assertThat(of(SloCatalog.REFUSAL_DRIFT)).singleElement().satisfies(o -> assertThat(o.good()).isFalse());
        // 900 ms > 600 ms ttft threshold; 3 s <= 8 s chat total threshold
        assertThat(of(SloCatalog.TTFT)).singleElement().satisfies(o -> {
            assertThat(o.good()).isFalse();
            assertThat(o.value()).isEqualTo(900.0);
        });
        assertThat(of(SloCatalog.TOTAL)).singleElement().satisfies(o -> assertThat(o.good()).isTrue());
        // $0.05 > $0.045
        assertThat(of(SloCatalog.COST)).singleElement().satisfies(o -> assertThat(o.good()).isFalse());
        assertThat(of(SloCatalog.COST_TAIL)).singleElement().satisfies(o -> assertThat(o.value()).isEqualTo(0.05));
        // one provider observation per attempt, in the attempt's provider cohort
        assertThat(of(SloCatalog.PROVIDER_SUCCESS))
                .extracting(o -> o.dims().get("provider") + ":" + o.good())
                .containsExactly("p-a:false", "p-b:true");
        assertThat(of(SloCatalog.ACCEPTANCE)).isEmpty();
        assertThat(values(RequestJoiner.UNIQUE_RESPONSES)).containsExactly(r);
        expireAndAssertClean();
    }

    @Test
    void nonSuccessResponseCountsForAvailabilityAndCostOnly() throws Exception {
        open(Duration.ZERO);
        ResponseEvent r = response(ID, T0, Outcome.TIMEOUT, false, 400.0, 30_000.0, 0.01, null);
        response(r);
        assertThat(harness.numEventTimeTimers()).as("expiry only, no acceptance timer").isOne();

        assertThat(of(SloCatalog.SUCCESS)).singleElement().satisfies(o -> assertThat(o.good()).isFalse());
        assertThat(of(SloCatalog.COST)).singleElement().satisfies(o -> assertThat(o.good()).isTrue());
        // acceptance, refusal and latency count success responses only
        assertThat(of(SloCatalog.REFUSAL_DRIFT)).isEmpty();
        assertThat(of(SloCatalog.TTFT)).isEmpty();
        assertThat(of(SloCatalog.TOTAL)).isEmpty();
        assertThat(of(SloCatalog.TURN)).isEmpty();

        // neither a negative signal nor the window closing yields an acceptance observation
        feedback(ID, ONE_MINUTE_IN, Signal.REGENERATE);
        watermark(WINDOW_CLOSES);
        assertThat(of(SloCatalog.ACCEPTANCE)).isEmpty();
        // still joined for the judge and for ratings
        assertThat(values(RequestJoiner.UNIQUE_RESPONSES)).containsExactly(r);
        rating(ID, THREE_DAYS_IN, "rater-7", 4);
        assertThat(of(SloCatalog.HUMAN_USEFUL)).hasSize(1);
        expireAndAssertClean();
    }

    @Test
    void latencySlosCountOnlyResponsesCarryingTheField() throws Exception {
        open(Duration.ZERO);
        response(response(ID, T0, Outcome.SUCCESS, false, null, null, null, null));
        assertThat(of(SloCatalog.TTFT)).isEmpty();
        assertThat(of(SloCatalog.TOTAL)).isEmpty();
        assertThat(of(SloCatalog.COST)).isEmpty();
        assertThat(of(SloCatalog.COST_TAIL)).isEmpty();
        assertThat(of(SloCatalog.REFUSAL_DRIFT)).singleElement().satisfies(o -> assertThat(o.good()).isTrue());
        assertThat(of(SloCatalog.SUCCESS)).hasSize(1);
        expireAndAssertClean();
    }

    // --- timers ---------------------------------------------------------------------------------

    @Test
    void anAnsweredRequestHasOneTimerAtATimeAndItsExpiryDropsTheState() throws Exception {
        open(Duration.ZERO);
        response(success(ID, T0));
        response(response("failed", T0, Outcome.ERROR, false, 400.0, 900.0, 0.01, null));
        assertThat(harness.numEventTimeTimers()).as("two expiries (request-expiry), set at the responses")
                .isEqualTo(2);
        watermark(WINDOW_CLOSES);
        assertThat(harness.numEventTimeTimers()).as("no timer added when the window closes").isEqualTo(2);
        expireAndAssertClean();
        assertThat(of(SloCatalog.ACCEPTANCE)).singleElement().satisfies(o -> assertThat(o.good()).isTrue());
    }

    @Test
    void aPlainProcessOperatorIsRefused() {
        // the open windows live in RequestJoiner.operator: without it no acceptance would be released
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> open(Duration.ZERO, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("RequestJoiner runs in RequestJoiner.operator(...), which keeps the open "
                        + "acceptance windows");
    }

    @Test
    void windowEqualToTheRatingDelayAcceptsThenExpiresInOneWatermarkStep() throws Exception {
        RequestJoiner joiner = new RequestJoiner(observations, MAX_RATING_DELAY, MAX_RATING_DELAY, Duration.ZERO);
        harness = harness(joiner);
        harness.open();
        response(success(ID, T0));
        feedback(ID, ONE_MINUTE_IN, Signal.COPY);
        assertThat(harness.numEventTimeTimers()).isOne();
        watermark(EXPIRY);
        assertThat(of(SloCatalog.ACCEPTANCE)).singleElement().satisfies(o -> {
            assertThat(o.good()).isTrue();
            assertThat(o.t()).isEqualTo(EXPIRY.toEpochMilli());
        });
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    // --- helpers --------------------------------------------------------------------------------

    void open(Duration allowedLateness) throws Exception {
        open(allowedLateness, true);
    }

    void open(Duration allowedLateness, boolean jobOperator) throws Exception {
        RequestJoiner joiner = new RequestJoiner(observations, ACCEPTANCE_WINDOW, MAX_RATING_DELAY, allowedLateness);
        harness = jobOperator ? harness(joiner) : configured(new KeyedOneInputStreamOperatorTestHarness<>(
                new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(joiner),
                Envelope::requestId, Types.STRING));
        harness.open();
    }

    static KeyedOneInputStreamOperatorTestHarness<String, Envelope, Observation> harness(RequestJoiner joiner)
            throws Exception {
        return configured(new KeyedOneInputStreamOperatorTestHarness<>(RequestJoiner.operator(joiner),
                Envelope::requestId, Types.STRING));
    }

    static KeyedOneInputStreamOperatorTestHarness<String, Envelope, Observation> configured(
            KeyedOneInputStreamOperatorTestHarness<String, Envelope, Observation> h) {
        // as in the job's tests: a silent Kryo fallback for the state types fails here
        h.getExecutionConfig().configure(
                new Configuration().set(PipelineOptions.GENERIC_TYPES, false), RequestJoinerTest.class.getClassLoader());
        assertThat(h.getExecutionConfig().getSerializerConfig().hasGenericTypesDisabled()).isTrue();
        return h;
    }

    /** Pushes the watermark past the request's expiry and checks nothing is left behind. */
    void expireAndAssertClean() throws Exception {
        watermark(EXPIRY.minusMillis(1));
        assertThat(harness.numKeyedStateEntries()).as("state lives until expiry").isPositive();
        watermark(EXPIRY);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    void watermark(Instant t) throws Exception {
        harness.processWatermark(t.toEpochMilli());
    }

    void response(ResponseEvent r) throws Exception {
        harness.processElement(record(Envelope.of(r)));
    }

    void feedback(String id, Instant ts, Signal signal) throws Exception {
        harness.processElement(record(Envelope.of(new FeedbackEvent(id, ts.toEpochMilli(), signal))));
    }

    void rating(String id, Instant ts, String rater, int score) throws Exception {
        harness.processElement(record(Envelope.of(
                new RatingEvent(id, ts.toEpochMilli(), rater, "helpfulness", 3, score, score >= 4))));
    }

    static StreamRecord<Envelope> record(Envelope e) {
        return new StreamRecord<>(e, e.ts());
    }

    List<Observation> of(String slo) {
        return harness.extractOutputValues().stream().filter(o -> o.slo().equals(slo)).toList();
    }

    List<DeadLetter> deadLetters() {
        return values(RequestJoiner.DEAD_LETTERS);
    }

    <T> List<T> values(OutputTag<T> tag) {
        Queue<StreamRecord<T>> records = harness.getSideOutput(tag);
        List<T> out = new ArrayList<>();
        if (records != null) {
            records.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    static ResponseEvent success(String id, Instant ts) {
        return response(id, ts, Outcome.SUCCESS, false, 350.0, 2_000.0, 0.01,
                List.of(new Attempt("p-a", "success", 1_900.0)));
    }

    static ResponseEvent response(String id, Instant ts, Outcome outcome, boolean refused,
            Double ttftMs, Double totalMs, Double costUsd, List<Attempt> attempts) {
        Map<String, String> cohort = new HashMap<>(Map.of("region", "eu"));
        return new ResponseEvent(id, ts.toEpochMilli(), "chat", "m-1", "p-a", cohort, true, outcome,
                refused, ttftMs, totalMs, null, null, 120L, 480L, costUsd, null,
                attempts == null ? null : new ArrayList<>(attempts), "q", "a");
    }
}
