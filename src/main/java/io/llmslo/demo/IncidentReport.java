package io.llmslo.demo;

import io.llmslo.sim.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the job found against what the scenario injected: for each incident its cohort, start,
 * the first alert and the first breach onset it explains (with the delay in event time), and
 * the alerts no incident explains. Plain logic over rows; {@code demo} feeds it the tables.
 *
 * <p>An incident explains an alert or breach of an SLO when the SLO is of the incident's family
 * (an outage → availability, a slowdown → latency, a cost blow-up → cost, a quality regression →
 * quality), its cohort does not contradict the incident's match (the cohort {@code *} holds the
 * incident's traffic, diluted; {@code surface=rag} cannot hold a chat incident), and it happens
 * from the incident's start until {@code grace} after its end (rolling windows of up to 7 days
 * keep seeing an incident after it stops).
 */
public final class IncidentReport {

    /** One firing transition of {@code slo_alerts}. */
    public record Alert(String slo, String cohort, String severity, long at) {}

    /** One breach onset of {@code slo_history}: the first breach row after a non-breach one. */
    public record Breach(String slo, String cohort, long at) {}

    /** An injected incident and what the job saw of it. */
    public record Finding(String name, String family, String cohort, long start, long end, Alert firstAlert,
            Breach firstBreach, int alerts) {

        public boolean detected() {
            return firstAlert != null;
        }

        /** Event time from the start to the first alert, or null when nothing fired. */
        public Duration alertDelay() {
            return firstAlert == null ? null : Duration.ofMillis(firstAlert.at() - start);
        }

        public Duration breachDelay() {
            return firstBreach == null ? null : Duration.ofMillis(firstBreach.at() - start);
        }
    }

    public record Result(List<Finding> incidents, List<Alert> unexplained) {}

    private IncidentReport() {}

    public static Result of(List<Scenario.Incident> incidents, List<Alert> firings, List<Breach> onsets,
            Duration grace) {
        List<Finding> findings = new ArrayList<>();
        boolean[] explained = new boolean[firings.size()];
        for (Scenario.Incident inc : incidents) {
            long from = inc.from().toEpochMilli();
            long until = inc.to().toEpochMilli() + grace.toMillis();
            Alert first = null;
            int count = 0;
            for (int i = 0; i < firings.size(); i++) {
                Alert a = firings.get(i);
                if (a.at() >= from && a.at() <= until && explains(inc, a.slo(), a.cohort())) {
                    explained[i] = true;
                    count++;
                    if (first == null || a.at() < first.at() || (a.at() == first.at()
                            && severityRank(a.severity()) < severityRank(first.severity()))) {
                        first = a;
                    }
                }
            }
            Breach firstBreach = onsets.stream()
                    .filter(b -> b.at() >= from && b.at() <= until && explains(inc, b.slo(), b.cohort()))
                    .min(Comparator.comparingLong(Breach::at)).orElse(null);
            findings.add(new Finding(name(inc), family(inc), cohortText(inc), from, inc.to().toEpochMilli(), first,
                    firstBreach, count));
        }
        List<Alert> unexplained = new ArrayList<>();
        for (int i = 0; i < firings.size(); i++) {
            if (!explained[i]) {
                unexplained.add(firings.get(i));
            }
        }
        return new Result(findings, unexplained);
    }

    /** The SLO family an incident degrades. */
    public static String family(Scenario.Incident inc) {
        if (inc instanceof Scenario.ProviderOutage) {
            return "availability";
        }
        if (inc instanceof Scenario.LatencyRegression) {
            return "latency";
        }
        return inc instanceof Scenario.CostBlowup ? "cost" : "quality";
    }

    /** A short name: the type and what it matches. */
    public static String name(Scenario.Incident inc) {
        if (inc instanceof Scenario.ProviderOutage) {
            return "provider outage";
        }
        if (inc instanceof Scenario.LatencyRegression l) {
            return "latency x" + trim(l.multiplier());
        }
        if (inc instanceof Scenario.CostBlowup c) {
            return "cost x" + trim(c.multiplier());
        }
        return "quality regression";
    }

    /** The incident's match as cohort text, e.g. {@code surface=rag, region=ap-south}. */
    public static String cohortText(Scenario.Incident inc) {
        Map<String, String> m = constraints(inc);
        if (m.isEmpty()) {
            return "* (all traffic)";
        }
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(", ", parts);
    }

    /** Whether an SLO's cohort can hold the incident's traffic (see the class comment). */
    public static boolean explains(Scenario.Incident inc, String slo, String cohort) {
        if (!slo.startsWith(family(inc) + ".")) {
            return false;
        }
        Map<String, String> want = constraints(inc);
        for (Map.Entry<String, String> d : parseCohort(cohort).entrySet()) {
            String w = want.get(d.getKey());
            if (w != null && !w.equals(d.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** Dimension → value the incident is confined to; cohort dimensions without the {@code cohort.} prefix. */
    static Map<String, String> constraints(Scenario.Incident inc) {
        Map<String, String> m = new LinkedHashMap<>();
        Scenario.Match match = inc.match();
        if (match != null) {
            put(m, "surface", match.surface());
            put(m, "model", match.model());
            put(m, "provider", match.provider());
            put(m, "region", match.region());
            put(m, "locale", match.locale());
        }
        if (inc instanceof Scenario.ProviderOutage o) {
            put(m, "provider", o.provider());
        }
        return m;
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    /** {@code surface=chat,cohort.locale=de-DE} → {surface: chat, locale: de-DE}; backslash escapes honoured. */
    static Map<String, String> parseCohort(String cohort) {
        Map<String, String> out = new LinkedHashMap<>();
        if (cohort == null || cohort.equals("*")) {
            return out;
        }
        StringBuilder key = new StringBuilder();
        StringBuilder val = new StringBuilder();
        boolean inValue = false;
        for (int i = 0; i < cohort.length(); i++) {
            char c = cohort.charAt(i);
            if (c == '\\' && i + 1 < cohort.length()) {
                (inValue ? val : key).append(cohort.charAt(++i));
            } else if (c == '=' && !inValue) {
                inValue = true;
            } else if (c == ',') {
                out.put(dimension(key.toString()), val.toString());
                key.setLength(0);
                val.setLength(0);
                inValue = false;
            } else {
                (inValue ? val : key).append(c);
            }
        }
        out.put(dimension(key.toString()), val.toString());
        return out;
    }

    private static String dimension(String k) {
        return k.startsWith("cohort.") ? k.substring("cohort.".length()) : k;
    }

    static int severityRank(String s) {
        int i = List.of("page_rollback", "page", "ticket", "digest").indexOf(s);
        return i < 0 ? 4 : i;
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    // ---------------------------------------------------------------- text

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** The table {@code demo} prints. */
    public static String table(Result r, int maxUnexplained) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "  %-20s %-40s %-12s %-46s %s%n", "incident", "cohort", "start (UTC)",
                "first alert (severity, delay)", "first breach (delay)"));
        for (Finding f : r.incidents()) {
            String alert = f.firstAlert() == null ? "none"
                    : f.firstAlert().severity() + " +" + human(f.alertDelay()) + "  " + f.firstAlert().slo() + " "
                            + f.firstAlert().cohort();
            String breach = f.firstBreach() == null ? "none"
                    : "+" + human(f.breachDelay()) + "  " + f.firstBreach().slo() + " " + f.firstBreach().cohort();
            sb.append(String.format(Locale.ROOT, "  %-20s %-40s %-12s %-46s %s%n", f.name(), f.cohort(),
                    TIME.format(Instant.ofEpochMilli(f.start())), alert, breach));
        }
        List<Alert> un = r.unexplained();
        sb.append(String.format(Locale.ROOT, "  fired with no injected incident to explain it: %d%s%n", un.size(),
                un.size() > maxUnexplained ? " (first " + maxUnexplained + ")" : ""));
        for (Alert a : un.stream().sorted(Comparator.comparingLong(Alert::at)).limit(maxUnexplained).toList()) {
            sb.append(String.format(Locale.ROOT, "    %-12s %-8s %-30s %s%n", TIME.format(Instant.ofEpochMilli(a.at())),
                    a.severity(), a.slo(), a.cohort()));
        }
        return sb.toString();
    }

    /** 1h05m, 35m, 2d3h: event-time delays at the resolution of the evaluation step. */
    public static String human(Duration d) {
        long m = d.toMinutes();
        if (m < 60) {
            return m + "m";
        }
        if (m < 24 * 60) {
            return (m / 60) + "h" + (m % 60 == 0 ? "" : String.format(Locale.ROOT, "%02dm", m % 60));
        }
        long h = m / 60;
        return (h / 24) + "d" + (h % 24 == 0 ? "" : (h % 24) + "h");
    }
}
