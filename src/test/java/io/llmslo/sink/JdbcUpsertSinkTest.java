package io.llmslo.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.slo.JudgeCorrection;
import io.llmslo.slo.SloStatus;
import io.llmslo.testing.Postgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sink's narrow statement (rows whose judge columns are null bind 24 parameters instead of
 * 34) stores exactly what the full upsert stores, on SQLite and PostgreSQL, including a key that
 * gains and loses its judge columns across batches, and a replay of the same rows (a restore)
 * leaves the table as it was.
 */
class JdbcUpsertSinkTest {

    @TempDir
    static java.nio.file.Path dir;

    static Stream<String> databases() {
        return Stream.of("sqlite", "postgres");
    }

    private static String url(String db) throws SQLException {
        if (db.equals("sqlite")) {
            return "jdbc:sqlite:" + dir.resolve(UUID.randomUUID() + ".db");
        }
        String base = Postgres.url();
        String schema = "s" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(base, new Properties()); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    static SloStatus row(String slo, String cohort, long t, double value, JudgeCorrection.Columns judge) {
        return new SloStatus(slo, cohort, t, "7d", 100, 90, value, 0.88, value - 0.05, value + 0.05, 0.2,
                SloStatus.OK, 0.5, null, 1.5, 0.9, 0.4, null, null, Double.NaN, 1.2, 59246.0, 6.7e-5, null,
                judge);
    }

    static JudgeCorrection.Columns judge(double corrected) {
        return new JudgeCorrection.Columns(corrected, corrected - 0.1, corrected + 0.1, 0.7, 40, 12, "cohort", 0.8,
                30, "ok");
    }

    /** Batch 1: narrow + full rows mixed; batch 2: one key gains, one loses its judge columns. */
    static List<List<SloStatus>> batches() {
        String a = "quality.acceptance";
        String j = "quality.judge_high";
        return List.of(
                List.of(row(a, "*", 300_000, 0.91, null), row(j, "*", 300_000, 0.93, judge(0.9)),
                        row(a, "surface=chat", 300_000, 0.89, null), row(j, "surface=chat", 300_000, 0.95, null)),
                List.of(row(j, "*", 300_000, 0.92, null), row(j, "surface=chat", 300_000, 0.94, judge(0.85)),
                        row(a, "*", 600_000, 0.90, null)));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void narrowRowsStoreWhatTheFullUpsertStores(String db) throws Exception {
        TableSpec<SloStatus> spec = TableSchemas.sloHistory();
        assertThat(spec.narrowUpsert()).contains("judge_corrected = NULL").doesNotContain("judge_gate)");

        String viaSink = url(db);
        JdbcSettings settings = new JdbcSettings(viaSink, null, null, 2, 0);
        JdbcUpsertSink.Writer<SloStatus> w = new JdbcUpsertSink.Writer<>(settings, spec, null);
        for (List<SloStatus> batch : batches()) {
            for (SloStatus s : batch) {
                w.write(s, null);
            }
            w.flush(false);
        }
        // a restore re-emits the same rows: they overwrite themselves
        for (List<SloStatus> batch : batches()) {
            for (SloStatus s : batch) {
                w.write(s, null);
            }
        }
        w.flush(true);
        w.close();

        String reference = url(db);
        try (Connection c = new JdbcSettings(reference, null, null, 1, 0).connect()) {
            TableSchemas.create(c, spec);
            try (PreparedStatement ps = c.prepareStatement(spec.upsert())) {
                for (List<SloStatus> batch : batches()) {
                    for (SloStatus s : batch) {
                        spec.bind(ps, s, SqlDialect.of(reference));
                        ps.executeUpdate();
                    }
                }
            }
        }

        List<List<Object>> got = rows(viaSink);
        assertThat(got).hasSize(5).isEqualTo(rows(reference));
        // hand check of the key that lost its judge columns and the one that gained them
        int judgeCorrected = 25; // the 25th column
        assertThat(got.get(3).get(0)).isEqualTo("quality.judge_high");
        assertThat(got.get(3).get(1)).isEqualTo("*");
        assertThat(got.get(3).get(judgeCorrected - 1)).isNull();
        assertThat(got.get(4).get(1)).isEqualTo("surface=chat");
        assertThat(((Number) got.get(4).get(judgeCorrected - 1)).doubleValue()).isEqualTo(0.85);
    }

    /**
     * One writer for both tables ({@link JdbcUpsertSink#statusAndHistory}) stores what a writer per
     * table stores: every row in slo_history, the last per (slo, cohort) in slo_status, across
     * flushes mid-batch (batch size 3), a series absent from a batch, a row of an instant already
     * written (the replay) and rows out of key order.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void oneWriterForStatusAndHistoryStoresWhatOnePerTableStores(String db) throws Exception {
        List<SloStatus> rows = new ArrayList<>();
        batches().forEach(rows::addAll);
        rows.add(row("latency.ttft_p95", "surface=agent", 300_000, 0.97, null));
        rows.add(row("quality.acceptance", "*", 900_000, 0.80, null));
        batches().forEach(rows::addAll); // a restore re-emits rows already written

        String combined = url(db);
        JdbcUpsertSink.Writer<SloStatus> both = new JdbcUpsertSink.Writer<>(
                new JdbcSettings(combined, null, null, 3, 0), new StatusHistoryBuffer(), null);
        String separate = url(db);
        JdbcSettings perTable = new JdbcSettings(separate, null, null, 1000, 0);
        JdbcUpsertSink.Writer<SloStatus> history = new JdbcUpsertSink.Writer<>(perTable, TableSchemas.sloHistory(), null);
        JdbcUpsertSink.Writer<SloStatus> status = new JdbcUpsertSink.Writer<>(perTable, TableSchemas.sloStatus(), null);
        for (SloStatus r : rows) {
            both.write(r, null);
            history.write(r, null);
            status.write(r, null);
        }
        for (JdbcUpsertSink.Writer<SloStatus> w : List.of(both, history, status)) {
            w.flush(true);
            w.close();
        }

        assertThat(rows(combined, "slo_history")).hasSize(7).isEqualTo(rows(separate, "slo_history"));
        List<List<Object>> got = rows(combined, "slo_status");
        assertThat(got).hasSize(5).isEqualTo(rows(separate, "slo_status"));
        // by hand: the last row to arrive per series wins (the replayed 600 000 at 0.90), as per table
        assertThat(got.get(0).subList(0, 2)).containsExactly("latency.ttft_p95", "surface=agent");
        assertThat(got.get(1).subList(0, 2)).containsExactly("quality.acceptance", "*");
        assertThat(((Number) got.get(1).get(6)).doubleValue()).isEqualTo(0.90);
    }

    private static List<List<Object>> rows(String url) throws SQLException {
        return rows(url, "slo_history");
    }

    private static List<List<Object>> rows(String url, String table) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        String order = table.equals("slo_history") ? "slo, cohort, eval_time" : "slo, cohort";
        try (Connection c = new JdbcSettings(url, null, null, 1, 0).connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY " + order)) {
            int cols = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> r = new ArrayList<>();
                for (int i = 1; i <= cols; i++) {
                    r.add(rs.getObject(i));
                }
                out.add(r);
            }
        }
        return out;
    }
}
