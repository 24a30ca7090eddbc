package io.llmslo.cli;

import io.llmslo.config.JobConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a bounded run found, read back from its input files and sink tables: events read, dead
 * letters by reason, breaches, open alerts — and the commands to look closer. Read from the
 * tables (not from engine counters) so it says exactly what the dashboard will show.
 */
public record RunSummary(
        Map<String, Long> linesRead,
        Map<String, Long> deadLettersByReason,
        long series,
        long breaches,
        List<String> breached,
        List<String> openAlerts) {

    /** Rows of a list shown in full; the rest is counted ("… and 12 more"). */
    static final int SHOWN = 8;

    public static RunSummary read(JobConfig cfg, Connection c) throws SQLException {
        Map<String, Long> lines = new LinkedHashMap<>();
        if (!cfg.sources.kafka()) {
            lines.put("responses", lines(cfg.sources.responses()));
            lines.put("feedback", lines(cfg.sources.feedback()));
            lines.put("ratings", lines(cfg.sources.ratings()));
        }
        Map<String, Long> dead = new LinkedHashMap<>();
        // the reason's head: "field 'outcome'", "duplicate", "late", "orphan", ...
        for (List<String> r : query(c, "SELECT reason, COUNT(*) FROM dead_letters GROUP BY reason")) {
            dead.merge(reasonHead(r.get(0)), Long.parseLong(r.get(1)), Long::sum);
        }
        long series = Long.parseLong(query(c, "SELECT COUNT(*) FROM slo_status").get(0).get(0));
        List<String> breached = new ArrayList<>();
        for (List<String> r : query(c, "SELECT slo, cohort FROM slo_status WHERE status = 'breach' ORDER BY slo, cohort")) {
            breached.add(r.get(0) + " " + r.get(1));
        }
        List<String> alerts = new ArrayList<>();
        for (List<String> r : query(c, "SELECT alert, slo, cohort FROM slo_status WHERE alert IS NOT NULL"
                + " ORDER BY CASE alert WHEN 'page_rollback' THEN 0 WHEN 'page' THEN 1 WHEN 'ticket' THEN 2"
                + " ELSE 3 END, slo, cohort")) { // most urgent first
            alerts.add(r.get(0) + " " + r.get(1) + " " + r.get(2));
        }
        return new RunSummary(lines, dead, series, breached.size(), breached, alerts);
    }

    static String reasonHead(String reason) {
        if (reason == null) {
            return "(none)";
        }
        int colon = reason.indexOf(':');
        return colon > 0 ? reason.substring(0, colon) : reason;
    }

    /** The text `run` prints after a bounded job: a few lines, then what to run next. */
    public String format(String jdbcUrl, String logFile) {
        StringBuilder out = new StringBuilder();
        if (!linesRead.isEmpty()) {
            long total = linesRead.values().stream().mapToLong(Long::longValue).sum();
            out.append(String.format(Locale.ROOT, "read %,d input lines (%s)%n", total, join(linesRead)));
        }
        long dead = deadLettersByReason.values().stream().mapToLong(Long::longValue).sum();
        out.append(String.format(Locale.ROOT, "dead letters: %,d%s%n", dead,
                dead == 0 ? "" : " (" + join(deadLettersByReason) + ")"));
        out.append(String.format(Locale.ROOT, "SLO series: %,d; in breach: %,d%n", series, breaches));
        list(out, breached);
        out.append(String.format(Locale.ROOT, "open alerts: %,d%n", openAlerts.size()));
        list(out, openAlerts);
        out.append("next: java -jar target/llm-slo.jar dashboard --jdbc-url ").append(jdbcUrl).append('\n');
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            out.append("      sqlite3 ").append(jdbcUrl.substring("jdbc:sqlite:".length()))
                    .append(" \"select slo, cohort, status, alert from slo_status where status = 'breach' or alert is not null\"\n");
        }
        if (logFile != null) {
            out.append("engine log: ").append(logFile).append('\n');
        }
        return out.toString();
    }

    private static void list(StringBuilder out, List<String> rows) {
        for (int i = 0; i < Math.min(SHOWN, rows.size()); i++) {
            out.append("  ").append(rows.get(i)).append('\n');
        }
        if (rows.size() > SHOWN) {
            out.append("  … and ").append(rows.size() - SHOWN).append(" more\n");
        }
    }

    private static String join(Map<String, Long> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%s %,d", k, v)));
        return String.join(", ", parts);
    }

    /** Newlines in a file, 0 when the source has no such file (an optional stream left out). */
    static long lines(String file) {
        if (file == null) {
            return 0;
        }
        long n = 0;
        boolean open = false;
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                for (int i = 0; i < r; i++) {
                    if (buf[i] == '\n') {
                        n++;
                        open = false;
                    } else {
                        open = true;
                    }
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return open ? n + 1 : n; // a last line without its newline still counts
    }

    private static List<List<String>> query(Connection c, String sql) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int cols = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= cols; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
