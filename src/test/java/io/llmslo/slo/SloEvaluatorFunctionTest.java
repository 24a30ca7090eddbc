package io.llmslo.slo;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.config.JobConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The keyed evaluator over partial buckets, in event time with every watermark pushed by hand.
 * The SLO under test has a 1 h window so a series goes idle within the test.
 */
class SloEvaluatorFunctionTest {

    static final long T0 = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
    static final long MIN = TimeBuckets.MINUTE;
    static final String KEY = SloCatalog.SUCCESS + "|*";

    static PartialBucket partial(long minuteEnd, long n, long good) {
        return new PartialBucket(KEY, SloCatalog.SUCCESS, "*", minuteEnd, n, good, minuteEnd - 1, null);
    }

    /** Both inputs (partials and the progress broadcast) move: the operator's event time is their minimum. */
    static void watermark(KeyedBroadcastOperatorTestHarness<String, PartialBucket, Long, SloStatus> h, long t)
            throws Exception {
        h.processWatermark(t);
        h.processBroadcastWatermark(t);
    }

    @Test
    void lateValuesReachingAnIdleSeriesDoNotReEvaluatePastInstants() throws Exception {
        SloCatalog catalog = JobConfig.parse("job.yaml", """
                sources: {type: files, responses: r.jsonl}
                output: {jdbc_url: "jdbc:sqlite:x.db"}
                slo:
                  definitions:
                    availability.success: {window: 1h}
                """).slo;
        SloEvaluatorFunction fn = new SloEvaluatorFunction(catalog, Duration.ofMinutes(5));
        try (KeyedBroadcastOperatorTestHarness<String, PartialBucket, Long, SloStatus> h =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(fn, PartialBucket::key, Types.STRING,
                        SloEvaluatorFunction.PROGRESS)) {
            h.processElement(partial(T0 + MIN, 1, 1), T0);
            h.processElement(partial(T0 + 40 * MIN, 1, 1), T0);
            // evaluated every 5 minutes while the 1 h window holds the observation of minute 40:
            // 5, 10, …, 95 (at 100 the window (40m, 100m] is empty)
            watermark(h, T0 + 100 * MIN);
            List<SloStatus> before = h.extractOutputValues();
            assertThat(before).extracting(SloStatus::evalTime).endsWith(T0 + 95 * MIN).hasSize(19);
            assertThat(h.numEventTimeTimers()).as("only the cleanup timer of the idle series").isEqualTo(1);

            // a late value for minute 20 (allowed lateness): instants up to 95 were evaluated
            // already; the window at the next boundary (100 m) does not hold it
            h.processElement(partial(T0 + 20 * MIN, 1, 0), T0 + 100 * MIN);
            watermark(h, T0 + 200 * MIN);
            assertThat(h.extractOutputValues()).hasSize(before.size()); // nothing re-evaluated
            assertThat(h.numEventTimeTimers()).as("the cleanup timer is armed again").isEqualTo(1);

            // and the series' cleanup timer fires once its retention has passed
            watermark(h, T0 + 60L * 24 * 60 * MIN);
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aReplayThatReadsPastAGapOfYearsEvaluatesOnlyInstantsWhoseWindowHoldsData() throws Exception {
        SloCatalog catalog = JobConfig.parse("job.yaml", """
                sources: {type: files, responses: r.jsonl}
                output: {jdbc_url: "jdbc:sqlite:x.db"}
                slo:
                  definitions:
                    availability.success: {window: 1h}
                """).slo;
        SloEvaluatorFunction fn = new SloEvaluatorFunction(catalog, Duration.ofMinutes(5));
        long later = T0 + 5L * 365 * 24 * 60 * MIN; // five years on
        try (KeyedBroadcastOperatorTestHarness<String, PartialBucket, Long, SloStatus> h =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(fn, PartialBucket::key, Types.STRING,
                        SloEvaluatorFunction.PROGRESS)) {
            // both partials are in state before the watermark moves (a bounded replay reads ahead)
            h.processElement(partial(T0 + MIN, 1, 1), T0);
            h.processElement(partial(later + MIN, 1, 0), T0);
            watermark(h, later + 100 * MIN);
            List<SloStatus> rows = h.extractOutputValues();
            // 5, 10, …, 60 (the 1 h window holds minute 1 until 60), then the instant where the
            // window is empty, then later+5 … later+60: not one row per 5 minutes of the 5 years
            assertThat(rows).hasSizeLessThanOrEqualTo(2 * 12 + 2);
            assertThat(rows).extracting(SloStatus::evalTime).contains(T0 + 5 * MIN, later + 5 * MIN, later + 60 * MIN);
            assertThat(rows).filteredOn(r -> r.evalTime() > T0 + 65 * MIN && r.evalTime() < later).isEmpty();
            assertThat(rows).filteredOn(r -> r.evalTime() == later + 5 * MIN).extracting(SloStatus::n).containsExactly(1L);
        }
    }

    /** An outage (every request failing for 30 min) then silence for {@code gap}; returns the rows. */
    static List<SloStatus> outageThenSilence(long gap, boolean readAhead) throws Exception {
        SloCatalog catalog = JobConfig.parse("job.yaml", """
                sources: {type: files, responses: r.jsonl}
                output: {jdbc_url: "jdbc:sqlite:x.db"}
                slo:
                  definitions:
                    availability.success: {window: 1h}
                """).slo;
        SloEvaluatorFunction fn = new SloEvaluatorFunction(catalog, Duration.ofMinutes(5));
        try (KeyedBroadcastOperatorTestHarness<String, PartialBucket, Long, SloStatus> h =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(fn, PartialBucket::key, Types.STRING,
                        SloEvaluatorFunction.PROGRESS)) {
            long resume = T0 + 30 * MIN + gap;
            for (int m = 1; m <= 30; m++) {
                h.processElement(partial(T0 + m * MIN, 100, 0), T0);
            }
            if (readAhead) {
                h.processElement(partial(resume + MIN, 100, 100), T0);
            }
            watermark(h, T0 + 60 * MIN);
            assertThat(h.getSideOutput(SloEvaluatorFunction.ALERTS)).as("the outage opened an alert").isNotEmpty();
            watermark(h, resume);
            if (!readAhead) {
                h.processElement(partial(resume + MIN, 100, 100), resume);
            }
            watermark(h, resume + 30 * MIN);
            assertThat(h.extractOutputValues()).as("evaluation resumes with the data after the gap")
                    .anyMatch(r -> r.evalTime() == resume + 5 * MIN && r.n() == 100);
            assertThat(h.numEventTimeTimers()).as("the series still steps with its alert open").isEqualTo(1);
            return h.extractOutputValues();
        }
    }

    @Test
    void anOpenAlertAcrossAGapOfYearsCostsABoundedNumberOfSteps() throws Exception {
        long day = 24 * 60 * MIN;
        for (boolean readAhead : new boolean[] {false, true}) {
            List<SloStatus> months = outageThenSilence(60 * day, readAhead);
            List<SloStatus> years = outageThenSilence(5 * 365 * day, readAhead);
            // rows while data leaves the windows the evaluation reads (the 30-day budget: its
            // retention of 30 d + 1 h at 5 min steps), then none until the data after the gap:
            // five years cost as many steps as two months, not 525 600 of them
            long retentionSteps = (30 * day + 60 * MIN) / (5 * MIN);
            assertThat(years).as("readAhead=" + readAhead).hasSize(months.size());
            assertThat(years.size()).isLessThanOrEqualTo((int) retentionSteps + 12 + 6 + 2);
            assertThat(years).filteredOn(r -> r.evalTime() > T0 + 31 * day && r.evalTime() < T0 + 5 * 365 * day)
                    .isEmpty();
            List<SloStatus> beforeGapEnd = years.stream().filter(r -> r.evalTime() < T0 + 31 * day).toList();
            assertThat(beforeGapEnd.get(beforeGapEnd.size() - 1).alert()).as("the alert stayed open").isNotNull();
        }
    }
}
