package io.llmslo.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.sim.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which alerts and breach onsets an injected incident explains; hand-made rows. */
class IncidentReportTest {

    private static final Instant FROM = Instant.parse("2026-10-15T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-10-18T00:00:00Z");
    private static final long T0 = FROM.toEpochMilli();
    private static final long MIN = 60_000;

    private static final Scenario.Incident RAG_SLOW = new Scenario.LatencyRegression(FROM, TO,
            new Scenario.Match("rag", null, null, "ap-south", null), 3);
    private static final Scenario.Incident OUTAGE = new Scenario.ProviderOutage(FROM, TO, Scenario.Match.ALL,
            "openai", 0.25, 0.98);

    @Test
    void firstAlertAndBreachOfTheIncidentsFamilyAndCohort() {
        List<IncidentReport.Alert> firings = List.of(
                // before the start: not detection
                new IncidentReport.Alert("latency.total_p95", "surface=rag,cohort.region=ap-south", "ticket", T0 - MIN),
                // a contradicting cohort and another family: not this incident
                new IncidentReport.Alert("latency.total_p95", "surface=chat", "page", T0 + 5 * MIN),
                new IncidentReport.Alert("cost.p95", "surface=rag,cohort.region=ap-south", "page", T0 + 5 * MIN),
                // the two at the same instant: the higher severity is the first alert
                new IncidentReport.Alert("latency.total_p95", "surface=rag,cohort.region=ap-south", "ticket", T0 + 35 * MIN),
                new IncidentReport.Alert("latency.total_p95", "surface=rag", "page", T0 + 35 * MIN),
                // the diluted global cohort also holds the incident
                new IncidentReport.Alert("latency.ttft_p95", "*", "digest", T0 + 2000 * MIN));
        List<IncidentReport.Breach> onsets = List.of(
                new IncidentReport.Breach("latency.total_p95", "surface=chat", T0 + MIN),
                new IncidentReport.Breach("latency.total_p95", "surface=rag,cohort.region=ap-south", T0 + 20 * MIN));

        IncidentReport.Result r = IncidentReport.of(List.of(RAG_SLOW, OUTAGE), firings, onsets, Duration.ofDays(7));

        IncidentReport.Finding slow = r.incidents().get(0);
        assertThat(slow.family()).isEqualTo("latency");
        assertThat(slow.cohort()).isEqualTo("surface=rag, region=ap-south");
        assertThat(slow.detected()).isTrue();
        assertThat(slow.firstAlert().severity()).isEqualTo("page");
        assertThat(slow.alertDelay()).isEqualTo(Duration.ofMinutes(35));
        assertThat(slow.breachDelay()).isEqualTo(Duration.ofMinutes(20));
        assertThat(slow.alerts()).isEqualTo(3);
        // the outage saw no availability alert
        assertThat(r.incidents().get(1).detected()).isFalse();
        assertThat(r.incidents().get(1).firstBreach()).isNull();
        // unexplained: the early one, the chat one, the cost one
        assertThat(r.unexplained()).extracting(IncidentReport.Alert::at)
                .containsExactly(T0 - MIN, T0 + 5 * MIN, T0 + 5 * MIN);
        assertThat(IncidentReport.table(r, 10)).contains("latency x3", "page +35m", "+20m", "none",
                "fired with no injected incident to explain it: 3");
    }

    @Test
    void aProviderOutageIsExplainedOnlyInItsProvidersCohorts() {
        assertThat(IncidentReport.explains(OUTAGE, "availability.provider_success", "provider=openai")).isTrue();
        assertThat(IncidentReport.explains(OUTAGE, "availability.provider_success", "provider=anthropic")).isFalse();
        assertThat(IncidentReport.explains(OUTAGE, "availability.success", "surface=chat,model=m-2")).isTrue();
        assertThat(IncidentReport.explains(OUTAGE, "latency.total_p95", "*")).isFalse();
    }

    @Test
    void cohortKeysParseWithEscapes() {
        assertThat(IncidentReport.parseCohort("surface=chat,cohort.locale=de-DE"))
                .containsExactly(java.util.Map.entry("surface", "chat"), java.util.Map.entry("locale", "de-DE"));
        assertThat(IncidentReport.parseCohort("surface=a\\,b")).containsEntry("surface", "a,b");
        assertThat(IncidentReport.parseCohort("*")).isEmpty();
        assertThat(IncidentReport.human(Duration.ofMinutes(65))).isEqualTo("1h05m");
        assertThat(IncidentReport.human(Duration.ofHours(51))).isEqualTo("2d3h");
    }
}
