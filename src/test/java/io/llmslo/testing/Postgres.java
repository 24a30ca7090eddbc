package io.llmslo.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The real PostgreSQL of the CI ({@code .ci/run} exports {@code LLMSLO_PG_URL}, e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/llmslo?user=llmslo&password=llmslo}). Tests that need
 * it call {@link #url()}, which skips them when the variable is absent. Each test run gets its own
 * schema, so runs can be compared table by table and never see each other's rows.
 */
public final class Postgres {

    public static final String ENV = "LLMSLO_PG_URL";

    /** The tables every run is compared by. */
    public static final List<String> RESULT_TABLES = List.of("slo_status", "slo_history", "slo_alerts", "dead_letters");

    private Postgres() {}

    public static String url() {
        String url = System.getenv(ENV);
        Assumptions.assumeTrue(url != null && !url.isBlank(), ENV + " is not set: no PostgreSQL to test against");
        return url;
    }

    /** A fresh, empty schema; the returned URL makes it the current one for every connection. */
    public static String freshSchema(String schema) throws SQLException {
        String base = url();
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
        }
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** Every row of a table as text, sorted, for whole-table comparisons. */
    public static List<String> rows(String url, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    sb.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        }
        out.sort(null);
        return out;
    }

    public static Map<String, List<String>> results(String url) throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String t : RESULT_TABLES) {
            out.put(t, rows(url, t));
        }
        return out;
    }

    public static long count(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(sql)) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return 0; // the sink has not created the table yet
            }
            throw e;
        }
    }
}
