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

    /** 0001-01-01 .. 9999-12-31: both databases hold these; anything else is stored as null. */
    private static final long MIN_TS = -62_135_596_800_000L;
    private static final long MAX_TS = 253_402_300_799_999L;

    public void setTimestamp(PreparedStatement ps, int index, Long epochMillis) throws SQLException {
        if (epochMillis == null || epochMillis < MIN_TS || epochMillis > MAX_TS) {
            ps.setNull(index, this == SQLITE ? Types.VARCHAR : Types.TIMESTAMP);
        } else if (this == SQLITE) {
            ps.setString(index, sqliteText(epochMillis));
        } else {
            ps.setObject(index, LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC));
        }
    }

    /**
     * Timestamp text, memoised: a history batch holds a few hundred series at the same few
     * evaluation instants, so formatting each instant once per batch instead of once per row
     * takes a visible share off a replay's write cost. Bounded: cleared when full.
     */
    private static final java.util.concurrent.ConcurrentHashMap<Long, String> TEXT = new java.util.concurrent.ConcurrentHashMap<>();

    private static String sqliteText(long epochMillis) {
        String t = TEXT.get(epochMillis);
        if (t == null) {
            if (TEXT.size() > 4096) {
                TEXT.clear();
            }
            t = SQLITE_TS.format(Instant.ofEpochMilli(epochMillis));
            TEXT.put(epochMillis, t);
        }
        return t;
    }

    public static void setDouble(PreparedStatement ps, int index, Double v) throws SQLException {
        if (v == null || v.isNaN() || v.isInfinite()) {
            ps.setNull(index, Types.DOUBLE);
        } else {
            ps.setDouble(index, v);
        }
    }

    /** Every text column is written through here, sanitised (see {@link #text(String)}). */
    public static void setString(PreparedStatement ps, int index, String v) throws SQLException {
        if (v == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, textAt(index, v));
        }
    }

    /** A value and its sanitised text; immutable, so threads sharing {@link #LAST} see consistent pairs. */
    private record Clean(String raw, String text) {}

    /**
     * The last text sanitised per parameter index. A history batch is written series by series,
     * so consecutive rows repeat their slo and cohort text: comparing with the previous row's
     * value (an intrinsic array compare) is cheaper than scanning every character again. Shared
     * by all writers of the process; a value another writer put there is only a miss.
     */
    private static final Clean[] LAST = new Clean[64];

    private static String textAt(int index, String v) {
        if (index >= LAST.length) {
            return text(v);
        }
        Clean last = LAST[index];
        if (last != null && last.raw().equals(v)) {
            return last.text();
        }
        String t = text(v);
        LAST[index] = new Clean(v, t);
        return t;
    }

    /**
     * PostgreSQL text cannot hold NUL ({@code invalid byte sequence for encoding "UTF8": 0x00}
     * fails the whole batch) and an unpaired surrogate has no UTF-8 form: NUL becomes U+2400
     * (the visible symbol for NUL), an unpaired surrogate U+FFFD. Dead letters keep the hash of
     * the raw bytes as their key, so sanitised rows never collide. Same text on SQLite, so the
     * two databases hold the same rows.
     */
    public static String text(String v) {
        boolean clean = true;
        for (int i = 0; i < v.length() && clean; i++) {
            char c = v.charAt(i);
            clean = c != 0 && !Character.isSurrogate(c);
        }
        if (clean) {
            return v;
        }
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == 0) {
                sb.append('\u2400');
            } else if (Character.isHighSurrogate(c) && i + 1 < v.length() && Character.isLowSurrogate(v.charAt(i + 1))) {
                sb.append(c).append(v.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                sb.append('\uFFFD');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
