package io.llmslo.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The admission in event time: the same decisions for every arrival order, each before its watermark. */
class CohortAdmissionFunctionTest {

    static final long M1 = 60_000;
    static final long M2 = 120_000;
    static final long M3 = 180_000;
    static final String REGION = "cohort.region";

    static KeyedOneInputStreamOperatorTestHarness<String, CohortSighting, CohortDecision> harness(int max) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new CohortAdmissionFunction(max)),
                CohortSighting::dimension, Types.STRING);
        h.open();
        return h;
    }

    /** Sightings of three subtasks: "a" seen in minute 2 by one and minute 1 by another. */
    static List<CohortSighting> sightings() {
        return new ArrayList<>(List.of(
                new CohortSighting(REGION, "c", M1), new CohortSighting(REGION, "a", M2),
                new CohortSighting(REGION, "b", M1), new CohortSighting(REGION, "a", M1),
                new CohortSighting(REGION, "d", M2), new CohortSighting(REGION, "c", M1),
                new CohortSighting("surface", "chat", M2), new CohortSighting(REGION, "e", M3)));
    }

    static List<Object> run(List<CohortSighting> in, int max) throws Exception {
        try (var h = harness(max)) {
            // minute-1 and minute-2 sightings arrive before the watermark passes minute 1 (partials
            // flushed early at a checkpoint barrier come ahead of time); minute 3 after minute 2 ended
            for (CohortSighting s : in) {
                if (s.minuteEnd() < M3) {
                    h.processElement(new StreamRecord<>(s));
                }
            }
            h.processWatermark(new Watermark(M1));
            h.processWatermark(new Watermark(M2));
            for (CohortSighting s : in) {
                if (s.minuteEnd() == M3) {
                    h.processElement(new StreamRecord<>(s));
                }
            }
            h.processWatermark(new Watermark(M3));
            return byWatermark(h.getOutput());
        }
    }

    /** The output with the decisions between two watermarks sorted: keys (dimensions) fire in any order. */
    static List<Object> byWatermark(Iterable<Object> output) {
        List<Object> out = new ArrayList<>();
        List<String> segment = new ArrayList<>();
        for (Object o : output) {
            if (o instanceof Watermark w) {
                Collections.sort(segment);
                out.addAll(segment);
                segment.clear();
                out.add(w);
            } else {
                segment.add(o.toString());
            }
        }
        out.addAll(segment);
        return out;
    }

    @Test
    void firstSeenMinuteThenValueOrderAndTheSameForEveryArrivalOrder() throws Exception {
        List<Object> expected = byWatermark(List.of(
                // minute 1: a (seen there by one subtask), b, c fill the three places; d (minute 2) finds none
                new StreamRecord<>(CohortDecision.admit(REGION, "a"), M1), new StreamRecord<>(CohortDecision.admit(REGION, "b"), M1),
                new StreamRecord<>(CohortDecision.admit(REGION, "c"), M1), new Watermark(M1),
                new StreamRecord<>(CohortDecision.admit("surface", "chat"), M2),
                new StreamRecord<>(CohortDecision.full(REGION), M2), new Watermark(M2), new Watermark(M3)));
        assertThat(run(sightings(), 3)).containsExactlyElementsOf(expected);
        Random random = new Random(8);
        for (int i = 0; i < 20; i++) {
            List<CohortSighting> shuffled = sightings();
            Collections.shuffle(shuffled, random);
            assertThat(run(shuffled, 3)).as("order %s", shuffled).containsExactlyElementsOf(expected);
        }
    }

    /**
     * Partials leave per history interval (here 5 minutes), one subtask's early (a checkpoint
     * barrier mid-interval), another's at the interval's end: decisions wait for the interval's
     * end, so a value seen in minute 2 by the late subtask still comes before one seen in minute 4
     * by the early one, as when partials came per minute. Deciding at minute 4 would admit "b".
     */
    @Test
    void decisionsWaitForTheEndOfTheIntervalTheBatchesSpan() throws Exception {
        long m2 = 2 * M1;
        long m4 = 4 * M1;
        long end = 5 * M1;
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new CohortAdmissionFunction(1, end)), CohortSighting::dimension, Types.STRING);
        try (h) {
            h.open();
            h.processElement(new StreamRecord<>(new CohortSighting(REGION, "b", m4))); // early flush
            h.processWatermark(new Watermark(m4));
            assertThat(h.extractOutputValues()).isEmpty();
            h.processElement(new StreamRecord<>(new CohortSighting(REGION, "a", m2))); // at the interval's end
            h.processWatermark(new Watermark(end));
            assertThat(h.extractOutputValues()).containsExactly(CohortDecision.admit(REGION, "a"), CohortDecision.full(REGION));
        }
    }

    @Test
    void aFullDimensionForgetsItsPendingValuesAndIgnoresLaterOnes() throws Exception {
        try (var h = harness(1)) {
            h.processElement(new StreamRecord<>(new CohortSighting(REGION, "b", M1)));
            h.processElement(new StreamRecord<>(new CohortSighting(REGION, "a", M1)));
            h.processElement(new StreamRecord<>(new CohortSighting(REGION, "z", M2)));
            h.processWatermark(new Watermark(M1));
            assertThat(h.extractOutputValues()).containsExactly(CohortDecision.admit(REGION, "a"), CohortDecision.full(REGION));
            h.processElement(new StreamRecord<>(new CohortSighting(REGION, "y", M3)));
            h.processWatermark(new Watermark(M3));
            assertThat(h.extractOutputValues()).hasSize(2);
            // left: one admitted name, the full flag, its count; nothing pending, no timer
            assertThat(h.numKeyedStateEntries()).isEqualTo(3);
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aRestoreInTheMiddleOfAMinuteDecidesAsWithoutIt() throws Exception {
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
        try (var h = harness(2)) {
            h.processElement(new StreamRecord<>(new CohortSighting(REGION, "z", M1)));
            h.processWatermark(new Watermark(M1 - 1));
            snapshot = h.snapshot(1, 1);
        }
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new CohortAdmissionFunction(2)),
                CohortSighting::dimension, Types.STRING);
        try (h) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(new StreamRecord<>(new CohortSighting(REGION, "y", M1)));
            h.processElement(new StreamRecord<>(new CohortSighting(REGION, "x", M1)));
            h.processWatermark(new Watermark(M1));
            assertThat(h.extractOutputValues()).containsExactly(CohortDecision.admit(REGION, "x"),
                    CohortDecision.admit(REGION, "y"), CohortDecision.full(REGION));
        }
    }

    @Test
    void aLateSightingIsDecidedAtTheNextWatermark() throws Exception {
        try (var h = harness(5)) {
            h.processWatermark(new Watermark(M2));
            h.processElement(new StreamRecord<>(new CohortSighting(REGION, "late", M1)));
            assertThat(h.extractOutputValues()).isEmpty();
            h.processWatermark(new Watermark(M2 + 1));
            assertThat(h.extractOutputValues()).containsExactly(CohortDecision.admit(REGION, "late"));
        }
    }
}
