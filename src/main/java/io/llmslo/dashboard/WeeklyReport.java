package io.llmslo.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one-page summary for the weekly review (the seed's "four numbers, the trend per number,
 * one sentence"): each family's headline SLO for a cohort now and {@code since} earlier, its
 * target and status, and the alerts the family fired in the period. Built once as JSON (the
 * dashboard's {@code /api/report}) and rendered as Markdown or HTML ({@code report}).
 */
public final class WeeklyReport {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private WeeklyReport() {}

    /**
     * {@code {cohort, from, to, days, numbers: [{family, slo, value, value_then, target, status,
     * trend, window, budget_remaining, alerts_fired, open_alerts}], sentence}}; {@code to} is the
     * latest evaluation (event time), {@code from} = to − since.
     */
    public static ObjectNode build(DashboardQueries q, Duration since, String cohort, Map<String, String> headlines)
            throws SQLException {
        ObjectNode ov = q.overview(cohort, headlines);
        ObjectNode out = F.objectNode();
        out.put("cohort", cohort);
        String asOf = ov.path("as_of").asText(null);
        long to = asOf == null ? 0 : Instant.parse(asOf).toEpochMilli();
        long from = to - since.toMillis();
        out.put("from", asOf == null ? null : Instant.ofEpochMilli(from).toString());
        out.put("to", asOf);
        out.put("days", since.toHours() / 24.0);
        ArrayNode numbers = out.putArray("numbers");
        for (JsonNode p : ov.get("panels")) {
            ObjectNode n = numbers.addObject();
            String family = p.get("family").asText();
            String slo = p.get("headline_slo").asText();
            JsonNode r = p.get("headline");
            n.put("family", family);
            n.put("slo", slo);
            boolean has = r != null && !r.isNull();
            Double value = has && r.get("value").isNumber() ? r.get("value").asDouble() : null;
            Double target = has && r.get("target").isNumber() ? r.get("target").asDouble() : null;
            Double then = asOf == null ? null : q.valueAt(slo, cohort, from);
            n.put("value", value);
            n.put("value_then", then);
            n.put("target", target);
            n.put("status", has ? r.get("status").asText() : "no_data");
            n.put("window", has ? r.path("window").asText(null) : null);
            n.put("budget_remaining", has && r.get("budget_remaining").isNumber() ? r.get("budget_remaining").asDouble()
                    : null);
            n.put("trend", DashboardQueries.trend(value, then, target));
            n.put("alerts_fired", asOf == null ? 0 : q.alertsFired(family, from));
            n.put("open_alerts", p.get("open_alerts").asLong());
        }
        out.put("sentence", sentence(numbers, cohort));
        return out;
    }

    /** One sentence a product manager can read out: which families missed, and the alerts. */
    static String sentence(JsonNode numbers, String cohort) {
        List<String> breached = new ArrayList<>();
        List<String> met = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        long fired = 0;
        long open = 0;
        for (JsonNode n : numbers) {
            String family = n.get("family").asText();
            switch (n.get("status").asText()) {
                case "breach" -> breached.add(family + " (" + pct(n.get("slo").asText(), n.get("value"), n.get("target"))
                        + " against " + target(n.get("slo").asText(), n.get("target")) + trendWords(n) + ")");
                case "ok" -> met.add(family);
                default -> unknown.add(family);
            }
            fired += n.get("alerts_fired").asLong();
            open += n.get("open_alerts").asLong();
        }
        String who = "*".equals(cohort) ? "For all traffic" : "For " + cohort;
        StringBuilder sb = new StringBuilder(who).append(", ");
        if (breached.isEmpty() && unknown.isEmpty()) {
            sb.append("all four families met their targets");
        } else {
            if (!breached.isEmpty()) {
                sb.append(join(breached)).append(breached.size() == 1 ? " missed its target" : " missed their targets");
            }
            if (!met.isEmpty()) {
                String verb = breached.isEmpty() ? (met.size() == 1 ? " met its target" : " met their targets")
                        : (met.size() == 1 ? " met its" : " met theirs");
                sb.append(breached.isEmpty() ? "" : "; ").append(breached.isEmpty() ? join(met) : String.join(" and ", met))
                        .append(verb);
            }
            if (!unknown.isEmpty()) {
                boolean first = breached.isEmpty() && met.isEmpty();
                sb.append(first ? "" : "; ").append(first ? join(unknown) : String.join(" and ", unknown))
                        .append(" had too little data for a verdict");
            }
        }
        sb.append(". ").append(fired == 0 ? "No alert fired" : fired + (fired == 1 ? " alert fired" : " alerts fired"))
                .append(" in the period").append(open == 0 ? "" : ", " + open + " still open for this cohort").append('.');
        return sb.toString();
    }

    private static String trendWords(JsonNode n) {
        String t = n.path("trend").asText("");
        return switch (t) {
            case "up" -> ", up from " + pct(n.get("slo").asText(), n.get("value_then"), n.get("target"));
            case "down" -> ", down from " + pct(n.get("slo").asText(), n.get("value_then"), n.get("target"));
            case "flat" -> ", unchanged";
            default -> "";
        };
    }

    private static String join(List<String> parts) {
        if (parts.size() <= 1) {
            return parts.isEmpty() ? "" : cap(parts.get(0));
        }
        return cap(String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1));
    }

    private static String cap(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The dashboard's number format: a percentage with the digits the target needs. */
    static String pct(String slo, JsonNode v, JsonNode target) {
        if (v == null || !v.isNumber()) {
            return "—";
        }
        if ("quality.refusal_drift".equals(slo)) {
            return String.format(Locale.ROOT, "%+.2f pp", v.asDouble() * 100);
        }
        return String.format(Locale.ROOT, "%." + digits(target) + "f%%", v.asDouble() * 100);
    }

    static String target(String slo, JsonNode t) {
        if (t == null || !t.isNumber()) {
            return "—";
        }
        if ("quality.refusal_drift".equals(slo)) {
            return String.format(Locale.ROOT, "≤ +%.2f pp", t.asDouble() * 100);
        }
        return "≥ " + String.format(Locale.ROOT, "%." + digits(t) + "f%%", t.asDouble() * 100);
    }

    /** ceil(−log10(1 − target)) − 1 in 1..4: 0.88 → 1, 0.9995 → 3 (same rule as the page). */
    static int digits(JsonNode target) {
        if (target == null || !target.isNumber() || target.asDouble() >= 1 || target.asDouble() <= 0) {
            return 2;
        }
        int d = (int) Math.ceil(-Math.log10(1 - target.asDouble())) - 1;
        return Math.min(4, Math.max(1, d));
    }

    private static String arrow(JsonNode n) {
        return switch (n.path("trend").asText("")) {
            case "up" -> "▲";
            case "down" -> "▼";
            case "flat" -> "→";
            default -> "–";
        };
    }

    // ---------------------------------------------------------------- rendering

    public static String markdown(JsonNode r) {
        StringBuilder sb = new StringBuilder();
        String cohort = r.get("cohort").asText();
        sb.append("# llm-slo weekly report — ").append("*".equals(cohort) ? "all traffic" : cohort).append("\n\n");
        sb.append(period(r)).append("\n\n");
        sb.append("> ").append(r.get("sentence").asText()).append("\n\n");
        sb.append("| family | SLO | now | ").append(since(r)).append(" earlier | trend | target | status | alerts fired |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (JsonNode n : r.get("numbers")) {
            String slo = n.get("slo").asText();
            sb.append("| ").append(n.get("family").asText()).append(" | `").append(slo).append("` | **")
                    .append(pct(slo, n.get("value"), n.get("target"))).append("** | ")
                    .append(pct(slo, n.get("value_then"), n.get("target"))).append(" | ").append(arrow(n)).append(" | ")
                    .append(target(slo, n.get("target"))).append(" | ").append(n.get("status").asText()).append(" | ")
                    .append(n.get("alerts_fired").asLong()).append(" |\n");
        }
        sb.append("\nValues are the latest evaluation of each SLO's rolling window (event time, UTC); "
                + "trend compares with the evaluation ").append(since(r)).append(" earlier.\n");
        return sb.toString();
    }

    public static String html(JsonNode r) {
        StringBuilder sb = new StringBuilder("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>llm-slo weekly report</title><style>body{font:15px/1.5 system-ui,sans-serif;max-width:860px;"
                + "margin:24px auto;color:#1d2330}table{border-collapse:collapse;width:100%}th,td{padding:8px 10px;"
                + "border-bottom:1px solid #e3e7ee;text-align:left}td.num{font-weight:700;font-size:18px}"
                + ".breach td.num{color:#c62b2b}.ok td.num{color:#1e8e4f}blockquote{font-size:17px;margin:14px 0;"
                + "padding:10px 14px;background:#f4f6f9;border-left:4px solid #3867d6}</style></head><body>\n");
        String cohort = r.get("cohort").asText();
        sb.append("<h1>llm-slo weekly report — ").append(esc("*".equals(cohort) ? "all traffic" : cohort)).append("</h1>\n");
        sb.append("<p>").append(esc(period(r))).append("</p>\n");
        sb.append("<blockquote>").append(esc(r.get("sentence").asText())).append("</blockquote>\n");
        sb.append("<table><tr><th>family</th><th>SLO</th><th>now</th><th>").append(esc(since(r)))
                .append(" earlier</th><th>trend</th><th>target</th><th>status</th><th>alerts fired</th></tr>\n");
        for (JsonNode n : r.get("numbers")) {
            String slo = n.get("slo").asText();
            sb.append("<tr class=\"").append(esc(n.get("status").asText())).append("\"><td>")
                    .append(esc(n.get("family").asText())).append("</td><td><code>").append(esc(slo))
                    .append("</code></td><td class=\"num\">").append(esc(pct(slo, n.get("value"), n.get("target"))))
                    .append("</td><td>").append(esc(pct(slo, n.get("value_then"), n.get("target")))).append("</td><td>")
                    .append(arrow(n)).append("</td><td>").append(esc(target(slo, n.get("target")))).append("</td><td>")
                    .append(esc(n.get("status").asText())).append("</td><td>").append(n.get("alerts_fired").asLong())
                    .append("</td></tr>\n");
        }
        sb.append("</table>\n</body></html>\n");
        return sb.toString();
    }

    private static String period(JsonNode r) {
        if (r.get("to").isNull()) {
            return "No evaluations yet.";
        }
        return r.get("from").asText().replace('T', ' ').replaceAll(":\\d\\d(\\.\\d+)?Z$", "") + " → "
                + r.get("to").asText().replace('T', ' ').replaceAll(":\\d\\d(\\.\\d+)?Z$", "") + " UTC (event time)";
    }

    private static String since(JsonNode r) {
        double d = r.get("days").asDouble();
        return d == Math.rint(d) ? (long) d + (d == 1 ? " day" : " days") : String.format(Locale.ROOT, "%.1f days", d);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
