package io.llmslo.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmslo.cli.JobRunner;
import io.llmslo.dashboard.DashboardExtension;
import io.llmslo.dashboard.DashboardQueries;
import io.llmslo.dashboard.DashboardServer;
import io.llmslo.testing.LocalServer;
import io.llmslo.testing.SreReplay;
import io.llmslo.testing.Tables;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's {@code prometheus}) scrapes the dashboard's {@code /metrics} over the
 * tables of a replay; what its HTTP query API answers must be what {@code slo_status} holds, row
 * by row (the source of every expected value is the table itself).
 */
class PrometheusScrapeITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static String url;

    @BeforeAll
    static void replay() throws Exception {
        SreReplay.simulate(dir);
        url = "jdbc:sqlite:" + dir.resolve("prom.db");
        JobRunner.run(SreReplay.job(dir, url, ""));
    }

    @Test
    void prometheusQueriesReturnWhatSloStatusHolds() throws Exception {
        Path bin = LocalServer.binary("/usr/bin/prometheus");
        Assumptions.assumeTrue(bin != null, "Debian package 'prometheus' not installed (/usr/bin/prometheus): "
                + "apt-get install prometheus (.ci/run does)");
        List<Map<String, Object>> table = Tables.rows(url, "SELECT * FROM slo_status ORDER BY slo, cohort");
        assertThat(table).hasSizeGreaterThan(50);

        DashboardQueries queries = new DashboardQueries(url, null, null);
        try (DashboardServer dash = DashboardServer.start(queries, 0)) {
            DashboardExtension.installAll(dash, queries); // as `dashboard` does: /metrics from META-INF/services
            int port = LocalServer.freePort();
            Path cfg = dir.resolve("prometheus.yml");
            Files.writeString(cfg, """
                    global: {scrape_interval: 1s, evaluation_interval: 1s}
                    scrape_configs:
                      - job_name: llm-slo-dashboard
                        metrics_path: /metrics
                        static_configs: [{targets: ['127.0.0.1:%d']}]
                    """.formatted(dash.port()));
            try (LocalServer prom = LocalServer.start(bin, port, dir, "/-/ready", List.of(
                    "--config.file=" + cfg, "--web.listen-address=127.0.0.1:" + port,
                    "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.enable-lifecycle"))) {
                // wait for the first complete scrape (a start-up bound, not a timing assertion)
                JsonNode count = null;
                for (int i = 0; i < 600; i++) {
                    count = query(prom, "count(llmslo_slo_events)");
                    if (count.size() == 1 && count.get(0).path("value").get(1).asInt() == table.size()) {
                        break;
                    }
                    Thread.sleep(100);
                }
                assertThat(count.get(0).path("value").get(1).asInt()).isEqualTo(table.size());

                Map<String, JsonNode> events = bySeries(query(prom, "llmslo_slo_events"));
                Map<String, JsonNode> good = bySeries(query(prom, "llmslo_slo_good_events"));
                Map<String, JsonNode> value = bySeries(query(prom, "llmslo_slo_value"));
                Map<String, JsonNode> target = bySeries(query(prom, "llmslo_slo_target"));
                Map<String, JsonNode> burn1h = bySeries(query(prom, "llmslo_slo_burn_rate{window=\"1h\"}"));
                Map<String, JsonNode> budget = bySeries(query(prom, "llmslo_slo_budget_remaining"));
                Map<String, JsonNode> status = bySeries(query(prom, "llmslo_slo_status == 1"));
                Map<String, JsonNode> alert = bySeries(query(prom, "llmslo_slo_alert == 1"));
                int breaches = 0;
                int firing = 0;
                for (Map<String, Object> row : table) {
                    String k = row.get("slo") + "|" + row.get("cohort");
                    assertThat(number(events.get(k))).as(k).isEqualTo((double) Tables.asLong(row.get("n")));
                    assertThat(number(good.get(k))).as(k).isEqualTo((double) Tables.asLong(row.get("good")));
                    assertSame(k, value.get(k), row.get("value"));
                    assertSame(k, target.get(k), row.get("target"));
                    assertSame(k, burn1h.get(k), row.get("burn_1h"));
                    assertSame(k, budget.get(k), row.get("budget_remaining"));
                    assertThat(status.get(k).path("metric").path("status").asText()).as(k).isEqualTo(row.get("status"));
                    if (row.get("alert") == null) {
                        assertThat(alert).as(k).doesNotContainKey(k);
                    } else {
                        firing++;
                        assertThat(alert.get(k).path("metric").path("severity").asText()).as(k).isEqualTo(row.get("alert"));
                    }
                    breaches += "breach".equals(row.get("status")) ? 1 : 0;
                }
                // the cohort's dimensions are labels: the chat regression is selectable by surface
                JsonNode chat = query(prom, "llmslo_slo_status{slo=\"quality.acceptance\",surface=\"chat\",status=\"breach\"} == 1");
                assertThat(chat.size()).isGreaterThan(0);
                assertThat(breaches).isGreaterThan(0);
                assertThat(firing).isGreaterThan(0);
                Files.createDirectories(Path.of("target", "sre-evidence"));
                Files.writeString(Path.of("target", "sre-evidence", "prometheus-query.json"),
                        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(chat));
                System.out.println("Prometheus query llmslo_slo_status{slo=\"quality.acceptance\",surface=\"chat\","
                        + "status=\"breach\"} == 1 -> " + chat);
                System.out.println("Prometheus query count by (severity) (llmslo_slo_alert == 1) -> "
                        + query(prom, "count by (severity) (llmslo_slo_alert == 1)"));
            }
        }
    }

    private static JsonNode query(LocalServer prom, String promql) throws Exception {
        var res = prom.get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        JsonNode body = JSON.readTree(res.body());
        assertThat(body.path("status").asText()).as(res.body()).isEqualTo("success");
        return body.path("data").path("result");
    }

    private static Map<String, JsonNode> bySeries(JsonNode result) {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode r : result) {
            String k = r.path("metric").path("slo").asText() + "|" + r.path("metric").path("cohort").asText();
            assertThat(out.put(k, r)).as("one sample per series: " + k).isNull();
        }
        return out;
    }

    private static double number(JsonNode sample) {
        return Double.parseDouble(sample.path("value").get(1).asText());
    }

    /** Prometheus prints floats in shortest round-trip form: equal to the table's double exactly. */
    private static void assertSame(String k, JsonNode sample, Object column) {
        if (column == null) {
            assertThat(sample).as(k + ": an empty column exports no sample").isNull();
        } else {
            assertThat(sample).as(k).isNotNull();
            assertThat(number(sample)).as(k).isEqualTo(Tables.asDouble(column));
        }
    }
}
