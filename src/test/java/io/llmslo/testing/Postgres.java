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
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL for the tests. {@code LLMSLO_PG_URL} (e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/llmslo?user=llmslo&password=llmslo}) points them at a
 * server of your own; without it the first {@link #url()} starts PostgreSQL 17 from the
 * {@code io.zonky.test} jars on a free loopback port, once per test JVM, so every PostgreSQL test
 * runs on any machine with Java and Maven. Each test run gets its own schema, so runs can be
 * compared table by table and never see each other's rows.
 */
public final class Postgres {

    public static final String ENV = "LLMSLO_PG_URL";

    /** The tables every run is compared by. */
    public static final List<String> RESULT_TABLES = List.of("slo_status", "slo_history", "slo_alerts", "dead_letters");

    private Postgres() {}

    private static String embeddedUrl;

    public static String url() {
        String url = System.getenv(ENV);
        return url != null && !url.isBlank() ? url : embedded();
    }

    /** Started on first use and stopped when the JVM exits (the data directory is a temp dir). */
    private static synchronized String embedded() {
        if (embeddedUrl == null) {
            try {
                EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("fsync", "off")
                        .start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        pg.close();
                    } catch (java.io.IOException e) {
                        System.err.println("embedded PostgreSQL did not stop: " + e);
                    }
                }));
                embeddedUrl = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres?user=postgres";
                System.out.println("[postgres] " + ENV + " not set: started embedded PostgreSQL at " + embeddedUrl);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot start embedded PostgreSQL (set " + ENV + " to use a server)", e);
            }
        }
        return embeddedUrl;
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
