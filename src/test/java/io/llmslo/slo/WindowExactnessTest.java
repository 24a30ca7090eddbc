package io.llmslo.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmslo.config.ConfigException;
import io.llmslo.config.JobConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A window that is not a multiple of the history interval (a 5 m window on a 10 m grid) is summed
 * exactly, for every allowed interval; a length that cannot be summed exactly is rejected when the
 * job file loads. Expected counts are brute-force counts of the observations in (E − W, E].
 */
class WindowExactnessTest {

    static final long T0 = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
    static final long MIN = TimeBuckets.MINUTE;

    static SloDefinition withWindow(SloDefinition d, Duration window) {
        return new SloDefinition(d.name(), d.kind(), d.enabled(), d.target(), window, d.threshold(),
                d.thresholdBySurface(), d.quantile(), d.factor(), d.baseline(), d.budgetPeriod(), d.tiers(),
                d.alertOnly(), d.minN(), d.alertMinN(), d.alpha());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 5, 10, 15, 30, 60})
    void everyWindowUpToSixHoursIsExactOnEveryAllowedInterval(long intervalMinutes) throws Exception {
        for (Duration window : List.of(Duration.ofMinutes(7), Duration.ofMinutes(25), Duration.ofMinutes(95))) {
            SeriesDriver s = new SeriesDriver(withWindow(SloCatalog.defaults().get(SloCatalog.SUCCESS), window),
                    intervalMinutes * MIN);
            List<Long> times = new ArrayList<>();
            // one observation every 37 s for 5 hours, every third one bad
            for (long t = T0 + 1_000; t < T0 + 5 * TimeBuckets.HOUR; t += 37_000) {
                s.add(t, times.size() % 3 != 0);
                times.add(t);
            }
            s.advanceTo(T0 + 6 * TimeBuckets.HOUR);
            assertThat(s.statuses).hasSizeGreaterThan(3);
            for (SloStatus st : s.statuses) {
                long e = st.evalTime();
                long lo = e - window.toMillis();
                long n = times.stream().filter(t -> t > lo && t <= e).count();
                long bad = 0;
                for (int i = 0; i < times.size(); i++) {
                    if (times.get(i) > lo && times.get(i) <= e && i % 3 == 0) {
                        bad++;
                    }
                }
                assertThat(st.n()).as("n of window %s at %s on a %d m grid", window, Instant.ofEpochMilli(e),
                        intervalMinutes).isEqualTo(n);
                assertThat(st.good()).isEqualTo(n - bad);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"90s", "450m", "1561m"})
    void aWindowThatCannotBeSummedExactlyIsRejectedNamingTheKey(String window) {
        String yaml = """
                sources: {type: files, responses: r.jsonl}
                output: {jdbc_url: "jdbc:sqlite:x.db"}
                slo:
                  definitions:
                    availability.success: {window: %s}
                """.formatted(window);
        assertThatThrownBy(() -> JobConfig.parse("job.yaml", yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("availability.success.window")
                .hasMessageContaining("whole minutes up to 6h or whole hours beyond");
    }

    @ParameterizedTest
    @CsvSource({"7m, 7", "359m, 359", "30h, 1800", "3d, 4320"})
    void wholeMinutesUpToSixHoursAndWholeHoursBeyondAreAccepted(String window, long minutes) {
        String yaml = """
                sources: {type: files, responses: r.jsonl}
                output: {jdbc_url: "jdbc:sqlite:x.db", history_interval: 10m}
                slo:
                  definitions:
                    availability.success: {window: %s}
                """.formatted(window);
        assertThat(JobConfig.parse("job.yaml", yaml).slo.get(SloCatalog.SUCCESS).window())
                .isEqualTo(Duration.ofMinutes(minutes));
    }
}
