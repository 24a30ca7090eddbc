package io.llmslo.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmslo.cli.SimulateCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrafficSimulatorTest {
    private static final Pattern TS = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    private static final Set<String> OUTCOMES = Set.of("success", "error", "timeout", "rate_limited");
    private static final Set<String> SIGNALS = Set.of("accept", "continue", "copy", "thumbs_up", "regenerate",
            "abandon", "handoff", "thumbs_down");
    private static final List<String> FILES =
            List.of(TrafficSimulator.RESPONSES, TrafficSimulator.FEEDBACK, TrafficSimulator.RATINGS);

    private static final String SMALL = """
            start: 2026-10-01T00:00:00Z
            days: 4
            requests_per_day: 1000
            duplicate_rate: 0.01
            baseline: {rating_rate: 0.3, attempt_failure_rate: 0.02}
            incidents:
              - {type: latency_regression, multiplier: 2, match: {surface: rag}, from: 2026-10-02T00:00:00Z, to: 2026-10-03T00:00:00Z}
            """;

    @Test
    void sameScenarioAndSeedGiveIdenticalBytes(@TempDir Path dir) throws IOException {
        Scenario s = Scenario.parse(SMALL + "invalid_rate: 0.01\n", "small.yaml");
        TrafficSimulator.run(s, dir.resolve("a"));
        TrafficSimulator.run(s, dir.resolve("b"));
        TrafficSimulator.run(s.withSeed(s.seed() + 1), dir.resolve("c"));
        for (String f : FILES) {
            byte[] a = Files.readAllBytes(dir.resolve("a").resolve(f));
            assertThat(a).as(f).isNotEmpty().isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(f)));
            assertThat(a).as(f).isNotEqualTo(Files.readAllBytes(dir.resolve("c").resolve(f)));
        }
    }

    @Test
    void anIncidentChangesOnlyTheRequestsItMatches(@TempDir Path dir) throws IOException {
        Scenario with = Scenario.parse(SMALL, "with.yaml");
        Scenario without = Scenario.parse(SMALL.substring(0, SMALL.indexOf("incidents:")), "without.yaml");
        TrafficSimulator.run(with, dir.resolve("with"));
        TrafficSimulator.run(without, dir.resolve("without"));
        List<String> a = TrafficFiles.lines(dir.resolve("with").resolve(TrafficSimulator.RESPONSES));
        List<String> b = TrafficFiles.lines(dir.resolve("without").resolve(TrafficSimulator.RESPONSES));
        assertThat(a).hasSameSizeAs(b);
        int changed = 0;
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).equals(b.get(i))) {
                changed++;
                JsonNode r = TrafficFiles.JSON.readTree(a.get(i));
                assertThat(r.get("surface").asText()).isEqualTo("rag");
                assertThat(r.get("ts").asText()).startsWith("2026-10-02");
            }
        }
        assertThat(changed).isGreaterThan(100);
    }

    @Test
    void everyLineOfAValidRunFollowsTheContract(@TempDir Path dir) throws IOException {
        Scenario s = Scenario.parse(SMALL, "small.yaml");
        SimulationResult result = TrafficSimulator.run(s, dir);
        assertThat(result.invalidLines()).isZero();

        Map<String, JsonNode> byId = new HashMap<>();
        Map<String, String> lineById = new HashMap<>();
        Map<String, String> surfaceById = new HashMap<>();
        int duplicates = 0;
        List<String> responseLines = TrafficFiles.lines(dir.resolve(TrafficSimulator.RESPONSES));
        for (String line : responseLines) {
            JsonNode r = TrafficFiles.JSON.readTree(line);
            String id = r.get("request_id").asText();
            if (byId.containsKey(id)) {
                assertThat(line).as("a duplicate is a re-send of the same record").isEqualTo(lineById.get(id));
                duplicates++;
                continue;
            }
            byId.put(id, r);
            lineById.put(id, line);
            surfaceById.put(id, r.get("surface").asText());
            checkResponse(r, s);
        }
        assertThat(byId).hasSize((int) result.responses());
        assertThat(duplicates).isEqualTo(result.duplicateResponses()).isPositive();
        assertThat(responseLines).hasSize((int) result.responseLines());
        assertThat(byId.values()).anyMatch(r -> r.has("failover"));
        assertThat(byId.values()).anyMatch(r -> !TrafficFiles.success(r));
        assertThat(byId.values()).anyMatch(r -> r.get("refused").asBoolean());

        Set<String> feedbackIds = new HashSet<>();
        for (String line : TrafficFiles.lines(dir.resolve(TrafficSimulator.FEEDBACK))) {
            JsonNode f = TrafficFiles.JSON.readTree(line);
            assertThat(fieldNames(f)).containsExactly("request_id", "ts", "signal");
            assertThat(f.get("ts").asText()).matches(TS);
            assertThat(SIGNALS).contains(f.get("signal").asText());
            JsonNode r = byId.get(f.get("request_id").asText());
            assertThat(r).as("feedback refers to a known response").isNotNull();
            assertThat(TrafficFiles.success(r)).isTrue();
            assertThat(TrafficFiles.ts(f) - TrafficFiles.ts(r)).isBetween(1_000L, 30 * 60_000L);
            assertThat(feedbackIds.add(f.get("request_id").asText())).as("one feedback per response").isTrue();
        }
        assertThat(feedbackIds).hasSize((int) result.feedback());

        for (String line : TrafficFiles.lines(dir.resolve(TrafficSimulator.RATINGS))) {
            JsonNode g = TrafficFiles.JSON.readTree(line);
            assertThat(fieldNames(g)).startsWith("request_id", "ts", "rater_id", "rubric", "rubric_version", "score");
            assertThat(g.get("ts").asText()).matches(TS);
            String surface = surfaceById.get(g.get("request_id").asText());
            assertThat(surface).isNotNull();
            assertThat(g.get("rubric").asText()).isEqualTo(surface.equals("rag") ? "groundedness" : "helpfulness");
            assertThat(g.get("rubric_version").asInt()).isEqualTo("groundedness".equals(g.get("rubric").asText()) ? 2 : 3);
            int score = g.get("score").asInt();
            assertThat(score).isBetween(1, 5);
            if (g.has("useful")) {
                assertThat(g.get("useful").asBoolean()).isEqualTo(score >= 4);
            }
            long delay = TrafficFiles.ts(g) - TrafficFiles.ts(byId.get(g.get("request_id").asText()));
            assertThat(delay).isBetween(86_400_000L, 5 * 86_400_000L);
            assertThat(TrafficFiles.ts(g)).isLessThan(s.end().toEpochMilli());
        }

        for (String f : FILES) {
            assertSortedWithBoundedDisorder(TrafficFiles.lines(dir.resolve(f)), f);
        }
    }

    private static void checkResponse(JsonNode r, Scenario s) {
        assertThat(r.get("request_id").asText()).matches("req_[0-9a-f]{16}");
        assertThat(r.get("ts").asText()).matches(TS);
        long ts = TrafficFiles.ts(r);
        assertThat(ts).isBetween(s.start().toEpochMilli(), s.end().toEpochMilli() - 1);
        String surface = r.get("surface").asText();
        assertThat(surface).isIn("chat", "agent", "rag", "batch");
        assertThat(r.get("model").asText()).isIn("m-1", "m-2");
        assertThat(r.get("cohort").get("region").asText()).isIn("eu-west", "us-east", "ap-south");
        assertThat(r.get("cohort").get("locale").asText()).isIn("en-US", "de-DE", "ja-JP");
        boolean streaming = r.get("streaming").asBoolean();
        assertThat(streaming).isEqualTo(surface.equals("chat") || surface.equals("agent"));
        String outcome = r.get("outcome").asText();
        assertThat(OUTCOMES).contains(outcome);
        assertThat(r.get("total_ms").isIntegralNumber()).isTrue();
        assertThat(r.get("prompt").asText()).isNotBlank();

        JsonNode attempts = r.get("attempts");
        assertThat(attempts.size()).isBetween(1, 2);
        JsonNode last = attempts.get(attempts.size() - 1);
        assertThat(r.get("provider").asText()).isEqualTo(last.get("provider").asText());
        assertThat(last.get("outcome").asText()).isEqualTo(outcome);
        if (attempts.size() == 2) {
            assertThat(attempts.get(0).get("outcome").asText()).isNotEqualTo("success");
            assertThat(attempts.get(0).get("provider").asText()).isNotEqualTo(last.get("provider").asText());
            JsonNode fo = r.get("failover");
            assertThat(fo.get("used").asBoolean()).isTrue();
            assertThat(fo.get("ms").asInt()).isPositive();
            assertThat(fo.get("providers")).hasSize(2);
        } else {
            assertThat(r.has("failover")).isFalse();
        }

        if (TrafficFiles.success(r)) {
            assertThat(r.get("response").asText()).isNotBlank();
            assertThat(r.get("cost_usd").isNumber()).isTrue();
            assertThat(r.get("cost_usd").asDouble()).isPositive();
            assertThat(r.get("input_tokens").asInt()).isPositive();
            assertThat(r.get("output_tokens").asInt()).isPositive();
            assertThat(r.has("ttft_ms")).isEqualTo(streaming);
            if (streaming) {
                assertThat(r.get("ttft_ms").asInt()).isBetween(1, r.get("total_ms").asInt());
            }
            assertThat(r.has("turns")).isEqualTo(surface.equals("agent"));
            if (surface.equals("agent")) {
                int turns = r.get("turns").asInt();
                assertThat(r.get("turn_ms")).hasSize(turns);
                assertThat(turns).isBetween(r.get("refused").asBoolean() ? 1 : 2, 6);
            }
        } else {
            assertThat(r.has("ttft_ms")).isFalse();
            assertThat(r.has("response")).isFalse();
            assertThat(r.get("refused").asBoolean()).isFalse();
        }
    }

    /** Arrival order: sorted by ts except for delays that always stay under a minute. */
    private static void assertSortedWithBoundedDisorder(List<String> lines, String file)
            throws JsonProcessingException {
        long max = Long.MIN_VALUE;
        long worst = 0;
        int outOfOrder = 0;
        for (String line : lines) {
            long ts = TrafficFiles.ts(TrafficFiles.JSON.readTree(line));
            if (ts < max) {
                outOfOrder++;
                worst = Math.max(worst, max - ts);
            }
            max = Math.max(max, ts);
        }
        assertThat(worst).as(file).isLessThan(60_000L);
        if (lines.size() > 1_000) {
            assertThat(outOfOrder).as(file + ": event time matters").isPositive();
            assertThat(worst).as(file).isGreaterThan(2_000L);
        }
    }

    @Test
    void invalidLinesExerciseEveryDeadLetterReason(@TempDir Path dir) throws IOException {
        Scenario s = Scenario.parse(SMALL + "invalid_rate: 0.05\n", "small.yaml");
        SimulationResult result = TrafficSimulator.run(s, dir);
        Set<String> reasons = new HashSet<>();
        long invalid = 0;
        for (String f : FILES) {
            for (String line : TrafficFiles.lines(dir.resolve(f))) {
                String reason = invalidReason(f, line);
                if (reason != null) {
                    reasons.add(reason);
                    invalid++;
                }
            }
        }
        assertThat(invalid).isEqualTo(result.invalidLines()).isPositive();
        assertThat(reasons).containsExactlyInAnyOrder("bad_json", "missing_request_id", "unknown_outcome",
                "unknown_signal", "score_out_of_range");
        assertThat(result.responseLines() + result.feedbackLines() + result.ratingLines())
                .isEqualTo(result.responses() + result.duplicateResponses() + result.feedback() + result.ratings()
                        + result.invalidLines());
    }

    private static String invalidReason(String file, String line) {
        JsonNode n;
        try {
            n = TrafficFiles.JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return "bad_json";
        }
        if (!n.has("request_id")) {
            return "missing_request_id";
        }
        if (file.equals(TrafficSimulator.RESPONSES) && !OUTCOMES.contains(n.get("outcome").asText())) {
            return "unknown_outcome";
        }
        if (file.equals(TrafficSimulator.FEEDBACK) && !SIGNALS.contains(n.get("signal").asText())) {
            return "unknown_signal";
        }
        if (file.equals(TrafficSimulator.RATINGS) && n.get("score").asInt() > 5) {
            return "score_out_of_range";
        }
        return null;
    }

    @Test
    void simulateCommandWritesFilesAndReportsBadScenarios(@TempDir Path dir) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SimulateCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("--scenario", "classpath:scenarios/sample.yaml", "--out", dir.resolve("o").toString(),
                "--seed", "3");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("seed 3").contains("responses");
        for (String f : FILES) {
            assertThat(dir.resolve("o").resolve(f)).isNotEmptyFile();
        }

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "days: -3\n");
        code = cli.execute("--scenario", bad.toString(), "--out", dir.resolve("p").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains(bad + ": key 'days' expected a positive integer (at most 3650), got -3");
        assertThat(dir.resolve("p")).doesNotExist();
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
