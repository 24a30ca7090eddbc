package io.llmslo.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.cli.JobRunner;
import io.llmslo.config.JobConfig;
import io.llmslo.testing.Tables;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job, end to end, with a biased LLM judge served by a real local HTTP server speaking
 * the OpenAI protocol (FakeJudgeServer): the judge reads each answer's latent quality from its
 * text and is wrong in a fixed, seeded share of cases, the way a real judge is biased.
 *
 * <ul>
 *   <li>A month where the judge passes 85 % of the answers people find useful and 10 % of the
 *       others: its raw pass rate (≈ 0.82) sits far below the 0.92 target everywhere, so raw judge
 *       alerts would fire on every cohort. The corrected estimate tracks the simulated human rate
 *       per cohort within its interval; the stationary cohort gets no judge alert; the injected
 *       regression (rag from day 20) moves the corrected estimate and alerts. A cohort people
 *       rarely rate (batch, ~1.5 pairs a day) is corrected by the pooled pairs of all traffic
 *       through the judge's error rates, unmoved by rag's regression, and does not page.
 *   <li>A judge-model swap mid-stream: the server starts answering at random; the rolling
 *       calibration notices (the calibration alert names the judge model) and gates the judge's
 *       alerts, although people's verdicts regress at the same time.
 * </ul>
 */
class JudgeCorrectionITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    static final long T0 = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
    static final Pattern TAGS = Pattern.compile("id=(\\S+) quality=(good|bad) era=(\\d)");

    @TempDir
    Path dir;

    interface UsefulRate {
        double at(String surface, long t);
    }

    /**
     * Responses ({@code perDay} per surface, evenly spread), and for {@code ratedShare} of them a
     * human rating two hours later. The answer's text carries its id, latent quality and the judge's era.
     */
    void traffic(int days, int perDay, List<String> surfaces, UsefulRate useful, long swapAt, double ratedShare)
            throws Exception {
        traffic(days, perDay, surfaces, useful, swapAt, s -> ratedShare);
    }

    void traffic(int days, int perDay, List<String> surfaces, UsefulRate useful, long swapAt,
            java.util.function.ToDoubleFunction<String> ratedShare) throws Exception {
        SplittableRandom rnd = new SplittableRandom(42);
        try (BufferedWriter responses = Files.newBufferedWriter(dir.resolve("responses.jsonl"));
                BufferedWriter ratings = Files.newBufferedWriter(dir.resolve("ratings.jsonl"));
                BufferedWriter feedback = Files.newBufferedWriter(dir.resolve("feedback.jsonl"))) {
            long step = DAY / perDay;
            int i = 0;
            for (long t = T0; t < T0 + days * DAY; t += step) {
                for (String surface : surfaces) {
                    String id = "r-" + i++;
                    boolean good = rnd.nextDouble() < useful.at(surface, t);
                    int era = t >= swapAt ? 2 : 1;
                    responses.write(("{\"request_id\":\"%s\",\"ts\":%d,\"surface\":\"%s\",\"model\":\"m-1\","
                            + "\"outcome\":\"success\",\"total_ms\":900,\"prompt\":\"question %s\","
                            + "\"response\":\"answer id=%s quality=%s era=%d\"}\n")
                            .formatted(id, t, surface, id, id, good ? "good" : "bad", era));
                    if (rnd.nextDouble() < ratedShare.applyAsDouble(surface)) {
                        ratings.write("{\"request_id\":\"%s\",\"ts\":%d,\"rater_id\":\"rater-1\",\"score\":%d,\"useful\":%b}\n"
                                .formatted(id, t + 2 * HOUR, good ? 5 : 2, good));
                    }
                }
            }
        }
    }

    /** The judge's verdict: era 1 biased (passes 85 % of good answers, 10 % of bad), era 2 a coin. */
    static FakeJudgeServer.Reply judge(String body) {
        Matcher m = TAGS.matcher(body);
        if (!m.find()) {
            return FakeJudgeServer.Reply.answer("{\"score\": 1, \"reason\": \"no answer\"}");
        }
        double u = Sampler.unit("judge:" + m.group(1));
        boolean good = m.group(2).equals("good");
        boolean pass = m.group(3).equals("2") ? u < 0.5 : good ? u < 0.85 : u < 0.10;
        return FakeJudgeServer.Reply.answer("{\"score\": " + (pass ? 5 : 2) + ", \"reason\": \"judged\"}");
    }

    JobConfig job(String baseUrl, String calibration) {
        return JobConfig.parse("judge-correction-it.yaml", """
                name: judge-correction-it
                parallelism: 2
                sources:
                  type: files
                  responses: %1$s/responses.jsonl
                  feedback: %1$s/feedback.jsonl
                  ratings: %1$s/ratings.jsonl
                sampling: {rate: 1.0}
                judge:
                  provider: openai
                  base_url: %2$s
                  model: judge-test
                  timeout: 10s
                  max_retries: 1
                  retry_backoff: 10ms
                  rate_limit_per_second: 100000
                  max_concurrency: 8
                  rubrics_dir: rubrics
                  calibration: %3$s
                  review_queue: {weight_ratings: false}
                cohorts:
                  grouping_sets: [[surface]]
                output:
                  jdbc_url: "jdbc:sqlite:%1$s/out.db"
                """.formatted(dir, baseUrl, calibration));
    }

    String db() {
        return "jdbc:sqlite:" + dir.resolve("out.db");
    }

    @Test
    void aBiasedJudgeIsCorrectedPerCohortAndOnlyTheRealRegressionAlerts() throws Exception {
        long regression = T0 + 20 * DAY;
        // batch: people rarely rate it (~1.5 pairs a day, never 25 in the 7-day calibration window)
        traffic(30, 150, List.of("chat", "rag", "batch"), (s, t) -> s.equals("rag") && t >= regression ? 0.5 : 0.95,
                Long.MAX_VALUE, s -> s.equals("batch") ? 0.01 : 0.4);
        try (FakeJudgeServer server = new FakeJudgeServer()) {
            server.answering(JudgeCorrectionITCase::judge);
            JobRunner.run(job(server.baseUrl("openai"), "{window: 7d, min_pairs: 25}"));
        }
        // the raw judge pass rate is far below target on the stationary cohort...
        Map<String, Object> chat = Tables.rows(db(),
                "SELECT * FROM slo_status WHERE slo = 'quality.judge_high' AND cohort = 'surface=chat'").get(0);
        assertThat(Tables.asDouble(chat.get("value"))).isLessThan(0.90); // target 0.92
        assertThat(chat.get("judge_scope")).isEqualTo("cohort_slo_window");
        assertThat(chat.get("judge_gate")).isNull();
        // ...the corrected estimate tracks the human rate (0.95) within its interval, day after day
        int covered = 0;
        int checked = 0;
        for (Map<String, Object> r : Tables.rows(db(), "SELECT * FROM slo_history WHERE slo = 'quality.judge_high'"
                + " AND cohort IN ('surface=chat', 'surface=rag') AND judge_corrected IS NOT NULL ORDER BY eval_time")) {
            long at = Tables.asTimestamp(r.get("eval_time"));
            if (at % DAY != 12 * HOUR) {
                continue; // one check a day, at noon
            }
            boolean rag = r.get("cohort").equals("surface=rag");
            // the 24 h window at noon is all-regression from day 21 noon; skip the mixed day
            if (rag && at > regression && at < regression + DAY + HOUR) {
                continue;
            }
            double truth = rag && at >= regression ? 0.5 : 0.95;
            checked++;
            if (Tables.asDouble(r.get("judge_corrected_low")) <= truth
                    && truth <= Tables.asDouble(r.get("judge_corrected_high"))) {
                covered++;
            }
        }
        System.out.printf("corrected-estimate interval covered the simulated human rate on %d of %d daily checks%n",
                covered, checked);
        assertThat(checked).isGreaterThan(40);
        // daily checks of overlapping windows are not independent: 80 % of a nominal 95 %
        assertThat(covered).isGreaterThanOrEqualTo((int) Math.ceil(0.80 * checked));

        List<Map<String, Object>> alerts = Tables.rows(db(),
                "SELECT cohort, state, at FROM slo_alerts WHERE slo = 'quality.judge_high' ORDER BY at");
        // no judge alert on the stationary cohort (nor on the global one before the regression)
        assertThat(alerts).noneMatch(a -> a.get("cohort").equals("surface=chat"));
        // the injected regression alerts, after it began
        assertThat(alerts).anyMatch(a -> a.get("cohort").equals("surface=rag") && a.get("state").equals("firing"));
        assertThat(alerts).allMatch(a -> Tables.asTimestamp(a.get("at")) > regression);
        assertThat(alerts).noneMatch(a -> a.get("cohort").equals("surface=batch"));

        // the rarely rated cohort is corrected by the pooled pairs of all traffic (it had no estimate before)
        int pooledCovered = 0;
        int pooledChecked = 0;
        for (Map<String, Object> r : Tables.rows(db(), "SELECT * FROM slo_history WHERE slo = 'quality.judge_high'"
                + " AND cohort = 'surface=batch' ORDER BY eval_time")) {
            long at = Tables.asTimestamp(r.get("eval_time"));
            assertThat(r.get("judge_scope")).isIn(null, "pooled_calibration_window"); // never 25 own pairs
            if (at % DAY != 12 * HOUR || at < T0 + DAY) {
                continue;
            }
            assertThat(r.get("judge_scope")).isEqualTo("pooled_calibration_window");
            assertThat(r.get("judge_lambda")).isNull();
            pooledChecked++;
            if (Tables.asDouble(r.get("judge_corrected_low")) <= 0.95 && 0.95 <= Tables.asDouble(r.get("judge_corrected_high"))) {
                pooledCovered++;
            }
        }
        System.out.printf("pooled estimate of the rarely rated cohort covered the simulated human rate on %d of %d daily checks%n",
                pooledCovered, pooledChecked);
        assertThat(pooledChecked).isGreaterThan(25);
        // the pool assumes the judge's error rates are the same across cohorts (they are here, while
        // rag's useful rate regresses from day 20): daily checks of overlapping windows, 80 % of 95 %
        assertThat(pooledCovered).isGreaterThanOrEqualTo((int) Math.ceil(0.80 * pooledChecked));
        Map<String, Object> rag = Tables.rows(db(),
                "SELECT * FROM slo_status WHERE slo = 'quality.judge_high' AND cohort = 'surface=rag'").get(0);
        assertThat(Tables.asDouble(rag.get("judge_corrected_low"))).isLessThan(0.5);
        assertThat(Tables.asDouble(rag.get("judge_corrected_high"))).isGreaterThan(0.5);
    }

    @Test
    void aJudgeModelSwapIsCaughtByTheRollingCalibrationAndGatesTheJudgeAlerts() throws Exception {
        long swap = T0 + 5 * DAY;
        // people's verdicts regress at the swap too: only the gate keeps the judge from paging
        traffic(9, 200, List.of("chat"), (s, t) -> t >= swap ? 0.5 : 0.96, swap, 0.2);
        try (FakeJudgeServer server = new FakeJudgeServer()) {
            server.answering(JudgeCorrectionITCase::judge);
            JobRunner.run(job(server.baseUrl("openai"), "{window: 2d, min_pairs: 20}"));
        }
        List<Map<String, Object>> calibration = Tables.rows(db(),
                "SELECT * FROM judge_calibration WHERE judge_model = 'judge-test' ORDER BY eval_time");
        // calibrated before the swap (the era-1 judge agrees with people on ~88 %)...
        assertThat(calibration).anyMatch(r -> Tables.asTimestamp(r.get("eval_time")) < swap
                && Boolean.TRUE.equals(Tables.asBoolean(r.get("calibrated"))));
        // ...not at the end: the rolling window holds only the swapped judge's coin flips
        Map<String, Object> last = calibration.get(calibration.size() - 1);
        assertThat(Tables.asBoolean(last.get("calibrated"))).isFalse();
        assertThat(Tables.asDouble(last.get("window_useful_agreement"))).isLessThan(0.8);
        // while all-time agreement, diluted by the good days, lags behind
        assertThat(Tables.asDouble(last.get("useful_agreement")))
                .isGreaterThan(Tables.asDouble(last.get("window_useful_agreement")));
        // the calibration alert fires, naming the judge model
        assertThat(Tables.rows(db(), "SELECT * FROM slo_alerts WHERE slo = 'judge.calibration' AND state = 'firing'"))
                .anyMatch(a -> ((String) a.get("cohort")).contains("judge_model=judge-test"));
        // the judge SLO is gated and never paged after the swap
        Map<String, Object> status = Tables.rows(db(),
                "SELECT * FROM slo_status WHERE slo = 'quality.judge_high' AND cohort = '*'").get(0);
        assertThat(status.get("judge_gate")).isEqualTo("judge_uncalibrated");
        assertThat(Tables.rows(db(), "SELECT * FROM slo_alerts WHERE slo = 'quality.judge_high' AND state = 'firing'"))
                .allMatch(a -> Tables.asTimestamp(a.get("at")) < swap);
        // people did see the regression (the human SLO is not gated by the judge)
        assertThat(Tables.rows(db(), "SELECT * FROM slo_status WHERE slo = 'quality.human_useful' AND cohort = '*'"))
                .singleElement().satisfies(r -> assertThat(Tables.asDouble(r.get("value"))).isLessThan(0.8));
    }
}
