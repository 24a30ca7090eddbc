package io.llmslo.sim;

import static io.llmslo.sim.TrafficFiles.in;
import static io.llmslo.sim.TrafficFiles.is;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each incident moves its statistic inside its window and cohort, and nothing else moves.
 * One run with the four incidents on disjoint cohorts; bounds are several standard errors
 * wide at these sample sizes, and the run is deterministic anyway.
 */
class IncidentTest {
    private static final String QUALITY_FROM = "2026-10-06T00:00:00Z";
    private static final String QUALITY_TO = "2026-10-09T00:00:00Z";
    private static final String OUTAGE_FROM = "2026-10-09T06:00:00Z";
    private static final String OUTAGE_TO = "2026-10-09T18:00:00Z";
    private static final String SLOW_FROM = "2026-10-10T00:00:00Z";
    private static final String SLOW_TO = "2026-10-12T00:00:00Z";
    private static final String COST_FROM = "2026-10-12T00:00:00Z";
    private static final String COST_TO = "2026-10-14T00:00:00Z";

    private static final String YAML = """
            start: 2026-10-05T00:00:00Z
            days: 9
            requests_per_day: 2500
            weekend_factor: 1
            baseline: {rating_rate: 0.25}
            incidents:
              - {type: quality_regression, negative_rate: 0.30, useful_rate: 0.60, refusal_rate: 0.05,
                 match: {surface: chat, locale: de-DE}, from: %s, to: %s}
              - {type: provider_outage, provider: openai, failure_rate: 0.25, from: %s, to: %s}
              - {type: latency_regression, multiplier: 3, match: {surface: rag, region: ap-south}, from: %s, to: %s}
              - {type: cost_blowup, multiplier: 12, match: {surface: agent, locale: ja-JP}, from: %s, to: %s}
            """.formatted(QUALITY_FROM, QUALITY_TO, OUTAGE_FROM, OUTAGE_TO, SLOW_FROM, SLOW_TO, COST_FROM, COST_TO);

    @TempDir
    static Path dir;
    static TrafficFiles t;

    @BeforeAll
    static void generate() throws Exception {
        TrafficSimulator.run(Scenario.parse(YAML, "incidents.yaml"), dir);
        t = new TrafficFiles(dir);
    }

    @Test
    void qualityRegressionDropsAcceptanceUsefulnessAndRaisesRefusalsInItsCohortOnly() {
        Predicate<JsonNode> cohort = is("surface", "chat").and(is("cohort.locale", "de-DE"));
        Predicate<JsonNode> window = in(QUALITY_FROM, QUALITY_TO);
        List<JsonNode> inside = t.select(cohort.and(window));
        List<JsonNode> outside = t.select(cohort.and(window).negate());
        assertThat(inside).hasSizeGreaterThan(800);

        // 0.30 negative, 12 % of them after the window: acceptance ~0.74, far below the 0.88 target.
        assertThat(t.acceptance(inside)).isLessThan(0.80);
        assertThat(t.acceptance(outside)).isCloseTo(0.93, within(0.015));
        assertThat(t.acceptance(t.select(cohort.negate().and(window)))).isCloseTo(0.93, within(0.015));

        assertThat(t.ratingCount(inside)).isGreaterThan(150);
        assertThat(t.usefulRate(inside)).isCloseTo(0.60, within(0.10));
        assertThat(t.usefulRate(outside)).isCloseTo(0.92, within(0.025));

        assertThat(TrafficFiles.refusalRate(inside)).isCloseTo(0.05, within(0.02));
        assertThat(TrafficFiles.refusalRate(outside)).isCloseTo(0.01, within(0.004));

        // The judge reads text: bad answers must be visible in it, not only in the labels.
        assertThat(evasiveOrRefusing(inside)).isGreaterThan(2 * evasiveOrRefusing(outside));
    }

    private static double evasiveOrRefusing(List<JsonNode> rs) {
        List<JsonNode> ok = rs.stream().filter(TrafficFiles::success).toList();
        return (double) ok.stream().map(r -> r.get("response").asText())
                .filter(s -> s.contains("sorry") || s.contains("Sorry") || s.contains("can't assist")
                        || s.contains("unable") || s.contains("depends") || s.contains("not sure")
                        || s.contains("several ways") || s.contains("interesting topic")
                        || s.contains("general information") || s.contains("may or may not"))
                .count() / ok.size();
    }

    @Test
    void providerOutageFailsAttemptsButFailoverKeepsRequestsSucceeding() {
        List<JsonNode> inside = t.select(in(OUTAGE_FROM, OUTAGE_TO));
        List<JsonNode> outside = t.select(in(OUTAGE_FROM, OUTAGE_TO).negate());
        assertThat(inside).hasSizeGreaterThan(1000);

        assertThat(TrafficFiles.attemptSuccess(inside, "openai")).isCloseTo(0.75, within(0.06));
        assertThat(TrafficFiles.attemptSuccess(inside, "anthropic")).isGreaterThan(0.99);
        assertThat(TrafficFiles.attemptSuccess(outside, "openai")).isGreaterThan(0.99);

        long failedOver = inside.stream().filter(r -> r.has("failover")).count();
        assertThat(failedOver).isGreaterThan(100);
        assertThat(TrafficFiles.successRate(inside)).isGreaterThan(0.99);
        assertThat(TrafficFiles.successRate(outside)).isGreaterThan(0.999);

        double[] failoverMs = inside.stream().filter(r -> r.has("failover"))
                .mapToDouble(r -> r.get("failover").get("ms").asDouble()).sorted().toArray();
        assertThat(TrafficFiles.quantile(failoverMs, 0.5)).isBetween(200.0, 400.0);
        assertThat(TrafficFiles.quantile(failoverMs, 0.95)).isLessThan(800.0);
    }

    @Test
    void latencyRegressionTriplesLatencyOfItsCohortOnly() {
        Predicate<JsonNode> rag = is("surface", "rag");
        Predicate<JsonNode> apSouth = is("cohort.region", "ap-south");
        Predicate<JsonNode> window = in(SLOW_FROM, SLOW_TO);
        double slow = median(t.select(rag.and(apSouth).and(window)), "total_ms");
        double normal = median(t.select(rag.and(apSouth).and(window.negate())), "total_ms");
        double neighbours = median(t.select(rag.and(apSouth.negate()).and(window)), "total_ms");
        assertThat(slow / normal).isCloseTo(3.0, within(0.4));
        assertThat(neighbours / normal).isCloseTo(1.0, within(0.1));

        double[] inside = TrafficFiles.values(t.select(rag.and(apSouth).and(window)), "total_ms");
        assertThat(TrafficFiles.fractionAtMost(inside, 2_500)).isLessThan(0.6);
        assertThat(TrafficFiles.fractionAtMost(TrafficFiles.values(t.select(rag.and(window.negate())), "total_ms"),
                2_500)).isGreaterThan(0.99);
    }

    @Test
    void costBlowupMultipliesCostOfItsCohortOnly() {
        Predicate<JsonNode> cohort = is("surface", "agent").and(is("cohort.locale", "ja-JP"));
        Predicate<JsonNode> window = in(COST_FROM, COST_TO);
        List<JsonNode> inside = t.select(cohort.and(window));
        assertThat(inside).hasSizeGreaterThan(150);
        double ratio = median(inside, "cost_usd") / median(t.select(cohort.and(window.negate())), "cost_usd");
        assertThat(ratio).isCloseTo(12.0, within(2.0));
        assertThat(TrafficFiles.fractionAtMost(TrafficFiles.values(inside, "cost_usd"), 0.045)).isLessThan(0.2);
        assertThat(median(t.select(is("surface", "agent").and(cohort.negate()).and(window)), "cost_usd")
                / median(t.select(is("surface", "agent").and(window.negate())), "cost_usd"))
                .isCloseTo(1.0, within(0.15));
    }

    /** Outside every incident, each SLO of DESIGN §3 is comfortably met. */
    @Test
    void baselineMeetsEverySloWithMargin() {
        Predicate<JsonNode> anyIncident = in(QUALITY_FROM, QUALITY_TO).and(is("surface", "chat"))
                .and(is("cohort.locale", "de-DE"))
                .or(in(OUTAGE_FROM, OUTAGE_TO))
                .or(in(SLOW_FROM, SLOW_TO).and(is("surface", "rag")).and(is("cohort.region", "ap-south")))
                .or(in(COST_FROM, COST_TO).and(is("surface", "agent")).and(is("cohort.locale", "ja-JP")));
        List<JsonNode> quiet = t.select(anyIncident.negate());

        assertThat(t.acceptance(quiet)).isCloseTo(0.93, within(0.01));
        assertThat(t.usefulRate(quiet)).isCloseTo(0.92, within(0.015));
        assertThat(TrafficFiles.refusalRate(quiet)).isCloseTo(0.01, within(0.003));
        assertThat(TrafficFiles.successRate(quiet)).isGreaterThan(0.9995);
        assertThat(TrafficFiles.attemptSuccess(quiet, "openai")).isGreaterThan(0.995);

        double[] ttft = TrafficFiles.values(quiet, "ttft_ms");
        assertThat(TrafficFiles.quantile(ttft, 0.5)).isBetween(200.0, 320.0);
        assertThat(TrafficFiles.fractionAtMost(ttft, 600)).isGreaterThan(0.97);
        assertThat(TrafficFiles.fractionAtMost(TrafficFiles.values(quiet, "cost_usd"), 0.045)).isGreaterThan(0.99);

        record Slo(String surface, double medianLo, double medianHi, double threshold) { }
        for (Slo s : List.of(new Slo("chat", 2_300, 3_500, 8_000), new Slo("agent", 8_000, 12_000, 25_000),
                new Slo("rag", 800, 1_200, 2_500), new Slo("batch", 16_000, 24_000, 60_000))) {
            double[] total = TrafficFiles.values(t.select(anyIncident.negate().and(is("surface", s.surface()))),
                    "total_ms");
            assertThat(TrafficFiles.quantile(total, 0.5)).as(s.surface()).isBetween(s.medianLo(), s.medianHi());
            assertThat(TrafficFiles.fractionAtMost(total, s.threshold())).as(s.surface()).isGreaterThan(0.985);
        }

        double[] turns = quiet.stream().filter(r -> r.has("turn_ms"))
                .flatMapToDouble(r -> java.util.stream.StreamSupport.stream(r.get("turn_ms").spliterator(), false)
                        .mapToDouble(JsonNode::asDouble)).sorted().toArray();
        assertThat(TrafficFiles.quantile(turns, 0.5)).isBetween(1_000.0, 1_400.0);
        assertThat(TrafficFiles.fractionAtMost(turns, 3_000)).isGreaterThan(0.985);

        // Diurnal: busiest UTC hour well above the quietest.
        long[] perHour = new long[24];
        quiet.forEach(r -> perHour[Integer.parseInt(r.get("ts").asText().substring(11, 13))]++);
        long max = java.util.Arrays.stream(perHour).max().orElseThrow();
        long min = java.util.Arrays.stream(perHour).min().orElseThrow();
        assertThat((double) max / min).isGreaterThan(1.5);
    }

    private static double median(List<JsonNode> rs, String field) {
        return TrafficFiles.quantile(TrafficFiles.values(rs, field), 0.5);
    }
}
