package io.llmslo.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

class JobMetricsTest {

    /** Records the names metrics are registered under. */
    static final class Names extends UnregisteredMetricsGroup {
        final List<String> names = new ArrayList<>();
        final List<Counter> counters = new ArrayList<>();
        Gauge<?> gauge;

        @Override
        public org.apache.flink.metrics.MetricGroup addGroup(String name) {
            return this;
        }

        @Override
        public Counter counter(String name) {
            return counter(name, new org.apache.flink.metrics.SimpleCounter());
        }

        @Override
        public <C extends Counter> C counter(String name, C counter) {
            names.add(name);
            counters.add(counter);
            return counter;
        }

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G g) {
            names.add(name);
            gauge = g;
            return g;
        }
    }

    @Test
    void reasonsBecomeBoundedMetricSafeCategories() {
        assertThat(JobMetrics.reasonCategory("late")).isEqualTo("late");
        assertThat(JobMetrics.reasonCategory("field 'outcome': expected one of success|error, got 'x'"))
                .isEqualTo("field_outcome");
        assertThat(JobMetrics.reasonCategory("invalid_json: Unexpected character")).isEqualTo("invalid_json");
        assertThat(JobMetrics.reasonCategory("  ")).isEqualTo("unknown");
        assertThat(JobMetrics.reasonCategory("x".repeat(100))).hasSize(40);
    }

    @Test
    void atMostMaxReasonsCountersThenOther() {
        Names g = new Names();
        JobMetrics.ReasonCounters c = new JobMetrics.ReasonCounters(g);
        for (int i = 0; i < 100; i++) {
            c.inc("reason" + i + ": detail");
        }
        c.inc("reason0: again");
        assertThat(g.names).hasSize(JobMetrics.MAX_REASONS + 1).contains("dead_letters_reason0", "dead_letters_other");
        assertThat(g.counters.get(0).getCount()).isEqualTo(2);
        assertThat(g.counters.get(JobMetrics.MAX_REASONS).getCount()).isEqualTo(100 - JobMetrics.MAX_REASONS);
    }

    @Test
    void seriesGaugeIsTheCountAtTheLatestBoundary() {
        Names g = new Names();
        SeriesGauge s = new SeriesGauge(g);
        for (int i = 0; i < 5; i++) {
            s.evaluated(300_000);
        }
        assertThat(g.gauge.getValue()).isEqualTo(5L);
        s.evaluated(600_000); // the next boundary has begun: the last complete one had 5
        s.evaluated(600_000);
        assertThat(g.gauge.getValue()).isEqualTo(5L);
        s.evaluated(900_000); // the boundary 600 000 held 2 series
        assertThat(g.gauge.getValue()).isEqualTo(2L);
    }
}
