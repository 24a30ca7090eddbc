package io.llmslo.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.config.JobConfig;
import io.llmslo.event.Envelope;
import io.llmslo.event.EventKind;
import io.llmslo.event.EventParser;
import io.llmslo.event.EventTimeBounds;
import io.llmslo.event.Outcome;
import io.llmslo.event.ResponseEvent;
import io.llmslo.judge.Sampler;
import java.util.HashMap;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Which responses keep their text past parsing: exactly those the judge may pick (DESIGN §5). */
class TextDropTest {

    static final String BASE = """
            sources: {type: files, responses: r.jsonl}
            output: {jdbc_url: "jdbc:sqlite:x.db"}
            """;

    static ResponseEvent response(String id, Outcome outcome) {
        return new ResponseEvent(id, 1_000L, "chat", "m-1", "p-1", new HashMap<>(), false, outcome, false, 100.0,
                900.0, 1, null, 10L, 20L, 0.001, null, null, "a prompt", "an answer");
    }

    static List<ResponseEvent> traffic() {
        return IntStream.range(0, 2000).mapToObj(i -> response("req-" + i, Outcome.SUCCESS)).toList();
    }

    @Test
    void judgeOffDropsEveryText() {
        TextDrop drop = TextDrop.forJob(JobConfig.parse("job.yaml", BASE + "judge: {enabled: false}\n"));
        for (ResponseEvent r : traffic()) {
            ResponseEvent out = drop.apply(Envelope.of(r)).response();
            assertThat(out.prompt()).isNull();
            assertThat(out.response()).isNull();
            assertThat(out).usingRecursiveComparison().ignoringFields("prompt", "response").isEqualTo(r);
        }
    }

    @Test
    void theHashSampleKeepsItsTextAndNoOtherResponseDoes() {
        JobConfig cfg = JobConfig.parse("job.yaml", BASE + "sampling: {rate: 0.05}\njudge: {provider: offline}\n");
        TextDrop drop = TextDrop.forJob(cfg);
        Sampler sampler = new Sampler(cfg.sampling);
        int kept = 0;
        for (ResponseEvent r : traffic()) {
            ResponseEvent out = drop.apply(Envelope.of(r)).response();
            boolean sampled = sampler.sampled(r);
            assertThat(out.response() != null).as(r.requestId()).isEqualTo(sampled);
            kept += sampled ? 1 : 0;
        }
        // 5 % of 2 000 (binomial sd ≈ 9.7): the sample is neither empty nor everything
        assertThat(kept).isBetween(60, 140);
        // a failed request is never judged: no text
        assertThat(drop.keeps(response("req-1", Outcome.ERROR))).isFalse();
    }

    @Test
    void theSourcesParserDropsTheSameTextsAsTheSplitter() {
        for (String judge : List.of("judge: {enabled: false}\n", "sampling: {rate: 0.05}\njudge: {provider: offline}\n")) {
            TextDrop drop = TextDrop.forJob(JobConfig.parse("job.yaml", BASE + judge));
            EventParser keepAll = new EventParser();
            EventParser dropping = new EventParser(EventTimeBounds.defaults(), drop);
            for (int i = 0; i < 500; i++) {
                String line = "{\"request_id\":\"req-" + i + "\",\"ts\":\"2026-10-01T10:00:00Z\",\"surface\":\"chat\","
                        + "\"model\":\"m-1\",\"outcome\":\"" + (i % 7 == 0 ? "error" : "success")
                        + "\",\"prompt\":\"a prompt\",\"response\":\"an answer\"}";
                assertThat(dropping.parse(EventKind.RESPONSE, line)).as(judge + line)
                        .isEqualTo(drop.apply(keepAll.parse(EventKind.RESPONSE, line)));
            }
        }
    }

    @Test
    void aPerCohortHourFloorKeepsEveryJudgeableText() {
        TextDrop drop = TextDrop.forJob(JobConfig.parse("job.yaml",
                BASE + "sampling: {rate: 0.05, min_per_cohort_hour: 2}\njudge: {provider: offline}\n"));
        assertThat(traffic()).allMatch(drop::keeps);
        assertThat(drop.keeps(response("req-1", Outcome.ERROR))).isFalse();
    }
}
