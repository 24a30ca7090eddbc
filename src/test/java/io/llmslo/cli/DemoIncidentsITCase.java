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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code demo} end to end on a two-day scenario (simulator → MiniCluster job → SQLite): it
 * reports progress, and its incident summary matches the scenario file: every injected incident
 * listed with its cohort and start, delays never negative, a detected incident always with its
 * first alert, and the strong outage detected.
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
            """;

    @TempDir
    Path dir;

    @Test
    void incidentSummaryMatchesTheScenarioFile() throws Exception {
        Path file = dir.resolve("two-days.yaml");
        Files.writeString(file, SCENARIO);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("demo", "--no-dashboard", "--scenario", file.toString(), "--out",
                dir.resolve("demo").toString(), "--rubrics", "rubrics");
        String text = out.toString();
        assertThat(code).as("stdout:%n%s%nstderr:%n%s", text, err).isZero();

        Scenario sc = Scenario.load(file);
        DashboardQueries tables = new DashboardQueries("jdbc:sqlite:" + dir.resolve("demo/llm-slo.db"), null, null);
        IncidentReport.Result r = DemoProgress.incidents(tables, sc, Duration.ofMinutes(5)); // jobs/demo.yaml's interval

        assertThat(r.incidents()).hasSize(sc.incidents().size());
        for (int i = 0; i < sc.incidents().size(); i++) {
            Scenario.Incident inc = sc.incidents().get(i);
            IncidentReport.Finding f = r.incidents().get(i);
            assertThat(f.start()).isEqualTo(inc.from().toEpochMilli());
            assertThat(f.cohort()).isEqualTo(IncidentReport.cohortText(inc));
            // printed: one table line per incident with its name and cohort
            assertThat(text).contains(f.name() + " ").contains(f.cohort());
            if (f.detected()) {
                assertThat(f.alertDelay().isNegative()).isFalse();
                assertThat(f.firstAlert().at()).isGreaterThanOrEqualTo(inc.from().toEpochMilli());
                assertThat(f.firstAlert().slo()).startsWith(f.family() + ".");
            }
            if (f.firstBreach() != null) {
                assertThat(f.breachDelay().isNegative()).isFalse();
            }
        }
        // the outage is far beyond any statistical limit: it must page
        IncidentReport.Finding outage = r.incidents().get(0);
        assertThat(outage.family()).isEqualTo("availability");
        assertThat(outage.detected()).as("the outage was alerted:%n%s", text).isTrue();
        assertThat(outage.alertDelay()).isLessThan(Duration.ofHours(6));
        // the printed summary and the progress lines
        assertThat(text).contains("injected incidents and what the job found", "fired with no injected incident");
        assertThat(text).contains("demo: job finished");
    }
}
