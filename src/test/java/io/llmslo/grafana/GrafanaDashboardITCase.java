package io.llmslo.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmslo.judge.CalibrationRow;
import io.llmslo.sink.SqlDialect;
import io.llmslo.sink.TableSchemas;
import io.llmslo.sink.TableSpec;
import io.llmslo.slo.AlertEvent;
import io.llmslo.slo.SloStatus;
import io.llmslo.testing.Postgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every SQL query of the Grafana dashboard ({@code grafana/dashboards/llm-slo.json}) runs on a
 * real PostgreSQL against the job's own DDL ({@link TableSchemas}), with Grafana's macros expanded
 * as its PostgreSQL data source expands them, and the four headline panels (the main page's
 * panels) read the row of the selected cohort. PostgreSQL: {@code LLMSLO_PG_URL}, or an embedded
 * one started by {@link Postgres}.
 */
class GrafanaDashboardITCase {

    private static final Path DASHBOARD = Path.of("grafana/dashboards/llm-slo.json");
    private static final long NOW = Instant.parse("2026-11-04T12:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;
    static final List<String> HEADLINES =
            List.of("quality.acceptance", "latency.ttft_p95", "cost.p95", "availability.success");

    static String url;
    static JsonNode dashboard;

    @BeforeAll
    static void schemaAndRows() throws Exception {
        dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        url = Postgres.freshSchema("grafana_it");
        try (Connection c = DriverManager.getConnection(url)) {
            for (TableSpec<?> t : TableSchemas.all()) {
                TableSchemas.create(c, t);
            }
            List<SloStatus> status = new ArrayList<>();
            List<SloStatus> history = new ArrayList<>();
            for (String slo : HEADLINES) {
                for (String cohort : List.of("*", "surface=chat")) {
                    status.add(row(slo, cohort, NOW, 0.97));
                    for (int h = 0; h < 48; h++) {
                        history.add(row(slo, cohort, NOW - h * HOUR, 0.96));
                    }
                }
            }
            write(c, TableSchemas.sloStatus(), status);
            write(c, TableSchemas.sloHistory(), history);
            write(c, TableSchemas.sloAlerts(), List.of(
                    new AlertEvent("latency.ttft_p95", "*", "page", "firing", NOW - 10 * HOUR, "6h", "30m", 7.0, 8.0, 1e-6, 900),
                    new AlertEvent("latency.ttft_p95", "*", "page", "resolved", NOW - 8 * HOUR, "6h", "30m", 0.4, 0.3, 0.9, 900)));
            write(c, TableSchemas.judgeCalibration(), List.of(
                    new CalibrationRow("helpfulness", 3, "judge-model", NOW, 240, 0.5, 0.88, 0.75, 0.6, 0.3, 0.8, true,
                            "30d", 240, 0.75, 0.69, 0.80, 0.6, false)));
        }
    }

    @Test
    void everyQueryRunsAgainstTheRealSchema() throws Exception {
        Map<String, String> queries = queries();
        assertThat(queries).hasSizeGreaterThanOrEqualTo(HEADLINES.size() * 3 + 2);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (Map.Entry<String, String> q : queries.entrySet()) {
                String sql = expand(q.getValue());
                assertThat(sql).as(q.getKey()).doesNotContain("$");
                try (ResultSet rs = s.executeQuery(sql)) {
                    int rows = 0;
                    while (rs.next()) {
                        rows++;
                    }
                    assertThat(rows).as("%s returns rows:%n%s", q.getKey(), sql).isPositive();
                } catch (SQLException e) {
                    throw new AssertionError(q.getKey() + " fails on PostgreSQL: " + e.getMessage() + "\n" + sql, e);
                }
            }
        }
    }

    @Test
    void theFourHeadlinePanelsReadTheSelectedCohortsRow() throws Exception {
        List<String> stat = new ArrayList<>();
        for (JsonNode p : dashboard.get("panels")) {
            if ("stat".equals(p.path("type").asText()) && p.path("targets").get(0).path("rawSql").asText().contains("value_7d_ago")) {
                stat.add(p.path("targets").get(0).path("rawSql").asText());
            }
        }
        assertThat(stat).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(stat.get(i)).contains("slo = '" + HEADLINES.get(i) + "'", "cohort = '$cohort'");
            try (Connection c = DriverManager.getConnection(url);
                    PreparedStatement ps = c.prepareStatement(expand(stat.get(i)));
                    ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getDouble("value")).isEqualTo(0.97);
                assertThat(rs.next()).as("one row per (slo, cohort)").isFalse();
            }
        }
        assertThat(dashboard.at("/templating/list/0/name").asText()).isEqualTo("cohort");
        assertThat(dashboard.at("/templating/list/0/current/value").asText()).isEqualTo("*");
    }

    /** Every rawSql of the dashboard (panels, the cohort variable, annotations), by where it is. */
    private static Map<String, String> queries() {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode p : dashboard.get("panels")) {
            for (JsonNode t : p.path("targets")) {
                out.put("panel '" + p.path("title").asText() + "' " + t.path("refId").asText(), t.path("rawSql").asText());
            }
        }
        for (JsonNode v : dashboard.at("/templating/list")) {
            out.put("variable " + v.path("name").asText(), v.path("query").asText());
        }
        for (JsonNode a : dashboard.at("/annotations/list")) {
            out.put("annotation " + a.path("name").asText(), a.at("/target/rawSql").asText());
        }
        out.values().removeIf(String::isBlank);
        return out;
    }

    /** Grafana's PostgreSQL macros as it expands them, over a range holding the fixture rows. */
    static String expand(String sql) {
        return sql.replaceAll("\\$__timeFilter\\(([^)]+)\\)",
                        "$1 BETWEEN '2026-10-01T00:00:00Z'::timestamptz AND '2026-11-05T00:00:00Z'::timestamptz")
                .replace("$cohort", "*");
    }

    private static <T> void write(Connection c, TableSpec<T> spec, List<T> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(spec.upsert())) {
            for (T row : rows) {
                spec.bind(ps, row, SqlDialect.POSTGRES);
                ps.executeUpdate();
            }
        }
    }

    private static SloStatus row(String slo, String cohort, long t, double v) {
        return new SloStatus(slo, cohort, t, "24h", 1000, Math.round(1000 * v), v, 0.95, v - 0.01, v + 0.01, 0.5, "ok",
                0.6, 0.7, 0.8, 0.9, 0.5, null, null, v - 0.01);
    }
}
