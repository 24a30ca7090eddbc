package io.llmslo.join;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.event.DeadLetter;
import io.llmslo.event.Envelope;
import io.llmslo.event.JudgeScoreEvent;
import io.llmslo.judge.JudgeResult;
import io.llmslo.slo.Observation;
import io.llmslo.slo.ObservationFactory;
import io.llmslo.slo.SloCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * Judge scores of the decoupled judge (DESIGN §5) in the request joiner: joined by request id
 * like ratings, with the request's time and dimensions, one per (request, rubric), and never
 * {@code late} however far the watermark moved while the judge worked.
 */
class RequestJoinerScoresTest {

    static final Instant T0 = RequestJoinerTest.T0;
    static final String ID = RequestJoinerTest.ID;

    KeyedOneInputStreamOperatorTestHarness<String, Envelope, Observation> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aScoreJoinsWithTheRequestsTimeAndDimsEvenFarBehindTheWatermark() throws Exception {
        open();
        harness.processElement(record(Envelope.of(RequestJoinerTest.success(ID, T0))));
        // the judge took an hour (backlog): the watermark is far past the response's time
        harness.processWatermark(T0.plus(Duration.ofHours(1)).toEpochMilli());
        harness.processElement(record(Envelope.of(score(ID, "helpfulness", 5, null))));

        assertThat(values(RequestJoiner.JOINED_SCORES)).singleElement().satisfies(j -> {
            assertThat(j.ts()).isEqualTo(T0.toEpochMilli());
            assertThat(j.dims()).containsEntry("surface", "chat").containsEntry("cohort.region", "eu");
            assertThat(j.score()).isEqualTo(5);
            assertThat(j.passThreshold()).isEqualTo(4);
            assertThat(j.ok()).isTrue();
        });
        assertThat(deadLetters()).isEmpty();
        // the score itself is no observation here: the judge branch makes quality.judge_high from it
        assertThat(harness.extractOutputValues()).noneMatch(o -> o.slo().equals(SloCatalog.JUDGE_HIGH));
    }

    @Test
    void aRepeatedScoreForTheSameRubricIsADuplicateAnotherRubricCounts() throws Exception {
        open();
        harness.processElement(record(Envelope.of(RequestJoinerTest.success(ID, T0))));
        harness.processElement(record(Envelope.of(score(ID, "helpfulness", 5, null))));
        harness.processElement(record(Envelope.of(score(ID, "helpfulness", 2, null)))); // redelivered, re-judged
        harness.processElement(record(Envelope.of(score(ID, "groundedness", 3, null))));

        assertThat(values(RequestJoiner.JOINED_SCORES)).extracting(JudgeResult::rubric, JudgeResult::score)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("helpfulness", 5),
                        org.assertj.core.groups.Tuple.tuple("groundedness", 3));
        assertThat(deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo("duplicate");
            assertThat(d.source()).isEqualTo("judge_scores");
        });
    }

    @Test
    void aShedScoreIsJoinedAsAJudgeErrorAndAScoreBeforeItsResponseWaits() throws Exception {
        open();
        harness.processElement(record(Envelope.of(score(ID, "helpfulness", null, "shed_backlog"))));
        assertThat(values(RequestJoiner.JOINED_SCORES)).isEmpty();
        harness.processElement(record(Envelope.of(RequestJoinerTest.success(ID, T0))));
        assertThat(values(RequestJoiner.JOINED_SCORES)).singleElement().satisfies(j -> {
            assertThat(j.error()).isEqualTo("shed_backlog");
            assertThat(j.ok()).isFalse();
        });
        // and everything is gone when the request's state expires
        harness.processWatermark(T0.plus(RequestJoinerTest.MAX_RATING_DELAY).toEpochMilli());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aScoreForARequestNeverAnsweredBecomesAnOrphan() throws Exception {
        open();
        harness.processElement(record(Envelope.of(score("ghost", "helpfulness", 4, null))));
        harness.processWatermark(T0.plus(RequestJoinerTest.MAX_RATING_DELAY).toEpochMilli());
        assertThat(deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo("orphan");
            assertThat(d.source()).isEqualTo("judge_scores");
        });
    }

    static JudgeScoreEvent score(String id, String rubric, Integer score, String error) {
        return new JudgeScoreEvent(id, T0.toEpochMilli(), rubric, 3, 4, "judge-test", score, error, "r", 10, 1, 1);
    }

    void open() throws Exception {
        RequestJoiner joiner = new RequestJoiner(new ObservationFactory(SloCatalog.defaults()),
                RequestJoinerTest.ACCEPTANCE_WINDOW, RequestJoinerTest.MAX_RATING_DELAY, Duration.ZERO);
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                RequestJoiner.operator(joiner), Envelope::requestId, Types.STRING);
        harness.getExecutionConfig().configure(
                new Configuration().set(PipelineOptions.GENERIC_TYPES, false), getClass().getClassLoader());
        harness.open();
    }

    static StreamRecord<Envelope> record(Envelope e) {
        return new StreamRecord<>(e, e.ts());
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
}
