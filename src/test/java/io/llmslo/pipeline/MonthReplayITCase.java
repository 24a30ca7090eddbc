package io.llmslo.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.cli.JobRunner;
import io.llmslo.config.JobConfig;
import io.llmslo.sim.Scenario;
import io.llmslo.sim.SimulationResult;
import io.llmslo.sim.TrafficSimulator;
import io.llmslo.testing.SloOracle;
import io.llmslo.testing.Tables;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end benchmark and the acceptance check of the month scenario (35 days, ~42 k
 * responses, a provider outage, a latency regression, an agent cost blow-up and a quality
 * regression): every slo_status row equals the independent oracle; wall time, events/s and the
 * alert rows are printed. Minutes long, so opt-in: {@code mvn verify -Dllmslo.month=true
 * -Dtest=MonthReplayITCase}.
 */
@EnabledIfSystemProperty(named = "llmslo.month", matches = "true")
class MonthReplayITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir
    static Path dir;

    @Test
    void monthReplayEqualsTheOracle() throws Exception {
        SimulationResult sim = TrafficSimulator.run(Scenario.load("classpath:scenarios/month.yaml"), dir);
        String url = "jdbc:sqlite:" + dir.resolve("month.db");
        JobConfig cfg = JobConfig.parse("month-it.yaml", """
                name: month
                parallelism: 2
                sources:
                  type: files
                  responses: %1$s/responses.jsonl
                  feedback: %1$s/feedback.jsonl
                  ratings: %1$s/ratings.jsonl
                judge: {enabled: false}
                output: {jdbc_url: "%2$s", history_interval: 5m}
                """.formatted(dir, url));
        long start = System.nanoTime();
        JobRunner.run(cfg);
        double seconds = (System.nanoTime() - start) / 1e9;
        long lines = java.nio.file.Files.lines(dir.resolve("responses.jsonl")).count()
                + java.nio.file.Files.lines(dir.resolve("feedback.jsonl")).count()
                + java.nio.file.Files.lines(dir.resolve("ratings.jsonl")).count();
        long history = Tables.asLong(Tables.rows(url, "SELECT COUNT(*) AS c FROM slo_history").get(0).get("c"));
        System.out.printf("MONTH %s%nMONTH %d input events in %.1f s = %.0f events/s; %d history rows%n",
                sim.summary(), lines, seconds, lines / seconds, history);

        List<Map<String, Object>> status = ReplayITCase.verifyStatusRows(SloOracle.of(dir), url);
        assertThat(status).isNotEmpty();
        for (Map<String, Object> a : Tables.rows(url,
                "SELECT slo, cohort, severity, state, at FROM slo_alerts ORDER BY slo, cohort, severity, at")) {
            System.out.println("MONTH ALERT " + a.values());
        }
    }
}
