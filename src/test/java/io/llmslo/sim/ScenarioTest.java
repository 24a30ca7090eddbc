package io.llmslo.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmslo.sim.Scenario.CostBlowup;
import io.llmslo.sim.Scenario.LatencyRegression;
import io.llmslo.sim.Scenario.ProviderOutage;
import io.llmslo.sim.Scenario.QualityRegression;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioTest {

    @Test
    void emptyDocumentGivesTheDocumentedDefaults() {
        Scenario s = Scenario.parse("", "empty.yaml");
        assertThat(s.start()).isEqualTo(Instant.parse("2026-10-01T00:00:00Z"));
        assertThat(s.days()).isEqualTo(35);
        assertThat(s.requestsPerDay()).isEqualTo(1200);
        assertThat(s.surfaces()).extracting(Scenario.SurfaceSpec::name).containsExactly("chat", "agent", "rag", "batch");
        assertThat(s.surfaces()).extracting(Scenario.SurfaceSpec::share).containsExactly(0.5, 0.2, 0.2, 0.1);
        assertThat(s.surfaces()).extracting(Scenario.SurfaceSpec::streaming).containsExactly(true, true, false, false);
        assertThat(s.models()).extracting(Scenario.ModelSpec::name).containsExactly("m-1", "m-2");
        assertThat(s.providers()).extracting(Scenario.Weighted::name).containsExactly("openai", "anthropic");
        assertThat(s.regions()).extracting(Scenario.Weighted::name).containsExactly("eu-west", "us-east", "ap-south");
        assertThat(s.locales()).extracting(Scenario.Weighted::name).containsExactly("en-US", "de-DE", "ja-JP");
        assertThat(s.invalidRate()).isZero();
        assertThat(s.duplicateRate()).isEqualTo(0.002);
        assertThat(s.incidents()).isEmpty();
        assertThat(s.end()).isEqualTo(Instant.parse("2026-11-05T00:00:00Z"));
    }

    @Test
    void shippedScenariosLoadFromTheClasspath() {
        Scenario month = Scenario.load("classpath:scenarios/month.yaml");
        assertThat(month.days()).isEqualTo(35);
        assertThat(month.incidents()).hasSize(4);
        assertThat(month.incidents().get(0)).isInstanceOf(ProviderOutage.class);
        assertThat(month.incidents().get(1)).isInstanceOf(LatencyRegression.class);
        assertThat(month.incidents().get(2)).isInstanceOf(CostBlowup.class);
        QualityRegression q = (QualityRegression) month.incidents().get(3);
        assertThat(q.to()).isEqualTo(month.end());
        assertThat(q.match().model()).isEqualTo("m-2");

        Scenario sample = Scenario.load("classpath:scenarios/sample.yaml");
        assertThat(sample.days()).isEqualTo(3);
        assertThat(sample.requestsPerDay()).isEqualTo(1000);
        assertThat(sample.invalidRate()).isEqualTo(0.002);
        assertThat(sample.incidents()).singleElement().isInstanceOf(QualityRegression.class);
    }

    @Test
    void loadsFromAFilePath(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, """
                start: 2026-01-05
                days: 2
                models: {m-1: 3, m-9: 1}
                regions: [{name: eu-west, share: 1}]
                incidents:
                  - {type: cost_blowup, multiplier: 5, from: "2026-01-05T12:00:00+01:00", match: {model: m-9}}
                """);
        Scenario s = Scenario.load(f.toString());
        assertThat(s.start()).isEqualTo(Instant.parse("2026-01-05T00:00:00Z"));
        assertThat(s.models()).extracting(Scenario.ModelSpec::share).containsExactly(0.75, 0.25);
        assertThat(s.incidents().get(0).from()).isEqualTo(Instant.parse("2026-01-05T11:00:00Z"));
        assertThat(s.incidents().get(0).to()).isEqualTo(Instant.parse("2026-01-07T00:00:00Z"));
        assertThat(s.source()).isEqualTo(f.toString());
    }

    @Test
    void errorsNameFileKeyAndExpectation() {
        assertError("days: -3", "scenario.yaml: key 'days' expected a positive integer (at most 3650), got -3 (line 1, column 1)");
        assertError("requests_per_day: lots",
                "scenario.yaml: key 'requests_per_day' expected a positive integer (at most 10000000), got 'lots'");
        assertError("start: yesterday",
                "scenario.yaml: key 'start' expected an ISO-8601 instant such as 2026-10-01T00:00:00Z, got 'yesterday'");
        assertError("reqests_per_day: 10", "scenario.yaml: key 'reqests_per_day' is not known here; expected one of [");
        assertError("surfaces: [{name: chatt, share: 1}]",
                "scenario.yaml: key 'surfaces[0].name' expected one of chat|agent|rag|batch, got 'chatt'");
        assertError("surfaces: [{name: chat, share: 1, streaming: yes please}]",
                "scenario.yaml: key 'surfaces[0].streaming' expected true or false, got 'yes please'");
        assertError("invalid_rate: 1.5", "scenario.yaml: key 'invalid_rate' expected a probability in [0, 1], got 1.5");
        assertError("providers: {openai: 0, anthropic: 0}",
                "scenario.yaml: key 'providers' expected shares adding up to more than 0, got 0.0");
        assertError("incidents: [{type: meltdown, from: 2026-10-02T00:00:00Z}]",
                "scenario.yaml: key 'incidents[0].type' expected one of "
                        + "provider_outage|latency_regression|cost_blowup|quality_regression, got 'meltdown'");
        assertError("incidents: [{type: latency_regression, from: 2026-10-02T00:00:00Z}]",
                "scenario.yaml: key 'incidents[0].multiplier' is required (expected a number > 0)");
        assertError("incidents: [{type: cost_blowup, multiplier: -2, from: 2026-10-02T00:00:00Z}]",
                "scenario.yaml: key 'incidents[0].multiplier' expected a number > 0, got -2 (line 1, column 33)");
        assertError("incidents: [{type: cost_blowup, multiplier: 2}]",
                "scenario.yaml: key 'incidents[0].from' is required (expected an ISO-8601 instant");
        assertError("incidents: [{type: cost_blowup, multiplier: 2, from: 2026-10-03T00:00:00Z, to: 2026-10-02T00:00:00Z}]",
                "scenario.yaml: key 'incidents[0].to' expected an instant after from (2026-10-03T00:00:00Z), "
                        + "got '2026-10-02T00:00:00Z'");
        assertError("incidents: [{type: cost_blowup, multiplier: 2, from: 2026-10-02T00:00:00Z, match: {model: m-3}}]",
                "scenario.yaml: key 'incidents[0].match.model' expected one of m-1|m-2, got 'm-3'");
        assertError("incidents: [{type: cost_blowup, multiplier: 2, from: 2026-10-02T00:00:00Z, match: {tenant: x}}]",
                "scenario.yaml: key 'incidents[0].match.tenant' is not known here");
        assertError("incidents: [{type: provider_outage, provider: azure, failure_rate: 0.2, from: 2026-10-02}]",
                "scenario.yaml: key 'incidents[0].provider' expected one of openai|anthropic, got 'azure'");
        assertError("incidents: [{type: provider_outage, provider: openai, failure_rate: 0, from: 2026-10-02}]",
                "scenario.yaml: key 'incidents[0].failure_rate' expected a probability in (0, 1], got 0");
        assertError("incidents: [{type: quality_regression, from: 2026-10-02}]",
                "scenario.yaml: key 'incidents[0]' expected at least one of negative_rate, useful_rate, refusal_rate");
        assertError("incidents: [{type: cost_blowup, multiplier: 2, from: 2026-10-02, severity: high}]",
                "scenario.yaml: key 'incidents[0].severity' is not known here; expected one of [type, name,"
                        + " description, from, to, match, multiplier] (line 1, column 66)");
        assertError("days: 3\ndays: 4", "scenario.yaml: not valid YAML at line 2, column 5: Duplicate field 'days'");
        assertError("days: [1, 2", "scenario.yaml: not valid YAML at line 1, column 12: ");
        assertError("- a\n- b", "scenario.yaml: expected a mapping of scenario keys at the top level, got a list");
    }

    @Test
    void missingFilesAndResourcesAreNamed() {
        assertThatThrownBy(() -> Scenario.load("/no/such/scenario.yaml"))
                .isInstanceOf(ScenarioException.class).hasMessage("/no/such/scenario.yaml: no such file");
        assertThatThrownBy(() -> Scenario.load("classpath:scenarios/nope.yaml"))
                .isInstanceOf(ScenarioException.class)
                .hasMessage("classpath:scenarios/nope.yaml: no such classpath resource");
    }

    private static void assertError(String yaml, String messageStart) {
        assertThatThrownBy(() -> Scenario.parse(yaml, "scenario.yaml"))
                .isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith(messageStart);
    }
}
