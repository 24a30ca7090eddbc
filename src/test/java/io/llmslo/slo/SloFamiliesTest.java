package io.llmslo.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmslo.config.ConfigException;
import io.llmslo.config.JobConfig;
import io.llmslo.event.Attempt;
import io.llmslo.event.Failover;
import io.llmslo.event.Outcome;
import io.llmslo.event.ResponseEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Quantiles, tail blow-up, per-provider availability and config validation of the tiers. */
class SloFamiliesTest {

    static final long T0 = Instant.parse("2026-10-05T00:00:00Z").toEpochMilli();
    static final long MIN = TimeBuckets.MINUTE;
    static final long HOUR = TimeBuckets.HOUR;

    final SloCatalog catalog = SloCatalog.defaults();

    @Test
    void p95Of100kLognormalValuesIsWithinOnePercent() throws Exception {
        SeriesDriver s = new SeriesDriver(catalog.get(SloCatalog.TOTAL));
        Random random = new Random(42);
        double[] values = new double[100_000];
        // 100 k values over 20 hours, spread across many minute and hour buckets to merge
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.exp(7.5 + 0.6 * random.nextGaussian());
            s.add(T0 + i * (20 * HOUR / values.length) + 1, true, values[i]);
        }
        s.advanceTo(T0 + 20 * HOUR + 5 * MIN);
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double exact = sorted[(int) Math.ceil(0.95 * sorted.length) - 1];
        assertThat(s.last().n()).isEqualTo(values.length);
        assertThat(Math.abs(s.last().quantileValue() - exact) / exact).isLessThan(0.01);
    }

    @Test
    void agentCostTwelveTimesTheTrailingMedianBreaches() throws Exception {
        SeriesDriver s = new SeriesDriver(catalog.get(SloCatalog.COST_TAIL));
        Random random = new Random(7);
        // a day of normal agent-loop costs (median ~$0.01), then 12× from day 2 on
        for (long t = T0 + 1; t < T0 + 30 * HOUR; t += 2 * MIN) {
            double cost = 0.01 * Math.exp(0.05 * random.nextGaussian()) * (t >= T0 + 24 * HOUR ? 12 : 1);
            s.add(t, true, cost);
        }
        s.advanceTo(T0 + 30 * HOUR);
        SloStatus before = s.at(T0 + 24 * HOUR);
        assertThat(before.n()).isPositive();
        assertThat(before.good()).isEqualTo(before.n()); // nothing near 10× the median
        // six hours of 12× costs, judged against the previous day's median: all bad
        SloStatus after = s.last();
        assertThat(after.n() - after.good()).isEqualTo(180);
        assertThat(after.status()).isEqualTo(SloStatus.BREACH);
        assertThat(s.transitions).anySatisfy(a -> assertThat(a.state()).isEqualTo(AlertEvent.FIRING));
    }

    @Test
    void providerOutageWithFailoverHitsOnlyThatProvider() throws Exception {
        ObservationFactory factory = new ObservationFactory(catalog);
        CohortKeys cohorts = new CohortKeys(List.of(List.of("surface")));
        Map<String, SeriesDriver> series = new HashMap<>();
        for (int i = 0; i < 600; i++) {
            long t = T0 + i * 6_000L + 1;
            boolean outage = i >= 300 && i % 4 == 0; // 25 % of openai attempts fail, from half-way
            List<Attempt> attempts = new ArrayList<>();
            attempts.add(new Attempt("openai", outage ? "error" : "success", 300.0));
            if (outage) {
                attempts.add(new Attempt("anthropic", "success", 400.0));
            }
            ResponseEvent r = new ResponseEvent("r" + i, t, "chat", "m-1", "openai", Map.of(), true,
                    Outcome.SUCCESS, false, 200.0, 2000.0, null, null, 10L, 10L, 0.01,
                    outage ? new Failover(true, 350.0, List.of("openai", "anthropic")) : null, attempts,
                    null, null);
            List<Observation> out = new ArrayList<>();
            factory.onResponse(r, ObservationFactory.dims(r), out::add);
            for (Observation o : out) {
                for (String cohort : cohorts.keysFor(o.slo(), o.dims())) {
                    series.computeIfAbsent(o.slo() + "|" + cohort, k -> new SeriesDriver(catalog.get(o.slo())))
                            .add(o.t(), o.good(), o.value());
                }
            }
        }
        for (SeriesDriver s : series.values()) {
            s.advanceTo(T0 + 2 * HOUR);
        }
        SloStatus openai = series.get("availability.provider_success|provider=openai").last();
        SloStatus anthropic = series.get("availability.provider_success|provider=anthropic").last();
        SloStatus overall = series.get("availability.success|*").last();
        assertThat(openai.n() - openai.good()).isEqualTo(75);
        assertThat(openai.status()).isEqualTo(SloStatus.BREACH);
        assertThat(anthropic.good()).isEqualTo(anthropic.n());
        assertThat(overall.good()).isEqualTo(overall.n()); // failover saved every request
        assertThat(overall.alert()).isNull();
        assertThat(series.get("availability.failover_p95|*").last().quantileValue())
                .isBetween(350 * 0.99, 350 * 1.01);
    }

    @Test
    void tierAboveTheFastestPossibleBurnIsRejectedAtLoad() {
        String yaml = """
                sources: {type: files, responses: r.jsonl}
                output: {jdbc_url: "jdbc:sqlite:x.db"}
                slo:
                  definitions:
                    quality.acceptance:
                      tiers:
                        - {severity: page_rollback, long: 1h, short: 5m, burn: 14.4}
                """;
        assertThatThrownBy(() -> JobConfig.parse("jobs/bad.yaml", yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("jobs/bad.yaml")
                .hasMessageContaining("slo.definitions.quality.acceptance.tiers[0].burn")
                .hasMessageContaining("8.33")
                .hasMessageContaining("could never fire");
    }

    @Test
    void seedQualityTiersAreAttainable() {
        for (SloDefinition d : catalog.all()) {
            for (BurnTier t : d.tiers()) {
                if (d.kind() != SloKind.REFUSAL_DRIFT) {
                    assertThat(t.burn()).as(d.name() + " " + t.severity()).isLessThan(d.maxBurn());
                }
            }
        }
    }
}
