package io.llmslo.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the job's output tables back, the same way for SQLite and PostgreSQL. */
public final class Tables {

    public static final List<String> ALL = List.of(
            "slo_status", "slo_history", "slo_alerts", "dead_letters", "judge_scores", "judge_calibration",
            "review_queue");

    private Tables() {}

    /** Every row as column → value, ordered by the given SQL ORDER BY. */
    public static List<Map<String, Object>> rows(String jdbcUrl, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<Map<String, Object>> out = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    if (v instanceof Number num && !(v instanceof Double) && !(v instanceof Float)) {
                        v = num.longValue();
                    } else if (v instanceof Float f) {
                        v = f.doubleValue();
                    } else if (v != null && !(v instanceof Double) && !(v instanceof String) && !(v instanceof Boolean)) {
                        v = String.valueOf(v);
                    }
                    row.put(md.getColumnLabel(i).toLowerCase(), v);
                }
                out.add(row);
            }
            return out;
        }
    }

    /** A timestamp column as epoch millis (UTC), from SQLite text or a PostgreSQL timestamp. */
    public static long millis(Object value) {
        String s = String.valueOf(value).trim().replace(' ', 'T');
        return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    public static void dropAll(String jdbcUrl) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            for (String t : ALL) {
                s.execute("DROP TABLE IF EXISTS " + t);
            }
        }
    }

    /**
     * Fails unless both databases return the same rows for the query, naming the first rows that
     * differ (a whole-table dump is unreadable at this size).
     */
    public static void assertSameRows(String urlA, String urlB, String sql) throws SQLException {
        List<Map<String, Object>> a = rows(urlA, sql);
        List<Map<String, Object>> b = rows(urlB, sql);
        if (a.equals(b)) {
            return;
        }
        java.util.Set<Map<String, Object>> inA = new java.util.HashSet<>(a);
        java.util.Set<Map<String, Object>> inB = new java.util.HashSet<>(b);
        StringBuilder msg = new StringBuilder(sql + ": " + a.size() + " vs " + b.size() + " rows\n");
        a.stream().filter(r -> !inB.contains(r)).limit(3).forEach(r -> msg.append("  only in A: ").append(r).append('\n'));
        b.stream().filter(r -> !inA.contains(r)).limit(3).forEach(r -> msg.append("  only in B: ").append(r).append('\n'));
        throw new AssertionError(msg.toString());
    }

    public static double asDouble(Object v) {
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    public static long asLong(Object v) {
        return ((Number) v).longValue();
    }

    /** Epoch millis of a TIMESTAMP column: SQLite text {@code YYYY-MM-DD HH:MM:SS.SSS} (UTC) or a JDBC timestamp. */
    public static long asTimestamp(Object v) {
        if (v instanceof java.sql.Timestamp ts) {
            return ts.toLocalDateTime().toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        return java.time.LocalDateTime.parse(v.toString().replace(' ', 'T')).toInstant(java.time.ZoneOffset.UTC)
                .toEpochMilli();
    }

    /** A BOOLEAN column: SQLite keeps 0/1. */
    public static Boolean asBoolean(Object v) {
        if (v == null) {
            return null;
        }
        return v instanceof Boolean b ? b : ((Number) v).intValue() != 0;
    }
}
