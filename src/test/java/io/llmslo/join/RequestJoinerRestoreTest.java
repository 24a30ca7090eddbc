package io.llmslo.join;

import static io.llmslo.join.RequestJoinerTest.ACCEPTANCE_WINDOW;
import static io.llmslo.join.RequestJoinerTest.MAX_RATING_DELAY;
import static io.llmslo.join.RequestJoinerTest.ONE_MINUTE_IN;
import static io.llmslo.join.RequestJoinerTest.T0;
import static io.llmslo.join.RequestJoinerTest.THREE_MINUTES_IN;
import static io.llmslo.join.RequestJoinerTest.WINDOW_CLOSES;
import static io.llmslo.join.RequestJoinerTest.record;
import static io.llmslo.join.RequestJoinerTest.success;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.event.DeadLetter;
import io.llmslo.event.Envelope;
import io.llmslo.event.FeedbackEvent;
import io.llmslo.event.Signal;
import io.llmslo.slo.Observation;
import io.llmslo.slo.ObservationFactory;
import io.llmslo.slo.SloCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The open acceptance windows across a snapshot and a restore (the joiner keeps them in operator
 * state, not in timers): a window that closed before the snapshot stays closed although the
 * restored operator's watermark starts from nothing, one still open is cancelled by a negative
 * signal after the restore and otherwise accepted when it closes; at another parallelism each
 * window goes to the subtask that owns its request.
 */
class RequestJoinerRestoreTest {

    static final int MAX_PARALLELISM = 128;

    final List<KeyedOneInputStreamOperatorTestHarness<String, Envelope, Observation>> harnesses = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (var h : harnesses) {
            h.close();
        }
    }

    @Test
    void aNegativeSignalAfterTheRestoreDoesNotUndoAnAcceptanceReleasedBeforeTheSnapshot() throws Exception {
        var before = open(1, 0, null);
        before.processElement(record(Envelope.of(success("req-1", T0))));
        before.processWatermark(WINDOW_CLOSES.toEpochMilli());
        assertThat(acceptances(before)).singleElement().satisfies(o -> assertThat(o.good()).isTrue());

        var after = open(1, 0, before.snapshot(1, 1));
        // stamped at the window's end, so within it and not late at this watermark, but the window
        // closed before the snapshot: the restored operator has seen no watermark yet
        feedback(after, "req-1", WINDOW_CLOSES, Signal.REGENERATE);
        after.processWatermark(WINDOW_CLOSES.plusSeconds(60).toEpochMilli());
        assertThat(acceptances(after)).isEmpty();
        assertThat(deadLetters(after)).isEmpty();
    }

    @Test
    void aNegativeSignalAfterTheRestoreRejectsAWindowStillOpenAtTheSnapshot() throws Exception {
        var before = open(1, 0, null);
        before.processElement(record(Envelope.of(success("req-1", T0))));
        before.processElement(record(Envelope.of(success("req-2", T0))));
        before.processWatermark(ONE_MINUTE_IN.toEpochMilli());

        var after = open(1, 0, before.snapshot(1, 1));
        feedback(after, "req-1", THREE_MINUTES_IN, Signal.THUMBS_DOWN);
        assertThat(acceptances(after)).singleElement().satisfies(o -> {
            assertThat(o.good()).isFalse();
            assertThat(o.t()).isEqualTo(THREE_MINUTES_IN.toEpochMilli());
        });
        after.processWatermark(WINDOW_CLOSES.toEpochMilli());
        // req-1 was decided by its signal; req-2 is accepted when its window closes, once
        assertThat(acceptances(after)).hasSize(2).last().satisfies(o -> {
            assertThat(o.good()).isTrue();
            assertThat(o.t()).isEqualTo(WINDOW_CLOSES.toEpochMilli());
        });
        assertThat(deadLetters(after)).isEmpty();
    }

    @Test
    void atAnotherParallelismEachWindowGoesToTheSubtaskOwningItsRequest() throws Exception {
        // two requests on each of two subtasks; one of each is decided after the restore
        String a0 = keyOn(2, 0, 0);
        String a1 = keyOn(2, 0, 1);
        String b0 = keyOn(2, 1, 0);
        String b1 = keyOn(2, 1, 1);
        var first = open(2, 0, null);
        var second = open(2, 1, null);
        for (var h : List.of(first, second)) {
            h.processWatermark(T0.toEpochMilli());
        }
        first.processElement(record(Envelope.of(success(a0, T0))));
        first.processElement(record(Envelope.of(success(a1, T0))));
        second.processElement(record(Envelope.of(success(b0, T0))));
        second.processElement(record(Envelope.of(success(b1, T0))));
        assertThat(first.numKeyedStateEntries() + second.numKeyedStateEntries()).isEqualTo(4);
        var same = open(2, 0, first.snapshot(1, 1));
        assertThat(same.numKeyedStateEntries()).as("same parallelism").isEqualTo(2);
        OperatorSubtaskState both = AbstractStreamOperatorTestHarness.repackageState(
                first.snapshot(1, 1), second.snapshot(1, 1));

        // 2 → 1: one subtask takes every window
        var one = open(1, 0, AbstractStreamOperatorTestHarness.repartitionOperatorState(both, MAX_PARALLELISM, 2, 1, 0));
        assertThat(one.numKeyedStateEntries()).as("the four requests").isEqualTo(4);
        feedback(one, a0, THREE_MINUTES_IN, Signal.ABANDON);
        feedback(one, b0, THREE_MINUTES_IN, Signal.HANDOFF);
        one.processWatermark(WINDOW_CLOSES.toEpochMilli());
        assertThat(acceptances(one)).extracting(Observation::good).containsExactlyInAnyOrder(false, false, true, true);

        // 2 → 3: each window is released by the subtask owning its request, and only there
        int released = 0;
        for (int subtask = 0; subtask < 3; subtask++) {
            int i = subtask;
            var h = open(3, i, AbstractStreamOperatorTestHarness.repartitionOperatorState(both, MAX_PARALLELISM, 2, 3, i));
            for (String id : List.of(a0, b0)) {
                if (owner(3, id) == i) {
                    feedback(h, id, THREE_MINUTES_IN, Signal.REGENERATE);
                }
            }
            h.processWatermark(WINDOW_CLOSES.toEpochMilli());
            long goods = acceptances(h).stream().filter(Observation::good).count();
            long expected = List.of(a1, b1).stream().filter(id -> owner(3, id) == i).count();
            assertThat(goods).as("subtask %d", i).isEqualTo(expected);
            released += (int) goods;
            assertThat(deadLetters(h)).isEmpty();
        }
        assertThat(released).isEqualTo(2);
    }

    // --- helpers --------------------------------------------------------------------------------

    KeyedOneInputStreamOperatorTestHarness<String, Envelope, Observation> open(int parallelism, int subtask,
            OperatorSubtaskState restore) throws Exception {
        RequestJoiner joiner = new RequestJoiner(new ObservationFactory(SloCatalog.defaults()), ACCEPTANCE_WINDOW,
                MAX_RATING_DELAY, Duration.ZERO);
        var h = RequestJoinerTest.configured(new KeyedOneInputStreamOperatorTestHarness<>(RequestJoiner.operator(joiner),
                Envelope::requestId, Types.STRING, MAX_PARALLELISM, parallelism, subtask));
        harnesses.add(h);
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    static int owner(int parallelism, String id) {
        return KeyGroupRangeAssignment.assignKeyToParallelOperator(id, MAX_PARALLELISM, parallelism);
    }

    /** The n-th request id that subtask {@code subtask} of {@code parallelism} owns. */
    static String keyOn(int parallelism, int subtask, int n) {
        int seen = 0;
        for (int i = 0; ; i++) {
            String id = "req-" + i;
            if (owner(parallelism, id) == subtask && seen++ == n) {
                return id;
            }
        }
    }

    static void feedback(KeyedOneInputStreamOperatorTestHarness<String, Envelope, Observation> h, String id,
            Instant ts, Signal signal) throws Exception {
        h.processElement(record(Envelope.of(new FeedbackEvent(id, ts.toEpochMilli(), signal))));
    }

    static List<Observation> acceptances(KeyedOneInputStreamOperatorTestHarness<String, Envelope, Observation> h) {
        return h.extractOutputValues().stream().filter(o -> o.slo().equals(SloCatalog.ACCEPTANCE)).toList();
    }

    static List<DeadLetter> deadLetters(KeyedOneInputStreamOperatorTestHarness<String, Envelope, Observation> h) {
        List<DeadLetter> out = new ArrayList<>();
        var records = h.getSideOutput(RequestJoiner.DEAD_LETTERS);
        if (records != null) {
            for (StreamRecord<DeadLetter> r : records) {
                out.add(r.getValue());
            }
        }
        return out;
    }
}
