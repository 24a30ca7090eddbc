package io.llmslo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.dashboard.DashboardQueries;
import io.llmslo.demo.IncidentReport;
import io.llmslo.sim.Scenario;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code demo} end to end (simulator → MiniCluster job → SQLite): its incident summary matches the
 * scenario file: every injected incident listed with its cohort and start, delays never negative,
 * a detected incident always with a first alert of its family in a cohort that can hold it, and
 * the printed table says so. The two-day scenario's incidents are each far beyond their
 * statistical limit, so every one must be detected; the month (opt-in, {@code -Dllmslo.month=true},
 * as {@code .ci/run} does) is the demo itself, whose four incidents must all be alerted on.
 */
class DemoIncidentsITCase {

    private static final String SCENARIO = """
            start: 2026-10-05T00:00:00Z
            days: 2
            requests_per_day: 1500
            seed: 11
            weekend_factor: 1
            incidents:
              # half of all openai attempts fail and the gateway does not fail over: availability drops
              - {type: provider_outage, name: openai down, provider: openai, failure_rate: 0.6, failover_rate: 0.0,
                 from: 2026-10-05T10:00:00Z, to: 2026-10-05T16:00:00Z}
              - {type: latency_regression, name: chat slow, multiplier: 4, match: {surface: chat},
                 from: 2026-10-06T06:00:00Z, to: 2026-10-06T18:00:00Z}
              # agent in en-US (~400 requests/day): acceptance from ~0.93 to ~0.5 against 0.88
              - {type: quality_regression, name: agent en-US worse, negative_rate: 0.55, useful_rate: 0.5,
                 match: {surface: agent, locale: en-US}, from: 2026-10-05T04:00:00Z}
            """;

    @TempDir
    Path dir;

    @Test
    void incidentSummaryMatchesTheScenarioFile() throws Exception {
        Path file = dir.resolve("two-days.yaml");
        Files.writeString(file, SCENARIO);
        IncidentReport.Result r = demo(Scenario.load(file), "--scenario", file.toString());
        for (IncidentReport.Finding f : r.incidents()) {
            assertThat(f.detected()).as("%s was alerted", f.name()).isTrue();
        }
        // the outage is far beyond any statistical limit: it must page within hours
        IncidentReport.Finding outage = r.incidents().get(0);
        assertThat(outage.family()).isEqualTo("availability");
        assertThat(outage.alertDelay()).isLessThan(Duration.ofHours(6));
    }

    @Test
    @EnabledIfSystemProperty(named = "llmslo.month", matches = "true")
    void theMonthDemoAlertsOnEveryInjectedIncident() throws Exception {
        Scenario month = Scenario.load(DemoCommand.SCENARIO);
        IncidentReport.Result r = demo(month);
        for (IncidentReport.Finding f : r.incidents()) {
            assertThat(f.detected()).as("%s was alerted", f.name()).isTrue();
        }
    }

    /** Runs {@code demo} and checks its summary against {@code sc}; returns the findings. */
    private IncidentReport.Result demo(Scenario sc, String... extra) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> args = new ArrayList<>(List.of("demo", "--no-dashboard", "--out", dir.resolve("demo").toString(),
                "--rubrics", "rubrics"));
        args.addAll(List.of(extra));
        int code = cli.execute(args.toArray(String[]::new));
        String text = out.toString();
        assertThat(code).as("stdout:%n%s%nstderr:%n%s", text, err).isZero();

        DashboardQueries tables = new DashboardQueries("jdbc:sqlite:" + dir.resolve("demo/llm-slo.db"), null, null);
        IncidentReport.Result r = DemoProgress.incidents(tables, sc, Duration.ofMinutes(5)); // jobs/demo.yaml's interval

        assertThat(r.incidents()).hasSize(sc.incidents().size());
        for (int i = 0; i < sc.incidents().size(); i++) {
            Scenario.Incident inc = sc.incidents().get(i);
            IncidentReport.Finding f = r.incidents().get(i);
            assertThat(f.start()).isEqualTo(inc.from().toEpochMilli());
            assertThat(f.end()).isEqualTo(inc.to().toEpochMilli());
            assertThat(f.cohort()).isEqualTo(IncidentReport.cohortText(inc));
            assertThat(f.family()).isEqualTo(IncidentReport.family(inc));
            String line = tableLine(text, f);
            assertThat(line).as("the table line of %s:%n%s", f.name(), text).isNotNull();
            if (f.detected()) {
                assertThat(f.alertDelay().isNegative()).isFalse();
                assertThat(f.firstAlert().at()).isGreaterThanOrEqualTo(inc.from().toEpochMilli());
                assertThat(f.firstAlert().slo()).startsWith(f.family() + ".");
                assertThat(IncidentReport.explains(inc, f.firstAlert().slo(), f.firstAlert().cohort())).isTrue();
                assertThat(f.alerts()).isPositive();
                // printed: severity, delay, SLO and cohort of the first alert
                assertThat(line).contains(f.firstAlert().severity() + " +" + IncidentReport.human(f.alertDelay()) + "  "
                        + f.firstAlert().slo() + " " + f.firstAlert().cohort());
            } else {
                assertThat(f.alerts()).isZero();
                assertThat(line).contains(" none ");
            }
            if (f.firstBreach() != null) {
                assertThat(f.breachDelay().isNegative()).isFalse();
                assertThat(line).contains("+" + IncidentReport.human(f.breachDelay()) + "  " + f.firstBreach().slo());
            }
        }
        // every alert is either explained by an incident or listed as unexplained, none twice
        int explained = r.incidents().stream().mapToInt(IncidentReport.Finding::alerts).sum();
        assertThat((long) explained + r.unexplained().size()).isGreaterThanOrEqualTo(firings(tables));
        assertThat(text).contains("injected incidents and what the job found",
                "fired with no injected incident to explain it: " + r.unexplained().size());
        assertThat(text).contains("demo: job finished");
        return r;
    }

    /** The printed table line of a finding: its name, cohort and start, in that order. */
    private static String tableLine(String text, IncidentReport.Finding f) {
        String start = java.time.format.DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.ofEpochMilli(f.start()));
        return text.lines().filter(l -> l.startsWith("  " + f.name() + " ") && l.contains(" " + f.cohort() + " ")
                && l.contains(" " + start + " ")).findFirst().orElse(null);
    }

    private static long firings(DashboardQueries tables) throws Exception {
        try (java.sql.Connection c = tables.readConnection(); java.sql.Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM slo_alerts WHERE state = 'firing'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
