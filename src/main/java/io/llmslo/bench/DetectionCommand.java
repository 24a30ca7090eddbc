package io.llmslo.bench;

import io.llmslo.bench.BenchTraffic.Series;
import io.llmslo.bench.DetectionBench.Row;
import io.llmslo.detect.CohortExplainer;
import io.llmslo.detect.FamilyBudget;
import io.llmslo.detect.StatisticalLimit;
import io.llmslo.sim.Scenario;
import io.llmslo.slo.AlertEvent;
import io.llmslo.slo.CohortKeys;
import io.llmslo.slo.SloCatalog;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bench detection}: false alerts and detection delays of four alert rules side by side
 * (DESIGN §4 turn 2, docs/detection.md) on the simulator's scenarios
 * ({@code classpath:scenarios/detection/*.yaml}): 30 stationary days with the simulator's healthy
 * margin, the same traffic with every verdict redrawn exactly at target, and one scenario per
 * incident. Prints Markdown tables; measures, never asserts.
 */
@Command(name = "detection", mixinStandardHelpOptions = true,
        description = "False alerts per 30 days and detection delays of four alert rules on simulated traffic.")
public class DetectionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--work", description = "Directory for the simulated JSONL files (default: a temp dir).")
    Path work;

    @Option(names = "--only", description = "Run only scenarios whose file name contains this text.")
    String only;

    /** Grouping sets of the bench: the job defaults plus model×locale, ~420 series as in the issue. */
    static final List<List<String>> GROUPING_SETS = List.of(List.of("surface"), List.of("surface", "model"),
            List.of("surface", "cohort.region"), List.of("surface", "cohort.locale"),
            List.of("surface", "model", "cohort.locale"));

    static final long HOUR = 3_600_000L;

    /** Per rule: each incident's delay as a multiple of its limit (infinite when missed). */
    final List<List<Double>> ratios = new ArrayList<>();

    /**
     * An injected incident: the scenario file, the SLO whose statistical limit is the yardstick and
     * the cohort that holds exactly the affected traffic; {@code slos} are all SLOs it may
     * legitimately alert; {@code match} its dimensions.
     */
    record Incident(String file, String label, String slo, String cohort, Set<String> slos,
            Map<String, String> match, Instant from, Instant to) {}

    static final Set<String> QUALITY = Set.of(SloCatalog.ACCEPTANCE, SloCatalog.HUMAN_USEFUL,
            SloCatalog.REFUSAL_DRIFT);
    static final Set<String> LATENCY = Set.of(SloCatalog.TTFT, SloCatalog.TOTAL, SloCatalog.TURN);
    static final Set<String> COST = Set.of(SloCatalog.COST, SloCatalog.COST_TAIL);
    static final Set<String> AVAILABILITY = Set.of(SloCatalog.SUCCESS, SloCatalog.PROVIDER_SUCCESS,
            SloCatalog.FAILOVER);

    static List<Incident> incidents() {
        Instant day9 = Instant.parse("2026-10-09T00:00:00Z");
        return List.of(
                new Incident("acceptance-10pp-ja.yaml", "acceptance −10 pp, chat ja-JP", SloCatalog.ACCEPTANCE,
                        "surface=chat,cohort.locale=ja-JP", QUALITY, Map.of("surface", "chat", "cohort.locale", "ja-JP"),
                        day9, null),
                new Incident("acceptance-8pp-de.yaml", "acceptance −8 pp, chat de-DE", SloCatalog.ACCEPTANCE,
                        "surface=chat,cohort.locale=de-DE", QUALITY, Map.of("surface", "chat", "cohort.locale", "de-DE"),
                        day9, null),
                new Incident("acceptance-15pp-agent-de.yaml", "acceptance −15 pp, agent de-DE", SloCatalog.ACCEPTANCE,
                        "surface=agent,cohort.locale=de-DE", QUALITY,
                        Map.of("surface", "agent", "cohort.locale", "de-DE"), day9, null),
                new Incident("ttft-agent-x2.yaml", "TTFT ×2, agent", SloCatalog.TTFT, "surface=agent", LATENCY,
                        Map.of("surface", "agent"), day9, null),
                new Incident("latency-chat-en-x1.6.yaml", "latency ×1.6, chat en-US", SloCatalog.TTFT,
                        "surface=chat,cohort.locale=en-US", LATENCY, Map.of("surface", "chat", "cohort.locale", "en-US"),
                        day9, null),
                new Incident("cost-agent-ja-x8.yaml", "cost ×8, agent ja-JP", SloCatalog.COST,
                        "surface=agent,cohort.locale=ja-JP", COST, Map.of("surface", "agent", "cohort.locale", "ja-JP"),
                        day9, null),
                new Incident("refusal-drift-chat-3pp.yaml", "refusal rate +3 pp, chat", SloCatalog.REFUSAL_DRIFT,
                        "surface=chat", QUALITY, Map.of("surface", "chat"), day9, null),
                new Incident("outage-45min-30pct.yaml", "45-min 30 % outage, global", SloCatalog.SUCCESS, "*",
                        AVAILABILITY, Map.of("provider", "openai"), Instant.parse("2026-10-08T14:00:00Z"),
                        Instant.parse("2026-10-08T14:45:00Z")),
                new Incident("outage-2h-5pct-chat-eu.yaml", "2-h 5 % outage, chat eu-west", SloCatalog.SUCCESS,
                        "surface=chat,cohort.region=eu-west", AVAILABILITY,
                        Map.of("surface", "chat", "cohort.region", "eu-west", "provider", "openai"),
                        Instant.parse("2026-10-08T10:00:00Z"), Instant.parse("2026-10-08T12:00:00Z")));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = work != null ? work : Files.createTempDirectory("bench-detection");
        SloCatalog catalog = SloCatalog.defaults();
        CohortKeys cohorts = new CohortKeys(GROUPING_SETS);
        Set<String> slos = new HashSet<>(DetectionBench.budgetedSlos(catalog));
        long started = System.nanoTime();

        out.println("## bench detection");
        out.println();
        out.printf(Locale.ROOT, "Family budget: %s; thresholds h = %.2f (global) / %.2f (one dimension) / %.2f"
                        + " (deeper) nats.%n%n", FamilyBudget.defaults(),
                FamilyBudget.defaults().threshold("*", 4), FamilyBudget.defaults().threshold("surface=chat", 4),
                FamilyBudget.defaults().threshold("surface=chat,model=m-1", 4));

        List<String[]> falseRows = new ArrayList<>();
        if (selected("healthy.yaml")) {
            Scenario sc = Scenario.load("classpath:scenarios/detection/healthy.yaml");
            Map<String, Series> series = BenchTraffic.of(sc, dir.resolve("healthy"), catalog, cohorts, slos);
            long end = sc.end().toEpochMilli();
            List<Row> healthy = DetectionBench.run(series.values(), catalog, end, false, sc.seed());
            falseRows.add(falseAlertRow("30 healthy days", series.size(), sc.days(), healthy, null));
            // exactly at target: same traffic, verdicts redrawn; tail blow-up judges values, so it sits out
            // refusal drift's "target" is a margin, not a rate: it sits out too
            List<Series> ratio = series.values().stream().filter(s -> !SloCatalog.COST_TAIL.equals(s.slo)
                    && !SloCatalog.REFUSAL_DRIFT.equals(s.slo)).toList();
            List<Row> atTarget = DetectionBench.run(ratio, catalog, end, true, sc.seed());
            falseRows.add(falseAlertRow("30 days exactly at target", ratio.size(), sc.days(), atTarget, null));
            out.printf(Locale.ROOT, "Healthy scenario: %d series; bad fraction over 30 days of each SLO's global"
                    + " cohort vs its budget:%s%n%n", series.size(), margins(series, catalog));
        }

        List<String[]> incidentRows = new ArrayList<>();
        for (int r = 0; r < DetectionBench.RULES.length; r++) {
            ratios.add(new ArrayList<>());
        }
        for (Incident inc : incidents()) {
            if (!selected(inc.file())) {
                continue;
            }
            Scenario sc = Scenario.load("classpath:scenarios/detection/" + inc.file());
            Map<String, Series> series = BenchTraffic.of(sc, dir.resolve(inc.file().replace(".yaml", "")), catalog,
                    cohorts, slos);
            long end = sc.end().toEpochMilli();
            List<Row> rows = DetectionBench.run(series.values(), catalog, end, false, sc.seed());
            falseRows.add(falseAlertRow(inc.label(), series.size(), sc.days(), rows, inc));
            incidentRows.addAll(incidentRows(inc, series, rows, catalog, end, ratios));
        }

        out.println("### False alerts per 30 days over all series (alert openings, any severity)");
        out.println();
        table(out, header("scenario", "series"), falseRows);
        out.println();
        out.println("### Incidents: delay to the first alert on the incident's SLO (any overlapping cohort),"
                + " its traffic as a multiple of the statistical limit, and resolve delay after the incident's end");
        out.println();
        out.println("Limit: events of the incident's cohort a one-shot exact binomial test (α = 0.01, 80 % power)"
                + " needs to tell the incident's measured bad rate from the target's (StatisticalLimit).");
        out.println();
        List<String> h = new ArrayList<>(List.of("incident", "SLO / cohort", "bad rate vs budget", "limit"));
        for (String r : DetectionBench.RULES) {
            h.add(r + ": delay (× limit) / resolve");
        }
        h.add("most specific cohort (sequential)");
        table(out, h.toArray(String[]::new), incidentRows);
        out.println();
        out.println("Per rule over the incidents: median delay as a multiple of the limit (a miss counts as"
                + " infinite), misses.");
        out.println();
        List<String[]> summary = new ArrayList<>();
        for (int r = 0; r < DetectionBench.RULES.length; r++) {
            List<Double> x = new ArrayList<>(ratios.get(r));
            Collections.sort(x);
            long missed = x.stream().filter(v -> v.isInfinite()).count();
            String med = x.isEmpty() ? "–" : x.size() % 2 == 1 ? fmt(x.get(x.size() / 2))
                    : fmt((x.get(x.size() / 2 - 1) + x.get(x.size() / 2)) / 2);
            summary.add(new String[] {DetectionBench.RULES[r], med, Long.toString(missed)});
        }
        table(out, new String[] {"rule", "median × limit", "missed"}, summary);
        out.println();
        out.printf(Locale.ROOT, "Runtime: %.0f s.%n", (System.nanoTime() - started) / 1e9);
        out.flush();
        return 0;
    }

    private boolean selected(String file) {
        return only == null || file.contains(only);
    }

    private static String[] header(String... first) {
        List<String> h = new ArrayList<>(List.of(first));
        Collections.addAll(h, DetectionBench.RULES);
        return h.toArray(String[]::new);
    }

    /** False openings (not attributable to the scenario's incident) per rule, scaled to 30 days. */
    static String[] falseAlertRow(String label, int seriesCount, int days, List<Row> rows, Incident inc) {
        String[] row = new String[2 + DetectionBench.RULES.length];
        row[0] = label;
        row[1] = Integer.toString(seriesCount);
        for (int r = 0; r < DetectionBench.RULES.length; r++) {
            int rule = r;
            long count = rows.stream().filter(x -> x.rule() == rule)
                    .filter(x -> AlertEvent.FIRING.equals(x.event().state()))
                    .filter(x -> inc == null || !attributed(inc, x.event()))
                    .count();
            Set<String> seriesHit = new HashSet<>();
            rows.stream().filter(x -> x.rule() == rule && AlertEvent.FIRING.equals(x.event().state()))
                    .filter(x -> inc == null || !attributed(inc, x.event()))
                    .forEach(x -> seriesHit.add(x.event().slo() + "|" + x.event().cohort()));
            row[2 + r] = String.format(Locale.ROOT, "%.0f (%d series)", count * 30.0 / days, seriesHit.size());
        }
        return row;
    }

    /** Whether an alert belongs to the incident: one of its SLOs, a cohort holding its traffic, in its span. */
    static boolean attributed(Incident inc, AlertEvent e) {
        if (!inc.slos().contains(e.slo()) || !overlaps(e.cohort(), inc.match())) {
            return false;
        }
        long from = inc.from().toEpochMilli();
        long to = inc.to() == null ? Long.MAX_VALUE : inc.to().toEpochMilli() + 2 * HOUR;
        return e.at() >= from && e.at() <= to;
    }

    static boolean overlaps(String cohort, Map<String, String> match) {
        if ("*".equals(cohort)) {
            return true;
        }
        for (String part : cohort.split(",")) {
            String[] kv = part.split("=", 2);
            String want = match.get(kv[0]);
            if (want != null && kv.length == 2 && !want.equals(kv[1])) {
                return false;
            }
        }
        return true;
    }

    static String fmt(double v) {
        return Double.isInfinite(v) ? "∞" : String.format(Locale.ROOT, "%.1f×", v);
    }

    static List<String[]> incidentRows(Incident inc, Map<String, Series> series, List<Row> rows, SloCatalog catalog,
            long end, List<List<Double>> ratios) {
        double target = catalog.get(inc.slo()).target();
        Series own = series.get(inc.slo() + "|" + inc.cohort());
        long from = inc.from().toEpochMilli();
        long to = inc.to() == null ? end : inc.to().toEpochMilli();
        long[] nb = own == null ? new long[] {0, 0} : own.countsIn(from, to);
        double rate = nb[0] == 0 ? 0 : nb[1] / (double) nb[0];
        if (SloCatalog.REFUSAL_DRIFT.equals(inc.slo()) && own != null) {
            // the drift's boundary: the rate before the incident plus the margin
            long[] before = own.countsIn(Long.MIN_VALUE, from);
            target = 1 - (before[1] / (double) Math.max(1, before[0]) + catalog.get(inc.slo()).factor());
        }
        long limit = StatisticalLimit.traffic(1 - target, rate);
        String[] row = new String[5 + DetectionBench.RULES.length];
        row[0] = inc.label();
        row[1] = inc.slo() + " / " + inc.cohort();
        row[2] = String.format(Locale.ROOT, "%.4f vs %.4f (%.1f×)", rate, 1 - target, rate / (1 - target));
        double perHour = nb[0] / Math.max(1.0, (to - from) / (double) HOUR);
        row[3] = limit < 0 ? "none" : String.format(Locale.ROOT, "%d events (%.1f h)", limit, limit / perHour);
        for (int r = 0; r < DetectionBench.RULES.length; r++) {
            int rule = r;
            List<AlertEvent> mine = rows.stream().filter(x -> x.rule() == rule).map(Row::event)
                    .filter(e -> e.slo().equals(inc.slo()) && attributed(inc, e)).sorted(
                            java.util.Comparator.comparingLong(AlertEvent::at)).toList();
            AlertEvent first = mine.stream().filter(e -> AlertEvent.FIRING.equals(e.state())).findFirst().orElse(null);
            if (first == null) {
                row[4 + r] = "missed";
                if (limit > 0) {
                    ratios.get(r).add(Double.POSITIVE_INFINITY);
                }
                continue;
            }
            double delayH = (first.at() - from) / (double) HOUR;
            long traffic = own == null ? 0 : own.count(from, first.at());
            String ratio = limit > 0 ? String.format(Locale.ROOT, "%.1f×", traffic / (double) limit) : "–";
            if (limit > 0) {
                ratios.get(r).add(traffic / (double) limit);
            }
            String resolve = "";
            if (inc.to() != null) {
                // the incident cohort's own alerts, then every overlapping cohort's
                List<AlertEvent> ownRows = mine.stream().filter(e -> e.cohort().equals(inc.cohort())).toList();
                resolve = " / " + resolveDelay(ownRows, rows, rule, inc, end) + " (all cohorts "
                        + resolveDelay(mine, rows, rule, inc, end) + ")";
            }
            row[4 + r] = String.format(Locale.ROOT, "%s (%s)%s", hours(delayH), ratio, resolve);
            if (r == DetectionBench.SEQUENTIAL) {
                // among the cohorts this rule alerted for the incident, the most specific that explains it
                Map<String, long[]> counts = new LinkedHashMap<>();
                for (AlertEvent e : mine) {
                    Series s = series.get(e.slo() + "|" + e.cohort());
                    if (s != null && AlertEvent.FIRING.equals(e.state())) {
                        counts.put(e.cohort(), s.countsIn(from, to));
                    }
                }
                String why = CohortExplainer.explain(counts, 1 - target, CohortExplainer.DEFAULT_SHARE);
                row[4 + DetectionBench.RULES.length] = why == null ? "" : why;
            }
        }
        if (row[4 + DetectionBench.RULES.length] == null) {
            row[4 + DetectionBench.RULES.length] = "";
        }
        return java.util.Collections.singletonList(row);
    }

    /** Time from the incident's end until every alert it opened (on its SLO) has resolved. */
    static String resolveDelay(List<AlertEvent> mine, List<Row> rows, int rule, Incident inc, long end) {
        long to = inc.to().toEpochMilli();
        long last = Long.MIN_VALUE;
        for (AlertEvent f : mine) {
            if (!AlertEvent.FIRING.equals(f.state())) {
                continue;
            }
            AlertEvent resolved = rows.stream().filter(x -> x.rule() == rule).map(Row::event)
                    .filter(e -> AlertEvent.RESOLVED.equals(e.state()) && e.slo().equals(f.slo())
                            && e.cohort().equals(f.cohort()) && e.severity().equals(f.severity()) && e.at() > f.at())
                    .min(java.util.Comparator.comparingLong(AlertEvent::at)).orElse(null);
            if (resolved == null) {
                return "open at end";
            }
            last = Math.max(last, resolved.at());
        }
        return last == Long.MIN_VALUE ? "–" : String.format(Locale.ROOT, "%+.0f min", (last - to) / 60_000.0);
    }

    static String hours(double h) {
        return h < 1 ? String.format(Locale.ROOT, "%.0f min", h * 60) : String.format(Locale.ROOT, "%.1f h", h);
    }

    /** Bad fraction of each SLO's global cohort against its budget (the healthy margin). */
    static String margins(Map<String, Series> series, SloCatalog catalog) {
        StringBuilder sb = new StringBuilder();
        Map<String, Series> global = new LinkedHashMap<>();
        series.values().stream().filter(s -> "*".equals(s.cohort)).forEach(s -> global.put(s.slo, s));
        for (Series s : global.values()) {
            long bad = 0;
            for (int i = 0; i < s.size; i++) {
                bad += s.good[i] ? 0 : 1;
            }
            sb.append(String.format(Locale.ROOT, " %s %.4f / %.4f;", s.slo, bad / (double) Math.max(1, s.size),
                    1 - catalog.get(s.slo).target()));
        }
        return sb.toString();
    }

    static void table(PrintWriter out, String[] header, List<String[]> rows) {
        out.println("| " + String.join(" | ", header) + " |");
        out.println("|" + " --- |".repeat(header.length));
        for (String[] r : rows) {
            out.println("| " + String.join(" | ", r) + " |");
        }
    }

}
