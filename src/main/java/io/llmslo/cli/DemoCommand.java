package io.llmslo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmslo.config.JobConfig;
import io.llmslo.dashboard.DashboardQueries;
import io.llmslo.dashboard.DashboardServer;
import io.llmslo.demo.IncidentReport;
import io.llmslo.sim.Scenario;
import io.llmslo.sim.ScenarioException;
import io.llmslo.sim.SimulationResult;
import io.llmslo.sim.TrafficSimulator;
import io.llmslo.sink.TableSchemas;
import io.llmslo.sink.TableSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the embedded default (DESIGN §8). Simulates the month scenario with its injected
 * incidents, runs the job on it with the offline judge into SQLite, prints what the tables hold,
 * then serves the dashboard over them.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "Simulates a month of LLM traffic with injected regressions (classpath:scenarios/month.yaml),",
            "runs the SLO job on it with the offline judge into SQLite, then serves the dashboard."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:I/O, job or database error", "2:usage or config error"})
public class DemoCommand implements Callable<Integer> {

    static final String SCENARIO = "classpath:scenarios/month.yaml";
    static final String DATABASE = "llm-slo.db";

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", defaultValue = SCENARIO, paramLabel = "<file>",
            description = "Scenario to simulate (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--days", paramLabel = "<days>",
            description = "Days of traffic to simulate from the scenario's start (default: the scenario's, 35 for the month).")
    Integer days;

    @Option(names = "--out", defaultValue = "demo", paramLabel = "<dir>",
            description = "Folder for the traffic, the job file and the SQLite database (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "<port>",
            description = "Dashboard port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @picocli.CommandLine.Mixin
    ServeOptions serveOptions = new ServeOptions();

    @Option(names = "--no-dashboard", description = "Stop after the summary instead of serving the dashboard.")
    boolean noDashboard;

    @Option(names = "--rubrics", defaultValue = "rubrics", paramLabel = "<dir>",
            description = "Rubrics folder for the judge (default: ${DEFAULT-VALUE}).")
    Path rubrics;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (days != null && (days < 1 || days > 366)) {
            return usage(err, "--days must be in 1..366");
        }
        if (port < 0 || port > 65_535) {
            return usage(err, "--port must be in 0..65535");
        }
        if (!Files.isDirectory(rubrics)) {
            return usage(err, "no rubrics folder " + rubrics + " (run from the project folder or pass --rubrics)");
        }

        Scenario sc;
        try {
            Scenario loaded = Scenario.load(scenario);
            sc = withDays(loaded, days == null ? loaded.days() : days);
        } catch (ScenarioException e) {
            return usage(err, e.getMessage());
        }
        Path traffic = out.resolve("traffic");
        long t0 = System.nanoTime();
        SimulationResult sim;
        try {
            sim = TrafficSimulator.run(sc, traffic);
        } catch (IOException e) {
            err.println("demo: cannot write to " + traffic + ": " + e);
            err.flush();
            return 1;
        }
        o.printf("demo: simulated %d days from %s: %s (%.1f s)%n", sc.days(), sc.start(), sim.summary(), secs(t0));
        o.flush();

        // a fresh database: rows of an earlier, longer demo would otherwise stay in the tables
        for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
            Files.deleteIfExists(out.resolve(DATABASE + suffix));
        }
        Path jobFile = out.resolve("demo.yaml");
        Files.writeString(jobFile, jobYaml(out, rubrics), StandardCharsets.UTF_8);
        JobConfig cfg = JobConfig.load(jobFile);
        o.printf("demo: running the job %s (offline judge, parallelism %d)…%n", jobFile, cfg.parallelism);
        o.flush();
        long t1 = System.nanoTime();
        DashboardQueries queries = new DashboardQueries(cfg.output.jdbcUrl(), null, null);
        DemoProgress.runWithProgress(cfg, queries, sim.totalLines(), o);
        o.printf("demo: job finished in %.1f s%n", secs(t1));

        // the incident report scans every history row for breaches (~1 s for the month): it reads
        // on a second connection while the summary's queries run on this thread
        CompletableFuture<IncidentReport.Result> incidents =
                CompletableFuture.supplyAsync(() -> {
                    try {
                        return DemoProgress.incidents(queries, sc, cfg.output.historyInterval());
                    } catch (SQLException e) {
                        throw new CompletionException(e);
                    }
                });
        try {
            summary(queries, o);
            o.println("demo: injected incidents and what the job found (delays in event time from the incident's start):");
            o.print(IncidentReport.table(incidents.join(), 10));
            o.flush();
        } catch (SQLException | CompletionException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            err.println("demo: cannot read the tables: " + cause.getMessage());
            err.flush();
            return 1;
        }
        if (noDashboard) {
            o.printf("demo: dashboard skipped; later: dashboard --jdbc-url %s%n", cfg.output.jdbcUrl());
            o.printf("demo: the weekly summary: report --since 7d --jdbc-url %s%n", cfg.output.jdbcUrl());
            o.flush();
            return 0;
        }
        DashboardServer.Options options;
        try {
            options = serveOptions.options(port);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        return DashboardCommand.serve(queries, options, o, err);
    }

    /** The job file of {@code jobs/demo.yaml} with {@code out} in place of {@code demo/}. */
    static String jobYaml(Path out, Path rubrics) {
        String dir = out.toString().replace('\\', '/');
        String traffic = dir + "/traffic/";
        return "# Written by `demo`; the same as jobs/demo.yaml with this folder in place of demo/.\n"
                + "name: demo\n"
                + "parallelism: 2\n\n"
                + "sources:\n"
                + "  type: files\n"
                + "  responses: " + quote(traffic + TrafficSimulator.RESPONSES) + "\n"
                + "  feedback: " + quote(traffic + TrafficSimulator.FEEDBACK) + "\n"
                + "  ratings: " + quote(traffic + TrafficSimulator.RATINGS) + "\n\n"
                + "event_time:\n"
                + "  out_of_orderness: 2m\n"
                + "  allowed_lateness: 0s\n\n"
                + "join:\n"
                + "  acceptance_window: 10m\n"
                + "  max_rating_delay: 8d\n\n"
                + "sampling:\n"
                + "  rate: 0.05\n\n"
                + "judge:\n"
                + "  enabled: true\n"
                + "  provider: offline\n"
                + "  rubrics_dir: " + quote(rubrics.toString().replace('\\', '/')) + "\n"
                // simulated raters rate a uniform sample, not the review queue's picks
                + "  review_queue: {weight_ratings: false}\n\n"
                + "cohorts:\n"
                + "  grouping_sets:\n"
                + "    - [surface]\n"
                + "    - [surface, model]\n"
                + "    - [surface, cohort.region]\n"
                + "    - [surface, cohort.locale]\n\n"
                + "slo:\n"
                + "  alpha: 0.01\n"
                + "  min_n: 50\n"
                + "  budget_period: 30d\n\n"
                + "output:\n"
                + "  jdbc_url: " + quote("jdbc:sqlite:" + dir + "/" + DATABASE) + "\n"
                + "  history_interval: 5m\n"
                + "  batch_size: 20000\n\n"
                + "state:\n"
                + "  backend: heap\n";
    }

    /** A YAML single-quoted scalar: any path is literal text. */
    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    static Scenario withDays(Scenario s, int days) {
        if (days == s.days()) {
            return s;
        }
        return new Scenario(s.source(), s.start(), days, s.requestsPerDay(), s.seed(), s.diurnal(),
                s.weekendFactor(), s.surfaces(), s.models(), s.providers(), s.regions(), s.locales(),
                s.baseline(), s.incidents(), s.invalidRate(), s.duplicateRate());
    }

    private static void summary(DashboardQueries q, PrintWriter o) throws SQLException {
        List<String> tables = TableSchemas.all().stream().map(TableSpec::name).toList();
        o.println("demo: rows per table:");
        for (Map.Entry<String, Long> e : q.tableCounts(tables).entrySet()) {
            o.printf("  %-18s %,d%n", e.getKey(), e.getValue());
        }
        JsonNode status = q.status();
        long breaches = 0;
        long total = 0;
        StringBuilder breachList = new StringBuilder();
        for (JsonNode fam : status.get("families")) {
            for (JsonNode r : fam.get("rows")) {
                total++;
                if ("breach".equals(r.path("status").asText())) {
                    breaches++;
                    if (breaches <= 12) {
                        breachList.append(String.format("  %-30s %-36s %s%n", r.get("slo").asText(),
                                r.get("cohort").asText(), r.path("alert").isNull() ? "" : "alert " + r.get("alert").asText()));
                    }
                }
            }
        }
        o.printf("demo: as of %s, %d of %d (slo, cohort) in breach%s%n", status.path("as_of").asText("-"),
                breaches, total, breaches > 12 ? " (first 12)" : "");
        o.print(breachList);
        JsonNode alerts = q.alerts(0);
        o.printf("demo: %d alert transitions in slo_alerts (%d firing), %d open now%n",
                count("SELECT COUNT(*) FROM slo_alerts", q),
                count("SELECT COUNT(*) FROM slo_alerts WHERE state = 'firing'", q), alerts.get("open").size());
        for (JsonNode a : alerts.get("open")) {
            o.printf("  %-14s %-30s %s since %s%n", a.get("severity").asText(), a.get("slo").asText(),
                    a.get("cohort").asText(), a.get("since").asText());
        }
        o.flush();
    }

    private static long count(String sql, DashboardQueries q) throws SQLException {
        try (Connection c = q.readConnection(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static int usage(PrintWriter err, String message) {
        err.println("demo: " + message);
        err.flush();
        return 2;
    }

    private static double secs(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
