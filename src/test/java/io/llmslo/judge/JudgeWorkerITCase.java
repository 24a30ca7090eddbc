package io.llmslo.judge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmslo.cli.JobRunner;
import io.llmslo.config.JobConfig;
import io.llmslo.judge.FakeJudgeServer.Reply;
import io.llmslo.testing.KafkaBroker;
import io.llmslo.testing.Postgres;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decoupled judge of DESIGN §5 end to end on real services: the in-JVM Kafka broker, the
 * production graph ({@link JobRunner#graph}: main pipeline + judge worker in one job) in a
 * MiniCluster, PostgreSQL, and a real HTTP server speaking the OpenAI chat protocol that holds
 * every judge call until the test lets it answer (a judge as slow as the test wants, by count,
 * not by clock).
 *
 * <ol>
 *   <li>While the judge has answered nothing, every non-judge SLO row is produced from all
 *       responses: the judge does not hold back the SLO path.
 *   <li>Requests that waited past {@code judge.max_backlog} are shed as counted
 *       {@code shed_backlog} scores, without a judge call.
 *   <li>Once the judge answers, its scores come back through {@code llm.judge_scores}, are
 *       joined by request id and feed {@code quality.judge_high} with exactly the judged count;
 *       the late scores did not hold back the watermark (later traffic is still evaluated).
 *       A rating that came long before its score still pairs with it (judge_calibration).
 *       Hostile score events on the topic become dead letters with their reason, and a
 *       re-delivered score a {@code duplicate} (RocksDB state: the joiner's dedupe survives
 *       serialization).
 * </ol>
 */
class JudgeWorkerITCase {

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    static final ObjectMapper JSON = new ObjectMapper();
    static final double RATE = 0.2;
    static final int RESPONSES = 200;
    static final int STALE = 5;
    /** Awaits are bounded so a broken build fails instead of hanging; nothing asserts on time. */
    static final Duration AWAIT = Duration.ofMinutes(3);

    @TempDir
    static Path tmp;

    /** For the failure message of {@link #await}. */
    static String lastUrl;

    @Test
    void aSlowJudgeNeverHoldsBackTheSloPathAndItsScoresArriveLaterAndOverTheBudgetAreShed() throws Exception {
        String url = Postgres.freshSchema("it_judge_worker" + System.getProperty("it.suffix", ""));
        lastUrl = url;
        Sampler sampler = new Sampler(RATE, Map.of());
        // an hour of chat traffic, hours before now (event_time.max_future bounds Kafka by the wall clock)
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(6));
        List<String> ids = new ArrayList<>();
        List<String> responses = new ArrayList<>();
        for (int i = 0; i < RESPONSES; i++) {
            String id = "jw-" + i;
            ids.add(id);
            responses.add(response(id, base.plusSeconds(18L * i)));
        }
        List<String> sampled = ids.stream().filter(id -> sampler.sampled(id, "chat")).toList();
        List<String> notSampled = ids.stream().filter(id -> !sampler.sampled(id, "chat")).toList();
        List<String> stale = notSampled.subList(0, STALE);
        assertThat(sampled).as("the hash sample of 200 ids at rate 0.2").hasSizeBetween(20, 60);

        KAFKA.createTopics(1, "jw.responses", "jw.feedback", "jw.ratings", "jw.judge_requests", "jw.judge_scores");
        // requests that waited an hour (a worker that was down): written before the job starts,
        // for requests the main job does not sample itself, so each has exactly one score
        List<String> staleRequests = new ArrayList<>();
        long anHourAgo = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        for (String id : stale) {
            staleRequests.add(JudgeRequestJson.request(JSON, new JudgeRequest(id, base.toEpochMilli(),
                    Map.of("surface", "chat"), List.of("helpfulness"), "q", "a", anHourAgo)));
        }
        KAFKA.produce("jw.judge_requests", staleRequests, v -> null);
        // hostile score events on the scores topic: dead letters with a reason, the rest unaffected
        List<String> hostileScores = new ArrayList<>();
        hostileScores.add("{\"request_id\":\"" + sampled.get(0) + "\",\"ts\":" + base.toEpochMilli()
                + ",\"rubric\":\"helpfulness\",\"pass_threshold\":4,\"judge_model\":\"x\",\"score\":9}");
        hostileScores.add("{\"request_id\":");
        hostileScores.add(null); // a tombstone
        KAFKA.produce("jw.judge_scores", hostileScores, v -> null);
        // the traffic, then one unsampled response 3 h later: the watermark passes every
        // response's acceptance window, and the last evaluation covers all 200 responses
        responses.add(response(unsampled(sampler, "marker-a"), base.plus(Duration.ofHours(3))));
        KAFKA.produce("jw.responses", responses, v -> null);
        // a person rates a judged request a minute after it, long before its score can come back:
        // the calibration joiner must wait for the score (not the inline path's 5 minutes)
        String rated = sampled.get(1);
        KAFKA.produce("jw.ratings", List.of("{\"request_id\":\"" + rated + "\",\"ts\":"
                + (base.toEpochMilli() + 18_000L * ids.indexOf(rated) + 60_000L)
                + ",\"rater_id\":\"rater-1\",\"rubric\":\"helpfulness\",\"score\":5}"), v -> null);

        CountDownLatch judgeMayAnswer = new CountDownLatch(1);
        AtomicInteger answered = new AtomicInteger();
        try (FakeJudgeServer server = new FakeJudgeServer()) {
            server.always(() -> {
                try {
                    judgeMayAnswer.await(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                answered.incrementAndGet();
                return Reply.answer("{\"score\": 5, \"reason\": \"Correct and complete.\"}");
            });
            JobConfig cfg = config(url, server.baseUrl("openai"));
            JobRunner.createTables(cfg);
            JobClient job = JobRunner.graph(cfg).executeAsync("judge-worker-it");
            try {
                // 1. the SLO path while the judge answers nothing
                await("non-judge SLO rows over all 200 responses", () ->
                        n(url, "availability.success") == RESPONSES && n(url, "quality.acceptance") == RESPONSES
                                && n(url, "latency.ttft_p95") == RESPONSES && n(url, "latency.total_p95") == RESPONSES
                                && n(url, "cost.p95") == RESPONSES);
                assertThat(answered.get()).as("judge answers so far").isZero();
                assertThat(server.requests()).as("judge calls in flight, held by the server").isNotEmpty();
                assertThat(n(url, "quality.judge_high")).as("no judge score yet").isEqualTo(-1);
                TreeSet<String> withoutJudge = sloNames(url);

                // 2. the stale requests were shed, counted, without a judge call
                await("shed scores", () -> count(url, "SELECT count(*) FROM judge_scores") == STALE);
                assertThat(Postgres.rows(url, "(SELECT request_id, error, score FROM judge_scores) s"))
                        .containsExactlyElementsOf(stale.stream().sorted().map(id -> id + "|shed_backlog|null").toList());

                // 3. the judge answers: every sampled request scored once, back through the joiner
                judgeMayAnswer.countDown();
                await("all scores", () -> count(url, "SELECT count(*) FROM judge_scores") == STALE + sampled.size());
                assertThat(count(url, "SELECT count(*) FROM judge_scores WHERE score = 5 AND error IS NULL"))
                        .isEqualTo(sampled.size());
                assertThat(count(url, "SELECT count(*) FROM judge_scores WHERE error = 'shed_backlog'")).isEqualTo(STALE);
                assertThat(server.requests()).as("one call per sampled request, none for shed ones")
                        .hasSize(sampled.size());
                // a re-delivered score (at-least-once) with another verdict: the joiner keeps the first
                KAFKA.produce("jw.judge_scores", List.of(JudgeRequestJson.score(JSON, new JudgeResult(sampled.get(0),
                        base.toEpochMilli(), Map.of(), "helpfulness", 3, 4, "judge-test", 1, "again", 5, null, 0, 0))),
                        v -> null);
                // later traffic moves event time on: the late scores reach quality.judge_high (on a
                // loaded machine one more hour of traffic may be needed, as a live stream would bring)
                int markers = 0;
                do {
                    markers++;
                    KAFKA.produce("jw.responses", List.of(response(unsampled(sampler, "marker-" + markers),
                            base.plus(Duration.ofHours(3 + markers)))), v -> null);
                } while (!awaitQuietly(Duration.ofSeconds(60), () -> n(url, "quality.judge_high") == sampled.size())
                        && markers < 3);
                await("quality.judge_high over the judged requests", () -> n(url, "quality.judge_high") == sampled.size());
                assertThat(count(url, "SELECT good FROM slo_status WHERE slo = 'quality.judge_high' AND cohort = '*'"))
                        .as("score 5 >= pass threshold 4").isEqualTo(sampled.size());
                assertThat(n(url, "availability.success")).as("the markers are evaluated too").isEqualTo(RESPONSES + 1 + markers - 1);
                await("the judged-and-rated pair in judge_calibration",
                        () -> count(url, "SELECT max(n_pairs) FROM judge_calibration") == 1);
                TreeSet<String> all = sloNames(url);
                all.remove("quality.judge_high");
                assertThat(all).as("no non-judge SLO waited for the judge").isEqualTo(withoutJudge);
                // the hostile ones and the re-delivered one; no score late or orphaned
                await("the duplicate score's dead letter", () -> count(url,
                        "SELECT count(*) FROM dead_letters WHERE source = 'judge_scores' AND reason = 'duplicate'") == 1);
                assertThat(count(url, "SELECT score FROM judge_scores WHERE request_id = '" + sampled.get(0) + "'"))
                        .as("the first verdict stays").isEqualTo(5);
                assertThat(Postgres.rows(url, "(SELECT reason FROM dead_letters WHERE source = 'judge_scores') d"))
                        .hasSize(4)
                        .anySatisfy(r -> assertThat(r).isEqualTo("duplicate"))
                        .anySatisfy(r -> assertThat(r).startsWith("field 'score': expected an integer from 1 to 5"))
                        .anySatisfy(r -> assertThat(r).startsWith("not valid JSON"))
                        .anySatisfy(r -> assertThat(r).startsWith("empty record"));
            } finally {
                judgeMayAnswer.countDown();
                job.cancel().get(1, TimeUnit.MINUTES);
            }
        }
    }

    JobConfig config(String url, String judgeUrl) {
        String yaml = """
                name: judge-worker-it
                parallelism: 1
                sources:
                  type: kafka
                  bootstrap_servers: %1$s
                  group_id: judge-worker-it
                  starting_offsets: earliest
                  topics: {responses: jw.responses, feedback: jw.feedback, ratings: jw.ratings}
                event_time: {out_of_orderness: 2m, allowed_lateness: 0s, idleness: 1s}
                sampling: {rate: %2$s}
                judge:
                  enabled: true
                  provider: openai
                  base_url: %3$s
                  model: judge-test
                  timeout: 5m
                  max_retries: 0
                  max_concurrency: 2
                  capacity: 4
                  rate_limit_per_second: 1000
                  requests_topic: jw.judge_requests
                  scores_topic: jw.judge_scores
                  max_backlog: 10m
                  review_queue: {enabled: false}
                output:
                  jdbc_url: "%4$s"
                  history_interval: 5m
                  flush_interval: 500ms
                state:
                  backend: rocksdb
                  checkpoint_dir: %5$s
                  checkpoint_interval: 1s
                """.formatted(KAFKA.bootstrapServers(), RATE, judgeUrl, url, tmp.resolve("checkpoints").toUri());
        return JobConfig.parse("judge-worker-it.yaml", yaml);
    }

    static String response(String id, Instant ts) {
        Map<String, Object> r = new HashMap<>();
        r.put("request_id", id);
        r.put("ts", ts.toString());
        r.put("surface", "chat");
        r.put("model", "m-1");
        r.put("provider", "p-a");
        r.put("outcome", "success");
        r.put("ttft_ms", 300);
        r.put("total_ms", 1500);
        r.put("input_tokens", 100);
        r.put("output_tokens", 200);
        r.put("cost_usd", 0.002);
        r.put("prompt", "How do I reverse a list in Python? (" + id + ")");
        r.put("response", "Use my_list[::-1] for a reversed copy, or my_list.reverse() in place.");
        try {
            return JSON.writeValueAsString(r);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String unsampled(Sampler sampler, String prefix) {
        for (int i = 0; ; i++) {
            if (!sampler.sampled(prefix + "-" + i, "chat")) {
                return prefix + "-" + i;
            }
        }
    }

    /** The {@code n} of an SLO's global row, -1 while it has none. */
    static long n(String url, String slo) throws SQLException {
        if (count(url, "SELECT count(*) FROM slo_status WHERE slo = '" + slo + "' AND cohort = '*'") == 0) {
            return -1;
        }
        return count(url, "SELECT n FROM slo_status WHERE slo = '" + slo + "' AND cohort = '*'");
    }

    static TreeSet<String> sloNames(String url) throws SQLException {
        return new TreeSet<>(Postgres.rows(url, "(SELECT DISTINCT slo FROM slo_status WHERE cohort = '*') s"));
    }

    static long count(String url, String sql) throws SQLException {
        return Postgres.count(url, sql);
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static boolean awaitQuietly(Duration timeout, Check check) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > until) {
                return false;
            }
            Thread.sleep(200);
        }
        return true;
    }

    static void await(String what, Check check) throws Exception {
        long until = System.nanoTime() + AWAIT.toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("gave up waiting for " + what + "; global rows: " + Postgres.rows(lastUrl,
                        "(SELECT slo, eval_time, n, good FROM slo_status WHERE cohort = '*') s") + "; judge_scores "
                        + count(lastUrl, "SELECT count(*) FROM judge_scores") + ", judge_calibration "
                        + Postgres.rows(lastUrl, "(SELECT eval_time, n_pairs FROM judge_calibration) c"));
            }
            Thread.sleep(200);
        }
    }
}
