package io.llmslo.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.cli.JobRunner;
import io.llmslo.config.JobConfig;
import io.llmslo.event.Envelope;
import io.llmslo.event.EventKind;
import io.llmslo.event.EventParser;
import io.llmslo.sim.Scenario;
import io.llmslo.sim.TrafficSimulator;
import io.llmslo.testing.Tables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job with an OpenAI-compatible judge served by a real local HTTP server: the server
 * sees exactly the deterministic 5 % sample; judge_scores, quality.judge_high and
 * judge_calibration fill; and with the judge down for part of the run the job still finishes
 * with every non-judge table identical to the run with the judge up.
 */
class JudgeReplayITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir
    static Path dir;

    static Set<String> expectedSample;

    @BeforeAll
    static void simulate() throws Exception {
        TrafficSimulator.run(Scenario.parse("""
                start: 2026-10-01T00:00:00Z
                days: 2
                requests_per_day: 1500
                seed: 5
                baseline: {rating_rate: 0.4}
                """, "judge-it.yaml"), dir);
        // the sample, computed from the files with the job's own sampler definition
        Sampler sampler = new Sampler(new JobConfig.Sampling(0.05, new java.util.HashMap<>(), 0));
        EventParser parser = new EventParser();
        expectedSample = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (String line : Files.readAllLines(dir.resolve("responses.jsonl"))) {
            Envelope e = parser.parse(EventKind.RESPONSE, line);
            if (!e.isDead() && seen.add(e.requestId()) && Sampler.judgeable(e.response())
                    && sampler.sampled(e.response())) {
                expectedSample.add(e.requestId());
            }
        }
        assertThat(expectedSample.size()).isBetween(100, 200);
    }

    static JobConfig job(String db, String baseUrl) {
        return JobConfig.parse("judge-it.yaml", """
                name: judge-it
                parallelism: 2
                sources:
                  type: files
                  responses: %1$s/responses.jsonl
                  feedback: %1$s/feedback.jsonl
                  ratings: %1$s/ratings.jsonl
                sampling: {rate: 0.05}
                judge:
                  provider: openai
                  base_url: %2$s
                  model: judge-test
                  timeout: 3s
                  max_retries: 1
                  retry_backoff: 10ms
                  rate_limit_per_second: 10000
                  circuit_breaker: {failure_rate: 50, open_for: 1s}
                  rubrics_dir: rubrics
                output:
                  jdbc_url: "jdbc:sqlite:%1$s/%3$s"
                """.formatted(dir, baseUrl, db));
    }

    @Test
    void judgeSeesExactlyTheSampleAndAnOutageChangesNothingElse() throws Exception {
        String up = "jdbc:sqlite:" + dir.resolve("up.db");
        String down = "jdbc:sqlite:" + dir.resolve("down.db");
        try (FakeJudgeServer server = new FakeJudgeServer()) {
            // the score follows the request so calibration has some spread: 2..5
            server.always(() -> FakeJudgeServer.Reply.answer(
                    "{\"score\": " + (2 + server.requests.size() % 4) + ", \"reason\": \"ok\"}"));
            JobRunner.run(job("up.db", server.baseUrl("openai")));
            // one request per sampled response: nothing else, nothing twice
            assertThat(server.requests()).hasSize(expectedSample.size());
        }
        List<Map<String, Object>> scores = Tables.rows(up, "SELECT request_id, score, error FROM judge_scores");
        assertThat(scores).extracting(r -> (String) r.get("request_id"))
                .containsExactlyInAnyOrderElementsOf(expectedSample);
        assertThat(scores).allSatisfy(r -> assertThat(r.get("error")).isNull());
        assertThat(Tables.rows(up, "SELECT * FROM slo_status WHERE slo = 'quality.judge_high' AND cohort = '*'"))
                .singleElement().satisfies(r -> assertThat(Tables.asLong(r.get("n"))).isPositive());
        assertThat(Tables.rows(up, "SELECT * FROM judge_calibration")).isNotEmpty();

        try (FakeJudgeServer server = new FakeJudgeServer()) {
            // the judge fails (503) for its first 60 requests, then recovers
            AtomicInteger calls = new AtomicInteger();
            server.always(() -> calls.incrementAndGet() <= 60
                    ? FakeJudgeServer.Reply.status(503, "{\"error\": \"overloaded\"}")
                    : FakeJudgeServer.Reply.answer("{\"score\": 4, \"reason\": \"ok\"}"));
            JobRunner.run(job("down.db", server.baseUrl("openai")));
        }
        assertThat(Tables.rows(down, "SELECT * FROM judge_scores WHERE error IS NOT NULL")).isNotEmpty();
        for (String table : new String[] {"slo_status", "slo_history", "slo_alerts"}) {
            Tables.assertSameRows(up, down,
                    "SELECT * FROM " + table + " WHERE slo <> 'quality.judge_high' ORDER BY 1, 2, 3, 4, 5");
        }
        Tables.assertSameRows(up, down, "SELECT * FROM dead_letters ORDER BY source, payload_hash");
    }
}
