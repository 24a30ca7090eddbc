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
                // 16 KiB pages (the default is 4): fewer B-tree pages per ~300-byte history row;
                // only a new, empty database takes it, so it goes before the switch to WAL
                s.execute("PRAGMA page_size = 16384");
                s.execute("PRAGMA journal_mode = WAL");
                // SQLite is the embedded default (demo, local replays): committed transactions survive
                // a crash of the job's process (they are in the OS's file cache), which is what
                // restore-and-replay needs; durability across an OS crash or power loss is left to
                // PostgreSQL. Without the fsync at every WAL checkpoint the demo's 4.5 M history rows
                // write in about half the wall time.
                s.execute("PRAGMA synchronous = OFF");
                // bulk writes (a replayed month is ~4.5 M slo_history rows): keep the hot B-tree
                // pages of every series in memory (64 MiB; the default 2 MiB thrashes across ~450
                // interleaved series) and checkpoint the WAL every ~40 MiB instead of every 4 MiB
                s.execute("PRAGMA cache_size = -65536");
                s.execute("PRAGMA wal_autocheckpoint = 2500");
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
