package io.llmslo.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * DESIGN §2 input validation: a bad record never throws, it becomes a dead letter whose reason
 * names the offending field; good records get the documented defaults.
 */
class EventParserTest {

    static final Instant TS = Instant.parse("2026-11-27T10:00:00.123Z");
    static final String ISO = "2026-11-27T10:00:00.123Z";

    final EventParser parser = new EventParser();

    // --- timestamps -----------------------------------------------------------------------------

    @Test
    void isoTimestampWithZone() {
        Envelope e = parser.parse(EventKind.FEEDBACK, feedback("\"" + ISO + "\"", "accept"));
        assertThat(e.isDead()).isFalse();
        assertThat(e.ts()).isEqualTo(TS.toEpochMilli());
        assertThat(e.feedback().ts()).isEqualTo(TS.toEpochMilli());
    }

    @Test
    void isoTimestampWithOffsetIsConvertedToUtc() {
        Envelope e = parser.parse(EventKind.FEEDBACK, feedback("\"2026-11-27T11:00:00.123+01:00\"", "accept"));
        assertThat(e.ts()).isEqualTo(TS.toEpochMilli());
    }

    @Test
    void epochMillisAsNumberAndAsText() {
        long ms = TS.toEpochMilli();
        assertThat(parser.parse(EventKind.FEEDBACK, feedback(Long.toString(ms), "accept")).ts()).isEqualTo(ms);
        assertThat(parser.parse(EventKind.FEEDBACK, feedback("\"" + ms + "\"", "accept")).ts()).isEqualTo(ms);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "'\"yesterday\"'",
        "'\"2026-11-27T10:00:00\"'", // ISO without a zone is ambiguous
        "'\"2026-11-27\"'",
        "'true'",
        "'1.5'",
        "'{}'",
    })
    void badTimestampNamesTs(String ts) {
        assertDeadNaming(EventKind.FEEDBACK, feedback(ts, "accept"), "'ts'");
    }

    @Test
    void missingTimestampNamesTs() {
        assertDeadNaming(EventKind.FEEDBACK, "{\"request_id\":\"r1\",\"signal\":\"accept\"}", "'ts'");
    }

    // --- responses ------------------------------------------------------------------------------

    @Test
    void fullResponse() {
        String json = """
                {"request_id":"r1","ts":"%s","surface":"agent","model":"m-2","provider":"p-a",
                 "cohort":{"region":"eu","locale":"de-DE"},"streaming":true,"outcome":"success",
                 "refused":true,"ttft_ms":420,"total_ms":12000.5,"turns":3,"turn_ms":[1000,2000.5,3000],
                 "input_tokens":1200,"output_tokens":300,"cost_usd":0.012,
                 "failover":{"used":true,"ms":650,"providers":["p-a","p-b"]},
                 "attempts":[{"provider":"p-a","outcome":"TIMEOUT","ms":5000},{"provider":"p-b","outcome":"success","ms":7000}],
                 "prompt":"q","response":"a"}
                """.formatted(ISO);
        Envelope e = parser.parse(EventKind.RESPONSE, json);
        assertThat(e.isDead()).as(String.valueOf(e.deadLetter())).isFalse();
        assertThat(e.kind()).isEqualTo(EventKind.RESPONSE);
        assertThat(e.requestId()).isEqualTo("r1");
        ResponseEvent r = e.response();
        assertThat(r.ts()).isEqualTo(TS.toEpochMilli());
        assertThat(r.surface()).isEqualTo("agent");
        assertThat(r.model()).isEqualTo("m-2");
        assertThat(r.provider()).isEqualTo("p-a");
        assertThat(r.cohort()).containsEntry("region", "eu").containsEntry("locale", "de-DE").hasSize(2);
        assertThat(r.streaming()).isTrue();
        assertThat(r.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(r.refused()).isTrue();
        assertThat(r.ttftMs()).isEqualTo(420.0);
        assertThat(r.totalMs()).isEqualTo(12000.5);
        assertThat(r.turns()).isEqualTo(3);
        assertThat(r.turnMs()).containsExactly(1000.0, 2000.5, 3000.0);
        assertThat(r.inputTokens()).isEqualTo(1200L);
        assertThat(r.outputTokens()).isEqualTo(300L);
        assertThat(r.costUsd()).isEqualTo(0.012);
        assertThat(r.failover()).isEqualTo(new Failover(true, 650.0, java.util.List.of("p-a", "p-b")));
        assertThat(r.attempts()).extracting(Attempt::provider, Attempt::outcome, Attempt::ms)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("p-a", "timeout", 5000.0),
                        org.assertj.core.groups.Tuple.tuple("p-b", "success", 7000.0));
        assertThat(r.prompt()).isEqualTo("q");
        assertThat(r.response()).isEqualTo("a");
    }

    @Test
    void responseDefaultsAndAbsentOptionalFields() {
        Envelope e = parser.parse(EventKind.RESPONSE, minimalResponse(""));
        assertThat(e.isDead()).isFalse();
        ResponseEvent r = e.response();
        assertThat(r.refused()).as("refused defaults to false").isFalse();
        assertThat(r.streaming()).isFalse();
        // absent is not zero: latency/cost SLOs count only responses carrying the field
        assertThat(r.ttftMs()).isNull();
        assertThat(r.totalMs()).isNull();
        assertThat(r.costUsd()).isNull();
        assertThat(r.turnMs()).isNull();
        assertThat(r.attempts()).isNull();
        assertThat(r.failover()).isNull();
        assertThat(r.provider()).isNull();
        assertThat(r.cohort()).isEmpty();
    }

    @Test
    void unknownFieldsAreIgnored() {
        Envelope e = parser.parse(EventKind.RESPONSE,
                minimalResponse(",\"gateway_version\":\"9.1\",\"extra\":{\"nested\":[1,2,3]},\"ttft\":null"));
        assertThat(e.isDead()).isFalse();
        assertThat(e.response().requestId()).isEqualTo("r1");
    }

    @Test
    void outcomesAreCaseInsensitive() {
        for (String o : new String[] {"success", "error", "timeout", "rate_limited", "RATE_LIMITED"}) {
            Envelope e = parser.parse(EventKind.RESPONSE, response("r1", o, ""));
            assertThat(e.isDead()).as(o).isFalse();
        }
        assertThat(parser.parse(EventKind.RESPONSE, response("r1", "rate_limited", "")).response().outcome())
                .isEqualTo(Outcome.RATE_LIMITED);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // what is wrong                 | extra fields                      | field named in the reason
        "request_id not a string         | REPLACE_ID:42                     | 'request_id'",
        "request_id blank                | REPLACE_ID:\"  \"                 | 'request_id'",
        "ttft_ms not a number            | ,\"ttft_ms\":\"fast\"             | 'ttft_ms'",
        "total_ms negative               | ,\"total_ms\":-1                  | 'total_ms'",
        "cost_usd negative               | ,\"cost_usd\":-0.01               | 'cost_usd'",
        "turns not an integer            | ,\"turns\":2.5                    | 'turns'",
        "input_tokens not an integer     | ,\"input_tokens\":\"many\"        | 'input_tokens'",
        "turn_ms element not a number    | ,\"turn_ms\":[100,\"x\"]          | 'turn_ms[1]'",
        "turn_ms not an array            | ,\"turn_ms\":100                  | 'turn_ms'",
        "refused not a bool              | ,\"refused\":\"yes\"              | 'refused'",
        "streaming not a bool            | ,\"streaming\":1                  | 'streaming'",
        "cohort not an object            | ,\"cohort\":\"eu\"                | 'cohort'",
        "cohort value not a string       | ,\"cohort\":{\"region\":7}        | 'cohort.region'",
        "cohort value an object          | ,\"cohort\":{\"tenant\":{\"a\":1}} | 'cohort.tenant'",
        "provider not a string           | ,\"provider\":[\"p\"]             | 'provider'",
        "failover.ms negative            | ,\"failover\":{\"used\":true,\"ms\":-5} | 'failover.ms'",
        "failover not an object          | ,\"failover\":true                | 'failover'",
        "attempt outcome unknown         | ,\"attempts\":[{\"provider\":\"p\",\"outcome\":\"meh\"}] | 'attempts[0].outcome'",
        "attempts not an array           | ,\"attempts\":{}                  | 'attempts'",
    })
    void invalidResponseFieldIsNamed(String what, String extra, String field) {
        String json = extra.startsWith("REPLACE_ID:")
                ? minimalResponse("").replace("\"request_id\":\"r1\"", "\"request_id\":" + extra.substring(11))
                : minimalResponse(extra);
        assertDeadNaming(EventKind.RESPONSE, json, field);
    }

    @ParameterizedTest
    @CsvSource({"request_id", "ts", "surface", "model", "outcome"})
    void missingRequiredResponseFieldIsNamed(String field) {
        String json = minimalResponse("").replaceFirst(",?\"" + field + "\":\"[^\"]*\"", "");
        assertThat(json).doesNotContain("\"" + field + "\"");
        if (!json.startsWith("{\"")) {
            json = "{" + json.substring(json.indexOf('"'));
        }
        DeadLetter d = assertDeadNaming(EventKind.RESPONSE, json, "'" + field + "'");
        assertThat(d.reason()).startsWith("missing required field");
    }

    @Test
    void unknownOutcomeIsNamedWithTheAllowedValues() {
        DeadLetter d = assertDeadNaming(EventKind.RESPONSE, response("r1", "exploded", ""), "'outcome'");
        assertThat(d.reason()).contains("exploded").contains("success|error|timeout|rate_limited");
    }

    @Test
    void requestIdOfAtMost256Characters() {
        String max = "r".repeat(EventParser.MAX_REQUEST_ID);
        assertThat(parser.parse(EventKind.RESPONSE, minimalResponse("").replace("\"r1\"", "\"" + max + "\"")).isDead())
                .isFalse();
        DeadLetter d = assertDeadNaming(EventKind.RESPONSE,
                minimalResponse("").replace("\"r1\"", "\"" + max + "x\""), "'request_id'");
        assertThat(d.reason()).contains("256").contains("257");
        // rejected by all three kinds, not only responses
        assertDeadNaming(EventKind.FEEDBACK,
                "{\"request_id\":\"" + max + "x\",\"ts\":\"" + ISO + "\",\"signal\":\"accept\"}", "'request_id'");
    }

    // --- feedback -------------------------------------------------------------------------------

    @Test
    void everySignalParses() {
        for (Signal s : Signal.values()) {
            Envelope e = parser.parse(EventKind.FEEDBACK, feedback("\"" + ISO + "\"", s.json()));
            assertThat(e.feedback().signal()).isEqualTo(s);
            assertThat(e.kind()).isEqualTo(EventKind.FEEDBACK);
        }
    }

    @Test
    void unknownSignalIsNamed() {
        DeadLetter d = assertDeadNaming(EventKind.FEEDBACK, feedback("\"" + ISO + "\"", "shrug"), "'signal'");
        assertThat(d.reason()).contains("shrug");
        assertThat(d.source()).isEqualTo("feedback");
    }

    @Test
    void missingRequestIdIsNamed() {
        DeadLetter d = assertDeadNaming(EventKind.FEEDBACK,
                "{\"ts\":\"" + ISO + "\",\"signal\":\"accept\"}", "'request_id'");
        assertThat(d.reason()).isEqualTo("missing required field 'request_id'");
    }

    // --- ratings --------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"1,false", "3,false", "4,true", "5,true"})
    void usefulDefaultsToScoreAtLeastFour(int score, boolean useful) {
        Envelope e = parser.parse(EventKind.RATING, rating(Integer.toString(score), ""));
        assertThat(e.isDead()).isFalse();
        assertThat(e.rating().score()).isEqualTo(score);
        assertThat(e.rating().useful()).isEqualTo(useful);
    }

    @Test
    void explicitUsefulWinsOverTheScore() {
        assertThat(parser.parse(EventKind.RATING, rating("5", ",\"useful\":false")).rating().useful()).isFalse();
        assertThat(parser.parse(EventKind.RATING, rating("2", ",\"useful\":true")).rating().useful()).isTrue();
    }

    @Test
    void ratingFields() {
        RatingEvent r = parser.parse(EventKind.RATING, rating("4", "")).rating();
        assertThat(r).isEqualTo(new RatingEvent("r1", TS.toEpochMilli(), "rater-7", "helpfulness", 3, 4, true));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"7", "0", "-1", "3.5", "'\"4\"'", "true"})
    void scoreOutsideOneToFiveIsNamed(String score) {
        DeadLetter d = assertDeadNaming(EventKind.RATING, rating(score, ""), "'score'");
        assertThat(d.reason()).contains("from 1 to 5");
    }

    @Test
    void missingScoreIsNamed() {
        assertDeadNaming(EventKind.RATING,
                "{\"request_id\":\"r1\",\"ts\":\"" + ISO + "\",\"rater_id\":\"x\"}", "'score'");
    }

    @Test
    void wrongTypedOptionalRatingFieldsAreNamed() {
        assertDeadNaming(EventKind.RATING, rating("4", ",\"useful\":\"yes\""), "'useful'");
        assertDeadNaming(EventKind.RATING, rating("4", ",\"rubric_version\":\"v3\"").replace(",\"rubric_version\":3", ""),
                "'rubric_version'");
    }

    // --- not JSON -------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"{\"request_id\":", "not json at all", "{\"a\":1}}x"})
    void badJsonIsADeadLetterNotAnException(String line) {
        Envelope e = parser.parse(EventKind.RESPONSE, line);
        assertThat(e.isDead()).isTrue();
        assertThat(e.deadLetter().reason()).startsWith("not valid JSON");
        assertThat(e.deadLetter().eventTime()).isNull();
        assertThat(e.deadLetter().payload()).isEqualTo(line);
        assertThat(e.deadLetter().source()).isEqualTo("responses");
    }

    @Test
    void twoRecordsGluedOnOneLineAreADeadLetterNotASilentlyDroppedSecondRecord() {
        // a missing newline between two JSONL records (or a Kafka value holding two objects)
        String glued = minimalResponse("") + response("r2", "success", "");
        Envelope e = parser.parse(EventKind.RESPONSE, glued);
        assertThat(e.isDead()).as("parsed as %s", e.response()).isTrue();
        assertThat(e.deadLetter().reason()).startsWith("not valid JSON");
        assertThat(e.deadLetter().payload()).isEqualTo(glued);
        // trailing whitespace and a line terminator are fine
        assertThat(parser.parse(EventKind.RESPONSE, minimalResponse("") + "  \r\n").isDead()).isFalse();
    }

    @Test
    void jsonThatIsNotAnObject() {
        assertThat(parser.parse(EventKind.RESPONSE, "[1,2]").deadLetter().reason()).isEqualTo("not a JSON object");
        assertThat(parser.parse(EventKind.RESPONSE, "42").deadLetter().reason()).isEqualTo("not a JSON object");
    }

    @Test
    void deadLetterKeepsTheEventTimeWhenTsWasReadable() {
        Envelope e = parser.parse(EventKind.RESPONSE, response("r1", "exploded", ""));
        assertThat(e.deadLetter().eventTime()).isEqualTo(TS.toEpochMilli());
        assertThat(e.ts()).isEqualTo(TS.toEpochMilli());
        assertThat(e.requestId()).as("dead letters are not joined").isNull();
    }

    @Test
    void hugePayloadIsTruncated() {
        String line = "{\"request_id\":" + "9".repeat(10_000);
        DeadLetter d = parser.parse(EventKind.RESPONSE, line).deadLetter();
        assertThat(d.payload()).hasSize(DeadLetter.MAX_PAYLOAD);
        assertThat(d.reason().length()).isLessThan(200);
    }

    // --- helpers --------------------------------------------------------------------------------

    DeadLetter assertDeadNaming(EventKind kind, String json, String field) {
        Envelope e = parser.parse(kind, json);
        assertThat(e.isDead()).as("expected a dead letter for %s", json).isTrue();
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.deadLetter().reason()).contains(field);
        assertThat(e.deadLetter().source()).isEqualTo(kind.source());
        assertThat(e.deadLetter().payload()).isEqualTo(json);
        return e.deadLetter();
    }

    static String minimalResponse(String extra) {
        return response("r1", "success", extra);
    }

    static String response(String id, String outcome, String extra) {
        return "{\"request_id\":\"" + id + "\",\"ts\":\"" + ISO + "\",\"surface\":\"chat\",\"model\":\"m-1\","
                + "\"outcome\":\"" + outcome + "\"" + extra + "}";
    }

    static String feedback(String tsJson, String signal) {
        return "{\"request_id\":\"r1\",\"ts\":" + tsJson + ",\"signal\":\"" + signal + "\"}";
    }

    static String rating(String scoreJson, String extra) {
        return "{\"request_id\":\"r1\",\"ts\":\"" + ISO + "\",\"rater_id\":\"rater-7\",\"rubric\":\"helpfulness\","
                + "\"rubric_version\":3,\"score\":" + scoreJson + extra + "}";
    }
}
