package io.llmslo.sink;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Where the tables live. The password is read from the named environment variable when a
 * connection opens, so it is never part of the job graph, a log line or an exception.
 */
public record JdbcSettings(String url, String user, String passwordEnv, int batchSize, long flushIntervalMs)
        implements Serializable {

    public Connection connect() throws SQLException {
        Properties props = credentials(user, passwordEnv);
        loadDriver(url);
        Connection c = DriverManager.getConnection(url, props);
        if (SqlDialect.of(url) == SqlDialect.SQLITE) {
            // several sink writers share one file: wait for the lock instead of failing
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 60000");
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = NORMAL");
                // bulk writes (a replayed month is ~4.5 M slo_history rows): keep the hot B-tree
                // pages of every series in memory (64 MiB; the default 2 MiB thrashes across ~450
                // interleaved series) and checkpoint the WAL every ~40 MiB instead of every 4 MiB
                s.execute("PRAGMA cache_size = -65536");
                s.execute("PRAGMA wal_autocheckpoint = 10000");
                s.execute("PRAGMA temp_store = MEMORY");
            }
        }
        return c;
    }

    /** User and password (from the named environment variable, read now) as JDBC properties. */
    public static Properties credentials(String user, String passwordEnv) {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (passwordEnv != null) {
            String password = System.getenv(passwordEnv);
            if (password != null) {
                props.setProperty("password", password);
            }
        }
        return props;
    }

    /** Drivers inside a job jar are not seen by DriverManager's service loading on a cluster. */
    public static void loadDriver(String url) {
        String driver = SqlDialect.of(url) == SqlDialect.SQLITE ? "org.sqlite.JDBC" : "org.postgresql.Driver";
        try {
            Class.forName(driver);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("JDBC driver " + driver + " is not on the classpath", e);
        }
    }

    /** The URL without credentials a user may have put in its query string. */
    public String redactedUrl() {
        return redact(url);
    }

    public static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password|pwd|secret|token)=[^&;]*", "$1=***");
    }
}
