package io.llmslo.dashboard;

import static io.llmslo.dashboard.DashboardFixture.AGENT_JA;
import static io.llmslo.dashboard.DashboardFixture.CHAT_M2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardQueriesTest {

    @TempDir
    Path dir;

    DashboardQueries queries;

    @BeforeEach
    void setUp() throws SQLException {
        queries = new DashboardQueries(DashboardFixture.create(dir), null, null);
    }

    @Test
    void statusGroupsRowsByFamilyInCatalogueOrder() throws Exception {
        JsonNode s = roundTrip(queries.status());
        assertThat(s.get("as_of").asText()).isEqualTo("2026-11-04T12:00:00Z");
        assertThat(texts(s.get("families"), "family")).containsExactly("quality", "latency", "cost", "availability");
        assertThat(s.get("cohorts").get(0).asText()).isEqualTo("*");
        assertThat(texts(s.get("cohorts"), null)).contains(CHAT_M2, AGENT_JA, DashboardFixture.HOSTILE);

        JsonNode quality = s.get("families").get(0);
        assertThat(texts(quality.get("rows"), "slo"))
                .containsExactly("quality.acceptance", "quality.acceptance", "quality.refusal_drift");
        assertThat(quality.get("counts").get("ok").asLong()).isEqualTo(1);
        assertThat(quality.get("counts").get("breach").asLong()).isEqualTo(1);
        assertThat(quality.get("counts").get("insufficient_data").asLong()).isEqualTo(1);
        assertThat(quality.get("counts").get("alerts").asLong()).isEqualTo(1);

        JsonNode breach = quality.get("rows").get(1);
        assertThat(breach.get("cohort").asText()).isEqualTo(CHAT_M2);
        assertThat(breach.get("status").asText()).isEqualTo("breach");
        assertThat(breach.get("alert").asText()).isEqualTo("page");
        assertThat(breach.get("value").asDouble()).isEqualTo(0.712);
        assertThat(breach.get("target").asDouble()).isEqualTo(0.88);
        assertThat(breach.get("ci_low").asDouble()).isEqualTo(0.702, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(breach.get("window").asText()).isEqualTo("24h");
        assertThat(breach.get("eval_time").asText()).isEqualTo("2026-11-04T12:00:00Z");
        assertThat(breach.get("budget_remaining").asDouble()).isEqualTo(-0.4);
        assertThat(breach.get("trend").asText()).isEqualTo("down");
        assertThat(breach.get("better").asText()).isEqualTo("higher");
        for (String k : List.of("n", "good", "p_value", "burn_1h", "burn_6h", "burn_24h", "burn_7d",
                "quantile_value", "value_7d_ago")) {
            assertThat(breach.has(k)).as(k).isTrue();
        }
        assertThat(quality.get("rows").get(0).get("trend").asText()).isEqualTo("up");
        // the drift is "lower is better" and its value_7d_ago is not a drift: no arrow, null burns
        JsonNode drift = quality.get("rows").get(2);
        assertThat(drift.get("better").asText()).isEqualTo("lower");
        assertThat(drift.get("trend").isNull()).isTrue();
        assertThat(drift.get("burn_1h").isNull()).isTrue();

        JsonNode latency = s.get("families").get(1).get("rows").get(0);
        assertThat(latency.get("quantile_value").asDouble()).isEqualTo(540.0);
        assertThat(latency.get("trend").asText()).isEqualTo("flat");
        JsonNode availability = s.get("families").get(3);
        assertThat(availability.get("rows")).hasSize(2);
        assertThat(availability.get("rows").get(1).get("value_7d_ago").isNull()).isTrue();
    }

    @Test
    void openAlertsAreFiringRowsWithoutALaterResolvedRow() throws Exception {
        JsonNode a = roundTrip(queries.alerts(5));
        JsonNode open = a.get("open");
        assertThat(open).hasSize(2);
        // highest severity first
        assertThat(open.get(0).get("slo").asText()).isEqualTo("quality.acceptance");
        assertThat(open.get(0).get("cohort").asText()).isEqualTo(CHAT_M2);
        assertThat(open.get(0).get("severity").asText()).isEqualTo("page");
        assertThat(open.get(0).get("since").asText()).isEqualTo("2026-11-03T06:00:00Z");
        assertThat(open.get(0).get("burn_long").asDouble()).isEqualTo(7.1);
        assertThat(open.get(0).get("long_window").asText()).isEqualTo("6h");
        // fired, resolved, fired again: open since the second firing, listed once
        assertThat(open.get(1).get("slo").asText()).isEqualTo("cost.p95");
        assertThat(open.get(1).get("severity").asText()).isEqualTo("ticket");
        assertThat(open.get(1).get("since").asText()).isEqualTo("2026-11-04T09:00:00Z");
        // resolved ones (incl. resolved at the firing instant) are not open
        assertThat(texts(open, "slo")).doesNotContain("availability.success", "latency.ttft_p95");

        JsonNode recent = a.get("recent");
        assertThat(recent).hasSize(5);
        assertThat(recent.get(0).get("at").asText()).isEqualTo("2026-11-04T09:00:00Z");
        assertThat(recent.get(0).get("state").asText()).isEqualTo("firing");
    }

    @Test
    void historyCoversTheLastDaysOfTheKeyAndThinsEvenly() throws Exception {
        JsonNode h = roundTrip(queries.history("quality.acceptance", CHAT_M2, 30, 1000));
        JsonNode points = h.get("points");
        assertThat(points).hasSize(72); // the row 40 days back is outside the 30 days
        assertThat(h.get("to").asText()).isEqualTo("2026-11-04T12:00:00Z");
        assertThat(points.get(71).get("t").asLong()).isEqualTo(DashboardFixture.NOW);
        assertThat(points.get(71).get("status").asText()).isEqualTo("breach");
        assertThat(points.get(0).get("value").asDouble()).isEqualTo(0.90);
        for (String k : List.of("target", "ci_low", "ci_high", "n", "quantile_value", "alert")) {
            assertThat(points.get(0).has(k)).as(k).isTrue();
        }
        assertThat(h.get("alerts")).hasSize(1);
        assertThat(h.get("alerts").get(0).get("severity").asText()).isEqualTo("page");

        assertThat(queries.history("quality.acceptance", CHAT_M2, 60, 1000).get("points")).hasSize(73);
        JsonNode thin = queries.history("quality.acceptance", CHAT_M2, 30, 10).get("points");
        assertThat(thin.size()).isLessThanOrEqualTo(10);
        assertThat(thin.get(thin.size() - 1).get("t").asLong()).isEqualTo(DashboardFixture.NOW);

        assertThat(queries.history("quality.acceptance", "surface=none", 30, 1000).get("points")).isEmpty();
    }

    @Test
    void calibrationShowsTheLatestRowPerRubricVersionWithJudgeVolume() throws Exception {
        JsonNode c = roundTrip(queries.calibration());
        assertThat(c.get("rubrics")).hasSize(1);
        JsonNode r = c.get("rubrics").get(0);
        assertThat(r.get("rubric").asText()).isEqualTo("helpfulness");
        assertThat(r.get("rubric_version").asLong()).isEqualTo(3);
        assertThat(r.get("eval_time").asText()).isEqualTo("2026-11-04T12:00:00Z");
        assertThat(r.get("n_pairs").asLong()).isEqualTo(240);
        assertThat(r.get("useful_agreement").asDouble()).isEqualTo(0.75);
        assertThat(r.get("min_agreement").asDouble()).isEqualTo(0.8);
        assertThat(r.get("kappa").isNull()).isTrue();
        assertThat(r.get("alert").asBoolean()).isTrue();
        assertThat(r.get("judged").asLong()).isEqualTo(3);
        assertThat(r.get("judge_errors").asLong()).isEqualTo(1);
        assertThat(r.get("mean_score").asDouble()).isEqualTo(4.5);
    }

    @Test
    void deadLettersAreCountedBySourceAndReason() throws Exception {
        JsonNode d = roundTrip(queries.deadLetterSummary());
        assertThat(d.get("total").asLong()).isEqualTo(3);
        JsonNode g = d.get("groups");
        assertThat(g).hasSize(2);
        assertThat(g.get(0).get("source").asText()).isEqualTo("responses");
        assertThat(g.get(0).get("reason").asText()).isEqualTo("invalid_json");
        assertThat(g.get(0).get("count").asLong()).isEqualTo(2);
        assertThat(g.get(0).get("last").asText()).isEqualTo("2026-11-04T11:00:00Z");
        assertThat(g.get(1).get("reason").asText()).isEqualTo("orphan");
        assertThat(g.get(1).get("first").isNull()).isTrue();
    }

    @Test
    void aDatabaseWithoutTablesReadsAsEmpty() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("empty.db");
        try (Connection c = java.sql.DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE unrelated (x INTEGER)");
        }
        DashboardQueries empty = new DashboardQueries(url, null, null);
        assertThat(empty.status().get("families")).hasSize(4);
        assertThat(empty.status().get("as_of").isNull()).isTrue();
        assertThat(empty.alerts(10).get("open")).isEmpty();
        assertThat(empty.calibration().get("rubrics")).isEmpty();
        assertThat(empty.deadLetterSummary().get("total").asLong()).isZero();
        assertThat(empty.history("a", "b", 30, 100).get("points")).isEmpty();
        assertThat(empty.tableCounts(List.of("slo_status", "unrelated"))).containsEntry("slo_status", -1L)
                .containsEntry("unrelated", 0L);
    }

    @Test
    void connectionsAreReadOnlyAndNeverCreateADatabase() throws Exception {
        try (Connection c = queries.connect(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("DELETE FROM slo_status")).isInstanceOf(SQLException.class);
        }
        DashboardQueries missing = new DashboardQueries("jdbc:sqlite:" + dir.resolve("nope.db"), null, null);
        assertThatThrownBy(missing::status).isInstanceOf(SQLException.class);
        assertThat(dir.resolve("nope.db")).doesNotExist();
    }

    @Test
    void serverAnswersTheEndpointsAndRejectsBadRequests() throws Exception {
        try (DashboardServer server = DashboardServer.start(queries, 0)) {
            HttpClient http = HttpClient.newHttpClient();
            ObjectMapper m = new ObjectMapper();
            for (String path : List.of("api/status", "api/overview", "api/overview?cohort=surface%3Dchat", "api/alerts", "api/calibration", "api/dead-letters/summary",
                    "api/history?slo=quality.acceptance&cohort=" + java.net.URLEncoder.encode(CHAT_M2, "UTF-8"))) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(path).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                        v -> assertThat(v).startsWith("application/json"));
                assertThat(m.readTree(r.body()).isObject()).isTrue();
            }
            HttpResponse<String> hist = http.send(HttpRequest.newBuilder(server.uri().resolve(
                    "api/history?slo=quality.acceptance&cohort=" + java.net.URLEncoder.encode(CHAT_M2, "UTF-8")
                            + "&days=2")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(m.readTree(hist.body()).get("points").size()).isEqualTo(48);
            assertThat(status(http, server, "api/history?slo=x")).isEqualTo(400);
            assertThat(status(http, server, "api/history?slo=x&cohort=y&days=abc")).isEqualTo(400);
            assertThat(status(http, server, "api/nothing")).isEqualTo(404);
            assertThat(status(http, server, "../pom.xml")).isEqualTo(404);
            assertThat(status(http, server, "dashboard/common.js")).isEqualTo(404);
            assertThat(status(http, server, "api/alerts?limit=99999")).isEqualTo(400);
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(server.uri()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("overview.js", "common.js", "vendor/uPlot.iife.min.js", "app.css");
            assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
            for (String file : List.of("app.css", "common.js", "overview.js", "family.html", "family.js",
                    "vendor/uPlot.iife.min.js", "vendor/uPlot.min.css")) {
                assertThat(status(http, server, file)).as(file).isEqualTo(200);
            }
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(server.uri().resolve("api/status"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }

    @Test
    void trendIgnoresChangesSmallAgainstTheBudget() {
        assertThat(DashboardQueries.trend(0.9996, 0.9995, 0.9995)).isEqualTo("up");
        assertThat(DashboardQueries.trend(0.93, 0.928, 0.88)).isEqualTo("flat");
        assertThat(DashboardQueries.trend(0.90, 0.93, 0.88)).isEqualTo("down");
        assertThat(DashboardQueries.trend(null, 0.93, 0.88)).isNull();
        assertThat(DashboardQueries.parseUtc("2026-10-12 13:00:00")).isEqualTo(
                java.time.Instant.parse("2026-10-12T13:00:00Z").toEpochMilli());
        assertThat(DashboardQueries.parseUtc("2026-10-12 13:00:00.5")).isEqualTo(
                java.time.Instant.parse("2026-10-12T13:00:00.500Z").toEpochMilli());
    }

    private static int status(HttpClient http, DashboardServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.uri() + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static JsonNode roundTrip(JsonNode n) throws Exception {
        return new ObjectMapper().readTree(DashboardQueries.json(n));
    }

    private static List<String> texts(JsonNode arr, String field) {
        List<String> out = new ArrayList<>();
        arr.forEach(n -> out.add(field == null ? n.asText() : n.get(field).asText()));
        return out;
    }
}
