package io.llmslo.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.llmslo.dashboard.DashboardQueries;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} of the dashboard server: the {@code slo_status} table read at scrape time
 * and written in Prometheus's text exposition format (0.0.4). Reading the tables, not the job,
 * means it works for every deployment (local replay, cluster, several jobs into one database)
 * and shows exactly what the tables say.
 */
public final class SloMetricsEndpoint implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SloMetricsEndpoint.class);

    /** Default fence on exported (slo, cohort) rows, far above a capped job's row count. */
    public static final int DEFAULT_MAX_SERIES = 20_000;

    private static final String SQL = "SELECT slo, cohort, eval_time, \"window\", n, good, value, target, p_value, "
            + "status, burn_1h, burn_6h, burn_24h, burn_7d, budget_remaining, alert, quantile_value "
            + "FROM slo_status ORDER BY slo, cohort";

    private final DashboardQueries queries;
    private final int maxSeries;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public SloMetricsEndpoint(DashboardQueries queries, int maxSeries) {
        this.queries = queries;
        this.maxSeries = maxSeries;
    }

    /** All rows of {@code slo_status}; none while the job has not created the table. */
    public List<StatusRow> rows() throws SQLException {
        List<StatusRow> rows = new ArrayList<>();
        try (Connection c = queries.readConnection()) {
            if (!DashboardQueries.exists(c, "slo_status")) {
                return rows;
            }
            try (PreparedStatement ps = c.prepareStatement(SQL); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String t = rs.getString("eval_time");
                    rows.add(new StatusRow(rs.getString("slo"), rs.getString("cohort"),
                            t == null ? 0 : DashboardQueries.parseUtc(t), rs.getString("window"),
                            rs.getLong("n"), rs.getLong("good"), dbl(rs, "value"), dbl(rs, "target"),
                            dbl(rs, "p_value"), rs.getString("status"), dbl(rs, "burn_1h"), dbl(rs, "burn_6h"),
                            dbl(rs, "burn_24h"), dbl(rs, "burn_7d"), dbl(rs, "budget_remaining"),
                            rs.getString("alert"), dbl(rs, "quantile_value")));
                }
            }
        }
        return rows;
    }

    /** The exposition text of the current table. */
    public byte[] scrape() throws SQLException, IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        writer.write(buf, SloMetrics.snapshot(rows(), maxSeries));
        return buf.toByteArray();
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            int code = 200;
            String type = writer.getContentType();
            try {
                body = scrape();
            } catch (SQLException e) {
                // a failed scrape shows in Prometheus as up == 0 with this text, not as stale gauges
                LOG.warn("/metrics: {}", e.getMessage());
                body = ("database unavailable: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
                code = 503;
                type = "text/plain; charset=utf-8";
            }
            ex.getResponseHeaders().set("Content-Type", type);
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = "HEAD".equals(ex.getRequestMethod());
            ex.sendResponseHeaders(code, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private static Double dbl(ResultSet rs, String col) throws SQLException {
        double v = rs.getDouble(col);
        return rs.wasNull() || Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }
}
