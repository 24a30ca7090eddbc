package io.llmslo.pipeline;

import io.llmslo.testing.ReplayJobs;
import static io.llmslo.testing.Tables.asDouble;
import static io.llmslo.testing.Tables.asLong;
import static io.llmslo.testing.Tables.millis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.llmslo.cli.JobRunner;
import io.llmslo.config.JobConfig;
import io.llmslo.sim.Scenario;
import io.llmslo.sim.TrafficSimulator;
import io.llmslo.testing.SloOracle;
import io.llmslo.testing.Tables;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on a MiniCluster (parallelism 2) over simulated JSONL files, into SQLite and
 * into a real PostgreSQL; every slo_status row the oracle covers, and the full history of a few
 * series, must equal an independent computation from the same files.
 */
class ReplayITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    static final long INTERVAL = 5 * SloOracle.MIN;

    @TempDir
    static Path dir;

    static SloOracle oracle;

    @BeforeAll
    static void simulate() throws Exception {
        String scenario = """
                start: 2026-10-01T00:00:00Z
                days: 4
                requests_per_day: 900
                seed: 11
                invalid_rate: 0.003
                incidents:
                  - type: quality_regression
                    negative_rate: 0.45
                    useful_rate: 0.5
                    match: {surface: chat, locale: de-DE}
                    from: 2026-10-02T00:00:00Z
                """;
        TrafficSimulator.run(Scenario.parse(scenario, "replay-it.yaml"), dir);
        oracle = SloOracle.of(dir);
    }

    static JobConfig job(String jdbcUrl) {
        return ReplayJobs.files("replay-it", dir, jdbcUrl, "");
    }

    @Test
    void sqliteTablesEqualAnIndependentComputation() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("replay.db");
        JobRunner.run(job(url));
        verify(url);
    }

    @Test
    void postgresTablesEqualAnIndependentComputation() throws Exception {
        String url = io.llmslo.testing.Postgres.url();
        Tables.dropAll(url);
        JobRunner.run(job(url));
        verify(url);
    }

    private static void verify(String url) throws Exception {
        List<Map<String, Object>> status = verifyStatusRows(oracle, url);

        // the regression cohort breaches while the whole population is fine
        assertThat(statusOf(status, "quality.acceptance", "surface=chat,cohort.locale=de-DE")).isEqualTo("breach");
        assertThat(statusOf(status, "quality.acceptance", "*")).isEqualTo("ok");
        verifyHistoryAndDeadLetters(url);
    }

    /**
     * Every slo_status row of an SLO the oracle covers equals the oracle's n, good, p-value and
     * status at the row's eval_time, and every series the oracle has is in the table.
     */
    static List<Map<String, Object>> verifyStatusRows(SloOracle oracle, String url) throws Exception {
        long end = Math.floorDiv(oracle.latestObservation() + INTERVAL - 1, INTERVAL) * INTERVAL;
        List<Map<String, Object>> status = Tables.rows(url, "SELECT * FROM slo_status ORDER BY slo, cohort");
        Set<String> checked = new HashSet<>();
        for (Map<String, Object> row : status) {
            String slo = (String) row.get("slo");
            String cohort = (String) row.get("cohort");
            long at = millis(row.get("eval_time"));
            // a bounded run ends every series at the same instant, the boundary after the job's
            // last observation, unless the series' window emptied before: then it stopped there
            assertThat(at).as("eval_time of %s %s", slo, cohort).isLessThanOrEqualTo(end);
            if (!SloOracle.WINDOWS.containsKey(slo)) {
                continue;
            }
            if (at < end) {
                assertThat(oracle.counts(slo, cohort, at + INTERVAL)[0])
                        .as("%s %s stopped at %s with data in its window", slo, cohort, row.get("eval_time"))
                        .isZero();
            }
            long[] expected = oracle.counts(slo, cohort, at);
            assertThat(asLong(row.get("n"))).as("n of %s %s", slo, cohort).isEqualTo(expected[0]);
            assertThat(asLong(row.get("good"))).as("good of %s %s", slo, cohort).isEqualTo(expected[1]);
            if (SloOracle.TARGETS.containsKey(slo)) {
                double target = SloOracle.TARGETS.get(slo);
                String expectedStatus = expected[0] < 50 ? "insufficient_data" : "ok";
                if (expected[0] > 0) {
                    double p = new BinomialDistribution((int) expected[0], target)
                            .cumulativeProbability((int) expected[1]);
                    assertThat(asDouble(row.get("p_value"))).as("p of %s %s", slo, cohort)
                            .isCloseTo(p, within(1e-9 + 1e-6 * p));
                    if (expected[0] >= 50 && p < 0.01) {
                        expectedStatus = "breach";
                    }
                }
                assertThat(row.get("status")).as("status of %s %s", slo, cohort).isEqualTo(expectedStatus);
            }
            checked.add(slo + "|" + cohort);
        }
        // every series the oracle has reached the table
        assertThat(checked).containsAll(oracle.series());
        return status;
    }

    private static void verifyHistoryAndDeadLetters(String url) throws Exception {

        // full history of two series: one row per 5-minute boundary, each equal to the oracle
        for (String[] series : new String[][] {{"quality.acceptance", "*"}, {"latency.total_p95", "surface=rag"}}) {
            List<Map<String, Object>> history = Tables.rows(url, "SELECT * FROM slo_history WHERE slo = '"
                    + series[0] + "' AND cohort = '" + series[1] + "' ORDER BY eval_time");
            assertThat(history).hasSizeGreaterThan(4 * 288 - 12);
            long previous = Long.MIN_VALUE;
            for (Map<String, Object> row : history) {
                long at = millis(row.get("eval_time"));
                if (previous != Long.MIN_VALUE) {
                    assertThat(at - previous).isEqualTo(INTERVAL);
                }
                previous = at;
                long[] expected = oracle.counts(series[0], series[1], at);
                assertThat(new long[] {asLong(row.get("n")), asLong(row.get("good"))})
                        .as("%s %s at %s", series[0], series[1], row.get("eval_time"))
                        .containsExactly(expected);
            }
        }

        // the simulator's invalid lines are dead letters with a reason naming the problem
        List<Map<String, Object>> dead = Tables.rows(url, "SELECT source, reason FROM dead_letters");
        assertThat(dead).isNotEmpty();
        assertThat(dead).allSatisfy(d -> assertThat((String) d.get("reason")).isNotBlank());
    }

    private static String statusOf(List<Map<String, Object>> rows, String slo, String cohort) {
        return rows.stream()
                .filter(r -> slo.equals(r.get("slo")) && cohort.equals(r.get("cohort")))
                .map(r -> (String) r.get("status"))
                .findFirst()
                .orElse("missing");
    }
}
