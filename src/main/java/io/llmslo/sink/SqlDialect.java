package io.llmslo.sink;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The one place the two databases differ: how a UTC instant is written into a TIMESTAMP column.
 * PostgreSQL gets a {@code timestamp without time zone} holding UTC; SQLite, which has no
 * timestamp type, gets its own datetime text {@code YYYY-MM-DD HH:MM:SS.SSS} (UTC), which its
 * date functions and string ordering both understand.
 */
public enum SqlDialect {
    POSTGRES,
    SQLITE;

    private static final DateTimeFormatter SQLITE_TS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    public static SqlDialect of(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:sqlite:") ? SQLITE : POSTGRES;
    }

    public void setTimestamp(PreparedStatement ps, int index, Long epochMillis) throws SQLException {
        if (epochMillis == null || epochMillis == Long.MIN_VALUE) {
            ps.setNull(index, this == SQLITE ? Types.VARCHAR : Types.TIMESTAMP);
        } else if (this == SQLITE) {
            ps.setString(index, SQLITE_TS.format(Instant.ofEpochMilli(epochMillis)));
        } else {
            ps.setObject(index, LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC));
        }
    }

    public static void setDouble(PreparedStatement ps, int index, Double v) throws SQLException {
        if (v == null || v.isNaN() || v.isInfinite()) {
            ps.setNull(index, Types.DOUBLE);
        } else {
            ps.setDouble(index, v);
        }
    }

    public static void setString(PreparedStatement ps, int index, String v) throws SQLException {
        if (v == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, v);
        }
    }
}
