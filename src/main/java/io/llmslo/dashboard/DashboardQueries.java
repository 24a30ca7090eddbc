package io.llmslo.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmslo.sink.JdbcSettings;
import io.llmslo.sink.SqlDialect;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The read side of the output tables (DESIGN §7) as the JSON the dashboard renders. Plain JDBC,
 * the same SQL text for SQLite and PostgreSQL; the only dialect difference, binding a UTC instant
 * to a TIMESTAMP parameter, goes through {@link SqlDialect} like the writers do.
 *
 * <p>One read-only connection per call: SQLite opens in microseconds, and a dashboard makes a
 * handful of requests a minute, so a pool would only add state. A table the job has not created
 * yet reads as empty, so the page works against a fresh database.
 */
public final class DashboardQueries {

    /** Family display order; SLOs of other families follow alphabetically. */
    public static final List<String> FAMILIES = List.of("quality", "latency", "cost", "availability");

    /** The SLO each main-page panel leads with (the seed's four headline numbers); configurable. */
    public static final Map<String, String> DEFAULT_HEADLINES = Map.of(
            "quality", "quality.acceptance", "latency", "latency.ttft_p95",
            "cost", "cost.p95", "availability", "availability.success");

    /** Catalogue order of DESIGN §3 within a family; unknown SLOs sort after, by name. */
    private static final List<String> SLO_ORDER = List.of(
            "quality.acceptance", "quality.judge_high", "quality.human_useful", "quality.refusal_drift",
            "latency.ttft_p95", "latency.total_p95", "latency.turn_p95",
            "cost.p95", "cost.p99", "cost.tail_blowup",
            "availability.success", "availability.provider_success", "availability.failover_p95");

    /** Highest first, as the alert tiers of DESIGN §4. */
    private static final List<String> SEVERITY_ORDER = List.of("page_rollback", "page", "ticket", "digest");

    /** SLOs whose value is a rate that should stay low (the drift of the refusal rate). */
    private static final String REFUSAL_DRIFT = "quality.refusal_drift";

    private static final String STATUS_COLUMNS = "slo, cohort, eval_time, \"window\", n, good, value, target, "
            + "ci_low, ci_high, p_value, status, burn_1h, burn_6h, burn_24h, burn_7d, budget_remaining, alert, "
            + "quantile_value, value_7d_ago";

    private static final String ALERT_COLUMNS =
            "slo, cohort, severity, state, at, long_window, short_window, burn_long, burn_short, p_value, n";

    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final String url;
    private final String user;
    private final String passwordEnv;
    private final SqlDialect dialect;

    /**
     * @param passwordEnv name of the environment variable holding the password, or null; read at
     *     each connect so the password is never held in a field, a log line or a message
     */
    public DashboardQueries(String jdbcUrl, String user, String passwordEnv) {
        this.url = jdbcUrl;
        this.user = user;
        this.passwordEnv = passwordEnv;
        this.dialect = SqlDialect.of(jdbcUrl);
    }

    /** The URL without credentials a user may have put in its query string. */
    public String redactedUrl() {
        return JdbcSettings.redact(url);
    }

    /** A read-only connection (SQLite opened read-only, PostgreSQL in read-only mode); close it. */
    public Connection readConnection() throws SQLException {
        return connect();
    }

    Connection connect() throws SQLException {
        Properties props = JdbcSettings.credentials(user, passwordEnv);
        if (dialect == SqlDialect.SQLITE) {
            // SQLITE_OPEN_READONLY: never creates the file, never writes; wait out the job's writes
            props.setProperty("open_mode", "1");
            props.setProperty("busy_timeout", "5000");
        }
        JdbcSettings.loadDriver(url);
        Connection c = DriverManager.getConnection(url, props);
        if (dialect == SqlDialect.POSTGRES) {
            c.setReadOnly(true);
        }
        return c;
    }

    // ---------------------------------------------------------------- /api/status

    /**
     * {@code {as_of, cohorts: [..], families: [{family, counts: {ok, breach, insufficient_data,
     * alerts}, rows: [..]}]}}: the latest evaluation of every (slo, cohort), grouped by family.
     */
    public ObjectNode status() throws SQLException {
        ObjectNode out = F.objectNode();
        List<ObjectNode> rows = new ArrayList<>();
        try (Connection c = connect()) {
            if (exists(c, "slo_status")) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT " + STATUS_COLUMNS + " FROM slo_status ORDER BY slo, cohort");
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(statusRow(rs));
                    }
                }
            }
        }
        rows.sort(Comparator.comparingInt((ObjectNode r) -> sloRank(r.get("slo").asText()))
                .thenComparing(r -> r.get("slo").asText())
                .thenComparing(r -> r.get("cohort").asText()));
        Map<String, List<ObjectNode>> byFamily = new LinkedHashMap<>();
        for (String f : FAMILIES) {
            byFamily.put(f, new ArrayList<>());
        }
        TreeSet<String> cohorts = new TreeSet<>();
        String asOf = null;
        for (ObjectNode r : rows) {
            byFamily.computeIfAbsent(r.get("family").asText(), k -> new ArrayList<>()).add(r);
            cohorts.add(r.get("cohort").asText());
            String t = r.path("eval_time").asText(null);
            if (t != null && (asOf == null || t.compareTo(asOf) > 0)) {
                asOf = t;
            }
        }
        out.put("as_of", asOf);
        ArrayNode cohortArray = out.putArray("cohorts");
        cohorts.forEach(cohortArray::add);
        ArrayNode families = out.putArray("families");
        for (Map.Entry<String, List<ObjectNode>> e : byFamily.entrySet()) {
            ObjectNode fam = families.addObject();
            fam.put("family", e.getKey());
            ObjectNode counts = fam.putObject("counts");
            counts.put("ok", count(e.getValue(), "status", "ok"));
            counts.put("breach", count(e.getValue(), "status", "breach"));
            counts.put("insufficient_data", count(e.getValue(), "status", "insufficient_data"));
            counts.put("alerts", e.getValue().stream().filter(r -> !r.path("alert").isNull()).count());
            ArrayNode arr = fam.putArray("rows");
            e.getValue().forEach(arr::add);
        }
        return out;
    }

    // ---------------------------------------------------------------- /api/overview

    /**
     * The main page's four panels for one cohort: {@code {as_of, cohort, cohorts, panels: [{family,
     * headline_slo, headline (a status row or null), others: [status rows], open_alerts}]}}. The
     * headline of a family is the configured SLO; the family's other SLOs for the cohort follow in
     * catalogue order. Numbers are {@code slo_status} as it is: the page shows, it never recomputes.
     */
    public ObjectNode overview(String cohort, Map<String, String> headlines) throws SQLException {
        ObjectNode status = status();
        ObjectNode alerts = alerts(0);
        ObjectNode out = F.objectNode();
        out.set("as_of", status.get("as_of"));
        out.put("cohort", cohort);
        out.set("cohorts", status.get("cohorts"));
        ArrayNode panels = out.putArray("panels");
        for (JsonNode fam : status.get("families")) {
            String family = fam.get("family").asText();
            if (!FAMILIES.contains(family)) {
                continue;
            }
            String headSlo = headlines.getOrDefault(family, DEFAULT_HEADLINES.get(family));
            ObjectNode panel = panels.addObject();
            panel.put("family", family);
            panel.put("headline_slo", headSlo);
            panel.putNull("headline");
            ArrayNode others = panel.putArray("others");
            for (JsonNode r : fam.get("rows")) {
                if (!cohort.equals(r.get("cohort").asText())) {
                    continue;
                }
                if (headSlo.equals(r.get("slo").asText())) {
                    panel.set("headline", r);
                } else {
                    others.add(r);
                }
            }
            long open = 0;
            for (JsonNode a : alerts.get("open")) {
                if (family.equals(a.get("family").asText()) && cohort.equals(a.get("cohort").asText())) {
                    open++;
                }
            }
            panel.put("open_alerts", open);
        }
        return out;
    }

    private ObjectNode statusRow(ResultSet rs) throws SQLException {
        ObjectNode r = F.objectNode();
        String slo = rs.getString("slo");
        r.put("slo", slo);
        r.put("family", family(slo));
        r.put("cohort", rs.getString("cohort"));
        r.put("eval_time", isoTime(rs, "eval_time"));
        r.put("window", rs.getString("window"));
        r.put("n", rs.getLong("n"));
        r.put("good", rs.getLong("good"));
        Double value = dbl(rs, "value");
        r.put("value", value);
        r.put("target", dbl(rs, "target"));
        r.put("ci_low", dbl(rs, "ci_low"));
        r.put("ci_high", dbl(rs, "ci_high"));
        r.put("p_value", dbl(rs, "p_value"));
        r.put("status", rs.getString("status"));
        r.put("burn_1h", dbl(rs, "burn_1h"));
        r.put("burn_6h", dbl(rs, "burn_6h"));
        r.put("burn_24h", dbl(rs, "burn_24h"));
        r.put("burn_7d", dbl(rs, "burn_7d"));
        r.put("budget_remaining", dbl(rs, "budget_remaining"));
        r.put("alert", rs.getString("alert"));
        r.put("quantile_value", dbl(rs, "quantile_value"));
        Double ago = dbl(rs, "value_7d_ago");
        r.put("value_7d_ago", ago);
        boolean lowerBetter = REFUSAL_DRIFT.equals(slo);
        r.put("better", lowerBetter ? "lower" : "higher");
        // the drift's value_7d_ago is the non-refusal ratio of a week ago, not a drift: no arrow
        r.put("trend", lowerBetter ? null : trend(value, ago, dbl(rs, "target")));
        return r;
    }

    /**
     * {@code up | down | flat} of the value against a week earlier, or null without both. Changes
     * under 5 % of the error budget (1 − target) are noise at any target, from 0.88 to 0.9995.
     */
    static String trend(Double value, Double ago, Double target) {
        if (value == null || ago == null) {
            return null;
        }
        double budget = target == null || target >= 1 || target <= 0 ? 0.01 : 1 - target;
        double delta = value - ago;
        if (Math.abs(delta) < 0.05 * budget) {
            return "flat";
        }
        return delta > 0 ? "up" : "down";
    }

    /** The value of the latest {@code slo_history} row at or before {@code atMillis}, or null. */
    public Double valueAt(String slo, String cohort, long atMillis) throws SQLException {
        try (Connection c = connect()) {
            if (!exists(c, "slo_history")) {
                return null;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM slo_history WHERE slo = ? AND cohort = ?"
                    + " AND eval_time <= ? ORDER BY eval_time DESC")) {
                ps.setString(1, slo);
                ps.setString(2, cohort);
                dialect.setTimestamp(ps, 3, atMillis);
                ps.setMaxRows(1);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? dbl(rs, "value") : null;
                }
            }
        }
    }

    /** Firing transitions of the family's SLOs (any cohort) after {@code fromMillis}. */
    public long alertsFired(String family, long fromMillis) throws SQLException {
        try (Connection c = connect()) {
            if (!exists(c, "slo_alerts")) {
                return 0;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM slo_alerts WHERE state = 'firing' AND slo LIKE ? AND at > ?")) {
                ps.setString(1, family + ".%");
                dialect.setTimestamp(ps, 2, fromMillis);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0;
                }
            }
        }
    }

    // ---------------------------------------------------------------- /api/history

    /**
     * {@code {slo, cohort, from, to, points: [{t, value, target, ci_low, ci_high, n, status,
     * quantile_value, alert}], alerts: [..]}}: the {@code days} of {@code slo_history} up to its
     * latest row for the key (event time, so a replayed month charts the same as a live one),
     * thinned evenly to at most {@code maxPoints}.
     */
    public ObjectNode history(String slo, String cohort, int days, int maxPoints) throws SQLException {
        ObjectNode out = F.objectNode();
        out.put("slo", slo);
        out.put("cohort", cohort);
        out.put("days", days);
        ArrayNode points = out.putArray("points");
        ArrayNode alerts = out.putArray("alerts");
        try (Connection c = connect()) {
            if (!exists(c, "slo_history")) {
                return out;
            }
            Long last = null;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT MAX(eval_time) AS last_time FROM slo_history WHERE slo = ? AND cohort = ?")) {
                ps.setString(1, slo);
                ps.setString(2, cohort);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        last = millis(rs, "last_time");
                    }
                }
            }
            if (last == null) {
                return out;
            }
            long from = last - days * 86_400_000L;
            out.put("from", ISO.format(Instant.ofEpochMilli(from)));
            out.put("to", ISO.format(Instant.ofEpochMilli(last)));
            List<ObjectNode> all = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT eval_time, value, target, ci_low, ci_high, n, "
                    + "status, quantile_value, alert FROM slo_history WHERE slo = ? AND cohort = ? AND eval_time > ? "
                    + "ORDER BY eval_time")) {
                ps.setString(1, slo);
                ps.setString(2, cohort);
                dialect.setTimestamp(ps, 3, from);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ObjectNode p = F.objectNode();
                        p.put("t", millis(rs, "eval_time"));
                        p.put("value", dbl(rs, "value"));
                        p.put("target", dbl(rs, "target"));
                        p.put("ci_low", dbl(rs, "ci_low"));
                        p.put("ci_high", dbl(rs, "ci_high"));
                        p.put("n", rs.getLong("n"));
                        p.put("status", rs.getString("status"));
                        p.put("quantile_value", dbl(rs, "quantile_value"));
                        p.put("alert", rs.getString("alert"));
                        all.add(p);
                    }
                }
            }
            thin(all, maxPoints).forEach(points::add);
            if (exists(c, "slo_alerts")) {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + ALERT_COLUMNS
                        + " FROM slo_alerts WHERE slo = ? AND cohort = ? AND at > ? ORDER BY at, severity, state")) {
                    ps.setString(1, slo);
                    ps.setString(2, cohort);
                    dialect.setTimestamp(ps, 3, from);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            alerts.add(alertRow(rs));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Every k-th point, always keeping the last (the value the status table shows). */
    static List<ObjectNode> thin(List<ObjectNode> all, int maxPoints) {
        if (maxPoints <= 0 || all.size() <= maxPoints) {
            return all;
        }
        int stride = (all.size() + maxPoints - 1) / maxPoints;
        List<ObjectNode> out = new ArrayList<>();
        int last = all.size() - 1;
        for (int i = last; i >= 0; i -= stride) {
            out.add(0, all.get(i));
        }
        return out;
    }

    // ---------------------------------------------------------------- /api/alerts

    /**
     * {@code {open: [..], recent: [..]}}. An alert is open when its latest {@code firing} row has
     * no {@code resolved} row at or after it for the same (slo, cohort, severity): the alert state
     * machine writes one row per transition (DESIGN §4), so this is exactly the set still firing.
     * Open alerts come highest severity first; {@code recent} is the last {@code recentLimit}
     * transitions of any state, newest first.
     */
    public ObjectNode alerts(int recentLimit) throws SQLException {
        ObjectNode out = F.objectNode();
        ArrayNode open = out.putArray("open");
        ArrayNode recent = out.putArray("recent");
        try (Connection c = connect()) {
            if (!exists(c, "slo_alerts")) {
                return out;
            }
            List<ObjectNode> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + prefixed("f", ALERT_COLUMNS)
                    + " FROM slo_alerts f WHERE f.state = 'firing' AND NOT EXISTS ("
                    + "SELECT 1 FROM slo_alerts r WHERE r.slo = f.slo AND r.cohort = f.cohort"
                    + " AND r.severity = f.severity AND (r.at > f.at OR (r.at = f.at AND r.state = 'resolved')))"
                    + " ORDER BY f.at DESC");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectNode a = alertRow(rs);
                    a.put("since", a.get("at").asText());
                    rows.add(a);
                }
            }
            rows.sort(Comparator.comparingInt((ObjectNode a) -> severityRank(a.get("severity").asText()))
                    .thenComparing(a -> a.get("at").asText(), Comparator.reverseOrder())
                    .thenComparing(a -> a.get("slo").asText())
                    .thenComparing(a -> a.get("cohort").asText()));
            rows.forEach(open::add);
            if (recentLimit <= 0) {
                return out;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT " + ALERT_COLUMNS
                    + " FROM slo_alerts ORDER BY at DESC, slo, cohort, severity, state")) {
                ps.setMaxRows(recentLimit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && recent.size() < recentLimit) {
                        recent.add(alertRow(rs));
                    }
                }
            }
        }
        return out;
    }

    private static String prefixed(String alias, String columns) {
        StringBuilder sb = new StringBuilder();
        for (String col : columns.split(",\\s*")) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(alias).append('.').append(col);
        }
        return sb.toString();
    }

    private ObjectNode alertRow(ResultSet rs) throws SQLException {
        ObjectNode a = F.objectNode();
        String slo = rs.getString("slo");
        a.put("slo", slo);
        a.put("family", family(slo));
        a.put("cohort", rs.getString("cohort"));
        a.put("severity", rs.getString("severity"));
        a.put("state", rs.getString("state"));
        a.put("at", isoTime(rs, "at"));
        a.put("long_window", rs.getString("long_window"));
        a.put("short_window", rs.getString("short_window"));
        a.put("burn_long", dbl(rs, "burn_long"));
        a.put("burn_short", dbl(rs, "burn_short"));
        a.put("p_value", dbl(rs, "p_value"));
        a.put("n", rs.getLong("n"));
        return a;
    }

    // ---------------------------------------------------------------- /api/calibration

    /**
     * {@code {rubrics: [{rubric, rubric_version, eval_time, n_pairs, exact_agreement, within_one,
     * useful_agreement, kappa, mean_bias, min_agreement, alert, judged, judge_errors,
     * mean_score}]}}: the latest calibration row per rubric version, with the judge's volume from
     * {@code judge_scores}; a version judged but not yet calibrated has null agreement figures.
     */
    public ObjectNode calibration() throws SQLException {
        Map<String, ObjectNode> byVersion = new LinkedHashMap<>();
        try (Connection c = connect()) {
            if (exists(c, "judge_calibration")) {
                try (PreparedStatement ps = c.prepareStatement("SELECT c.rubric, c.rubric_version, c.eval_time, "
                        + "c.n_pairs, c.exact_agreement, c.within_one, c.useful_agreement, c.kappa, c.mean_bias, "
                        + "c.min_agreement, c.alert FROM judge_calibration c WHERE c.eval_time = ("
                        + "SELECT MAX(m.eval_time) FROM judge_calibration m "
                        + "WHERE m.rubric = c.rubric AND m.rubric_version = c.rubric_version) "
                        + "ORDER BY c.rubric, c.rubric_version DESC");
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ObjectNode r = calibrationRow(rs.getString("rubric"), rs.getLong("rubric_version"));
                        r.put("eval_time", isoTime(rs, "eval_time"));
                        r.put("n_pairs", rs.getLong("n_pairs"));
                        r.put("exact_agreement", dbl(rs, "exact_agreement"));
                        r.put("within_one", dbl(rs, "within_one"));
                        r.put("useful_agreement", dbl(rs, "useful_agreement"));
                        r.put("kappa", dbl(rs, "kappa"));
                        r.put("mean_bias", dbl(rs, "mean_bias"));
                        r.put("min_agreement", dbl(rs, "min_agreement"));
                        r.put("alert", rs.getBoolean("alert"));
                        byVersion.put(r.get("rubric").asText() + "|" + r.get("rubric_version").asLong(), r);
                    }
                }
            }
            if (exists(c, "judge_scores")) {
                try (PreparedStatement ps = c.prepareStatement("SELECT rubric, rubric_version, COUNT(*) AS judged, "
                        + "SUM(CASE WHEN error IS NULL THEN 0 ELSE 1 END) AS errors, AVG(score) AS mean_score "
                        + "FROM judge_scores GROUP BY rubric, rubric_version ORDER BY rubric, rubric_version DESC");
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String rubric = rs.getString("rubric");
                        long version = rs.getLong("rubric_version");
                        ObjectNode r = byVersion.computeIfAbsent(rubric + "|" + version,
                                k -> calibrationRow(rubric, version));
                        r.put("judged", rs.getLong("judged"));
                        r.put("judge_errors", rs.getLong("errors"));
                        r.put("mean_score", dbl(rs, "mean_score"));
                    }
                }
            }
        }
        ObjectNode out = F.objectNode();
        ArrayNode arr = out.putArray("rubrics");
        byVersion.values().stream()
                .sorted(Comparator.comparing((ObjectNode r) -> r.get("rubric").asText(""))
                        .thenComparing(r -> -r.get("rubric_version").asLong()))
                .forEach(arr::add);
        return out;
    }

    private static ObjectNode calibrationRow(String rubric, long version) {
        ObjectNode r = F.objectNode();
        r.put("rubric", rubric);
        r.put("rubric_version", version);
        for (String k : List.of("eval_time", "n_pairs", "exact_agreement", "within_one", "useful_agreement",
                "kappa", "mean_bias", "min_agreement")) {
            r.putNull(k);
        }
        r.put("alert", false);
        r.put("judged", 0);
        r.put("judge_errors", 0);
        r.putNull("mean_score");
        return r;
    }

    // ---------------------------------------------------------------- /api/dead-letters/summary

    /** {@code {total, groups: [{source, reason, count, first, last}]}}, largest group first. */
    public ObjectNode deadLetterSummary() throws SQLException {
        ObjectNode out = F.objectNode();
        long total = 0;
        ArrayNode groups = F.arrayNode();
        try (Connection c = connect()) {
            if (exists(c, "dead_letters")) {
                try (PreparedStatement ps = c.prepareStatement("SELECT source, reason, COUNT(*) AS cnt, "
                        + "MIN(event_time) AS first_time, MAX(event_time) AS last_time FROM dead_letters "
                        + "GROUP BY source, reason ORDER BY cnt DESC, source, reason");
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ObjectNode g = groups.addObject();
                        g.put("source", rs.getString("source"));
                        g.put("reason", rs.getString("reason"));
                        long n = rs.getLong("cnt");
                        g.put("count", n);
                        g.put("first", isoTime(rs, "first_time"));
                        g.put("last", isoTime(rs, "last_time"));
                        total += n;
                    }
                }
            }
        }
        out.put("total", total);
        out.set("groups", groups);
        return out;
    }

    // ---------------------------------------------------------------- helpers

    /** Row counts per output table, -1 for a table not created yet (the demo's summary). */
    public Map<String, Long> tableCounts(List<String> tables) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = connect()) {
            for (String t : tables) {
                if (!t.matches("[a-z_]+")) {
                    throw new IllegalArgumentException("not a table name: " + t);
                }
                if (!exists(c, t)) {
                    out.put(t, -1L);
                    continue;
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + t);
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    out.put(t, rs.getLong(1));
                }
            }
        }
        return out;
    }

    static String family(String slo) {
        int dot = slo.indexOf('.');
        return dot > 0 ? slo.substring(0, dot) : slo;
    }

    private static int sloRank(String slo) {
        int family = FAMILIES.indexOf(family(slo));
        int i = SLO_ORDER.indexOf(slo);
        return (family < 0 ? FAMILIES.size() : family) * 100 + (i < 0 ? 99 : i);
    }

    static int severityRank(String severity) {
        int i = SEVERITY_ORDER.indexOf(severity);
        return i < 0 ? SEVERITY_ORDER.size() : i;
    }

    private static long count(List<ObjectNode> rows, String field, String value) {
        return rows.stream().filter(r -> value.equals(r.path(field).asText(null))).count();
    }

    public static boolean exists(Connection c, String table) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        // PostgreSQL folds unquoted names to lower case, SQLite keeps them: the DDL uses lower case
        try (ResultSet rs = md.getTables(null, null, table.toLowerCase(Locale.ROOT), null)) {
            return rs.next();
        }
    }

    private static Double dbl(ResultSet rs, String col) throws SQLException {
        double v = rs.getDouble(col);
        return rs.wasNull() || Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }

    /**
     * A TIMESTAMP column holding UTC as epoch millis: SQLite's text {@code YYYY-MM-DD HH:MM:SS.SSS}
     * and PostgreSQL's {@code timestamp} both read back through {@code getString} as that form.
     */
    static Long millis(ResultSet rs, String col) throws SQLException {
        String s = rs.getString(col);
        return s == null ? null : parseUtc(s);
    }

    public static long parseUtc(String s) {
        String t = s.trim().replace(' ', 'T');
        if (t.endsWith("Z")) {
            return Instant.parse(t).toEpochMilli();
        }
        int plus = t.indexOf('+', 10);
        if (plus > 0) {
            t = t.substring(0, plus);
        }
        return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    private static String isoTime(ResultSet rs, String col) throws SQLException {
        Long m = millis(rs, col);
        return m == null ? null : ISO.format(Instant.ofEpochMilli(m));
    }

    /** Pretty-free JSON text of a node. */
    public static String json(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
