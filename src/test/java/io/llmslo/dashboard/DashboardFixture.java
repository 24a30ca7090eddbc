package io.llmslo.dashboard;

import io.llmslo.event.DeadLetter;
import io.llmslo.judge.CalibrationRow;
import io.llmslo.judge.JudgeResult;
import io.llmslo.sink.SqlDialect;
import io.llmslo.sink.TableSchemas;
import io.llmslo.sink.TableSpec;
import io.llmslo.slo.AlertEvent;
import io.llmslo.slo.SloStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A small SQLite database in the exact DDL of {@link TableSchemas}, rows written through the
 * tables' own upsert and binders (as the job writes them): a few (slo, cohort) statuses of every
 * family, a history, alert transitions covering the open/resolved cases, judge rows and dead letters.
 */
final class DashboardFixture {

    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    /** The latest evaluation in the fixture. */
    static final long NOW = Instant.parse("2026-11-04T12:00:00Z").toEpochMilli();

    static final String CHAT_M2 = "surface=chat,model=m-2";
    static final String AGENT_JA = "surface=agent,locale=ja-JP";
    /** Cohort values come from event data: the page must show this as text, never as markup. */
    static final String HOSTILE = "surface=<img src=x onerror=alert(1)>";

    private DashboardFixture() {}

    static String create(Path dir) throws SQLException {
        String url = "jdbc:sqlite:" + dir.resolve("dash.db");
        try (Connection c = DriverManager.getConnection(url)) {
            for (TableSpec<?> t : TableSchemas.all()) {
                TableSchemas.create(c, t);
            }
            c.setAutoCommit(false); // one transaction: a commit per row would fsync ~100 times
            write(c, TableSchemas.sloStatus(), List.of(
                    status("quality.acceptance", "*", 0.931, 0.88, 5_000, "ok", null, null, 0.925),
                    status("quality.acceptance", CHAT_M2, 0.712, 0.88, 820, "breach", "page", null, 0.905),
                    status("quality.refusal_drift", "*", 0.002, 0.015, 30, "insufficient_data", null, null, 0.99),
                    status("latency.ttft_p95", "surface=chat", 0.972, 0.95, 2_400, "ok", null, 540.0, 0.971),
                    status("cost.p95", AGENT_JA, 0.61, 0.95, 310, "breach", "ticket", 0.31, 0.96),
                    status("availability.success", "*", 0.99962, 0.9995, 41_000, "ok", null, null, 0.9997),
                    status("availability.success", HOSTILE, 1.0, 0.9995, 12, "insufficient_data", null, null, null)));
            List<SloStatus> history = new java.util.ArrayList<>();
            for (int h = 0; h < 72; h++) {
                long t = NOW - (71 - h) * HOUR;
                double v = h < 40 ? 0.90 : 0.72;
                history.add(historyRow("quality.acceptance", CHAT_M2, t, v, h < 40 ? "ok" : "breach"));
            }
            // older than 30 days before the latest row: outside the default chart
            history.add(historyRow("quality.acceptance", CHAT_M2, NOW - 40 * DAY, 0.95, "ok"));
            history.add(historyRow("quality.acceptance", "*", NOW, 0.931, "ok"));
            write(c, TableSchemas.sloHistory(), history);
            write(c, TableSchemas.sloAlerts(), List.of(
                    // fired and still firing: open
                    alert("quality.acceptance", CHAT_M2, "page", "firing", NOW - 30 * HOUR, 7.1),
                    // fired, resolved, fired again: open since the second firing
                    alert("cost.p95", AGENT_JA, "ticket", "firing", NOW - 10 * HOUR, 4.0),
                    alert("cost.p95", AGENT_JA, "ticket", "resolved", NOW - 9 * HOUR, 0.5),
                    alert("cost.p95", AGENT_JA, "ticket", "firing", NOW - 3 * HOUR, 5.5),
                    // fired and resolved: not open
                    alert("availability.success", "*", "page_rollback", "firing", NOW - 5 * DAY, 20.0),
                    alert("availability.success", "*", "page_rollback", "resolved", NOW - 5 * DAY + HOUR, 0.1),
                    // resolved at the very instant it fired: not open
                    alert("latency.ttft_p95", "surface=chat", "ticket", "firing", NOW - 2 * DAY, 3.2),
                    alert("latency.ttft_p95", "surface=chat", "ticket", "resolved", NOW - 2 * DAY, 0.9)));
            write(c, TableSchemas.deadLetters(), List.of(
                    DeadLetter.of("responses", NOW - DAY, "invalid_json", "{oops"),
                    DeadLetter.of("responses", NOW - HOUR, "invalid_json", "{oops again"),
                    DeadLetter.of("feedback", null, "orphan", "{\"request_id\":\"r-9\"}")));
            write(c, TableSchemas.judgeScores(), List.of(
                    judge("r-1", 5, null), judge("r-2", 4, null), judge("r-3", null, "timeout")));
            write(c, TableSchemas.judgeCalibration(), List.of(
                    new CalibrationRow("helpfulness", 3, "judge-model", NOW - DAY, 180, 0.55, 0.9, 0.86, 0.61, 0.12,
                            0.8, false, "30d", 180, 0.86, 0.80, 0.90, 0.61, true),
                    new CalibrationRow("helpfulness", 3, "judge-model", NOW, 240, 0.5, 0.88, 0.75, null, 0.3,
                            0.8, true, "30d", 240, 0.75, 0.69, 0.80, null, false)));
            c.commit();
        }
        return url;
    }

    /** Adds status and history rows to a fixture database (tests that need more cohorts). */
    static void add(String url, List<SloStatus> status, List<SloStatus> history, List<AlertEvent> alerts)
            throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            write(c, TableSchemas.sloStatus(), status);
            write(c, TableSchemas.sloHistory(), history);
            write(c, TableSchemas.sloAlerts(), alerts);
            c.commit();
        }
    }

    private static <T> void write(Connection c, TableSpec<T> spec, List<T> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(spec.upsert())) {
            for (T row : rows) {
                spec.bind(ps, row, SqlDialect.SQLITE);
                ps.executeUpdate();
            }
        }
    }

    static SloStatus status(String slo, String cohort, double value, double target, long n,
            String status, String alert, Double quantile, Double ago) {
        long good = Math.round(value * n);
        boolean drift = slo.endsWith("refusal_drift");
        return new SloStatus(slo, cohort, NOW, "24h", n, good, value, target, value - 0.01, Math.min(1, value + 0.01),
                status.equals("breach") ? 1e-6 : 0.4, status,
                drift ? null : 0.8, drift ? null : 1.2, drift ? null : 2.5, drift ? null : 0.9,
                drift ? null : (status.equals("breach") ? -0.4 : 0.72), alert, quantile, ago);
    }

    static SloStatus historyRow(String slo, String cohort, long t, double v, String status) {
        return new SloStatus(slo, cohort, t, "7d", 800, Math.round(800 * v), v, 0.88, v - 0.02, v + 0.02,
                status.equals("breach") ? 1e-5 : 0.5, status, 1.0, 1.0, 1.0, 1.0, 0.5, null, null, null);
    }

    static AlertEvent alert(String slo, String cohort, String severity, String state, long at, double burn) {
        return new AlertEvent(slo, cohort, severity, state, at, "6h", "30m", burn, burn * 1.1, 1e-4, 900);
    }

    private static JudgeResult judge(String id, Integer score, String error) {
        return new JudgeResult(id, NOW - HOUR, Map.of("surface", "chat"), "helpfulness", 3, 4, "offline-minilm",
                score, score == null ? null : "fine", 12, error, 0, 0);
    }
}
