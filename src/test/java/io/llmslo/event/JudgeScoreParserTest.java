package io.llmslo.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmslo.judge.JudgeRequestJson;
import io.llmslo.judge.JudgeResult;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Score events of the judge worker ({@code llm.judge_scores}, DESIGN §5) under the same strict
 * rules as the other inputs: a bad one is a dead letter naming the field, never an exception.
 */
class JudgeScoreParserTest {

    static final String TS = "\"2026-11-27T10:00:00.123Z\"";
    final EventParser parser = new EventParser();

    static String score(String extra) {
        return "{\"request_id\":\"r1\",\"ts\":" + TS + ",\"rubric\":\"helpfulness\",\"rubric_version\":3,"
                + "\"pass_threshold\":4,\"judge_model\":\"gpt-4o-mini\"" + extra + "}";
    }

    @Test
    void aScoreParses() {
        Envelope e = parser.parse(EventKind.SCORE, score(",\"score\":5,\"reason\":\"Correct.\",\"latency_ms\":812,"
                + "\"input_tokens\":300,\"output_tokens\":20"));
        assertThat(e.isDead()).isFalse();
        assertThat(e.kind()).isEqualTo(EventKind.SCORE);
        assertThat(e.requestId()).isEqualTo("r1");
        JudgeScoreEvent s = e.score();
        assertThat(s).isEqualTo(new JudgeScoreEvent("r1", e.ts(), "helpfulness", 3, 4, "gpt-4o-mini", 5, null,
                "Correct.", 812, 300, 20));
    }

    @Test
    void anErrorParsesWithoutRubricOrThreshold() {
        Envelope e = parser.parse(EventKind.SCORE, "{\"request_id\":\"r1\",\"ts\":" + TS
                + ",\"judge_model\":\"m\",\"error\":\"no_rubric\"}");
        assertThat(e.isDead()).isFalse();
        assertThat(e.score().error()).isEqualTo("no_rubric");
        assertThat(e.score().score()).isNull();
        assertThat(e.score().dedupeKey()).isEqualTo("");
    }

    @Test
    void whatTheWorkerWritesIsWhatTheMainJobReads() {
        JudgeResult shed = new JudgeResult("r2", 1_764_000_000_000L, Map.of("surface", "chat"), "helpfulness", 3, 4,
                "gpt-4o-mini", null, "waited 900 s for the judge, over judge.max_backlog 600 s", 0, "shed_backlog", 0, 0);
        JudgeResult ok = new JudgeResult("r3", 1_764_000_000_000L, Map.of(), "groundedness", 2, 4, "gpt-4o-mini", 3,
                "Partly.", 950, null, 120, 15);
        for (JudgeResult j : new JudgeResult[] {shed, ok}) {
            Envelope e = parser.parse(EventKind.SCORE, JudgeRequestJson.score(new ObjectMapper(), j));
            assertThat(e.isDead()).as(String.valueOf(e.deadLetter())).isFalse();
            JudgeScoreEvent s = e.score();
            assertThat(new Object[] {s.requestId(), s.ts(), s.rubric(), s.rubricVersion(), s.passThreshold(),
                    s.judgeModel(), s.score(), s.error(), s.reason(), s.latencyMs(), s.inputTokens(), s.outputTokens()})
                    .containsExactly(j.requestId(), j.ts(), j.rubric(), j.rubricVersion(), j.passThreshold(),
                            j.judgeModel(), j.score(), j.error(), j.reason(), j.latencyMs(), j.inputTokens(),
                            j.outputTokens());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "score and error          | ,\"score\":5,\"error\":\"timeout\"      | exactly one of fields 'score' and 'error', got both",
        "neither                  | ,\"reason\":\"x\"                       | exactly one of fields 'score' and 'error', got neither",
        "score 0                  | ,\"score\":0                            | field 'score'",
        "score 6                  | ,\"score\":6                            | field 'score'",
        "score 4.5                | ,\"score\":4.5                          | field 'score'",
        "score as text            | ,\"score\":\"5\"                        | field 'score'",
        "score 2^64               | ,\"score\":18446744073709551621         | field 'score'",
        "error not a code         | ,\"error\":\"DROP TABLE judge_scores\"  | field 'error'",
        "error with a NUL         | ,\"error\":\"x\\u0000\"                 | field 'error'",
        "latency negative         | ,\"score\":5,\"latency_ms\":-1          | field 'latency_ms'",
        "tokens huge              | ,\"score\":5,\"input_tokens\":1e300     | field 'input_tokens'",
        "reason not text          | ,\"score\":5,\"reason\":{\"a\":1}       | field 'reason'",
        "duplicate key            | ,\"score\":5,\"score\":1                | Duplicate field 'score'",
    })
    void hostileScoreEventsAreDeadLettersNamingTheField(String what, String extra, String reason) {
        Envelope e = parser.parse(EventKind.SCORE, score(extra.strip()));
        assertThat(e.isDead()).as(what).isTrue();
        assertThat(e.deadLetter().source()).isEqualTo("judge_scores");
        assertThat(e.deadLetter().reason()).as(what).contains(reason.strip());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no request id    | {\"ts\":1764000000000,\"judge_model\":\"m\",\"score\":5,\"rubric\":\"h\",\"pass_threshold\":4}        | 'request_id'",
        "no judge model   | {\"request_id\":\"r\",\"ts\":1764000000000,\"score\":5,\"rubric\":\"h\",\"pass_threshold\":4} | 'judge_model'",
        "score no rubric  | {\"request_id\":\"r\",\"ts\":1764000000000,\"judge_model\":\"m\",\"score\":5,\"pass_threshold\":4} | 'rubric'",
        "no threshold     | {\"request_id\":\"r\",\"ts\":1764000000000,\"judge_model\":\"m\",\"score\":5,\"rubric\":\"h\"} | 'pass_threshold'",
        "ts far future    | {\"request_id\":\"r\",\"ts\":9999999999999,\"judge_model\":\"m\",\"error\":\"timeout\"}      | future",
    })
    void missingOrImplausibleFieldsAreNamed(String what, String line, String reason) {
        Envelope e = parser.parse(EventKind.SCORE, line.strip());
        assertThat(e.isDead()).as(what).isTrue();
        assertThat(e.deadLetter().reason()).as(what).contains(reason.strip());
    }
}
