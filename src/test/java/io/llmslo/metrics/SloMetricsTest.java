package io.llmslo.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SloMetricsTest {

    private static StatusRow row(String slo, String cohort, String status, String alert, Double value) {
        return new StatusRow(slo, cohort, 1_796_000_000_000L, "7d", 200, 160, value, 0.88, 0.001, status,
                2.0, 1.5, null, 1.2, 0.4, alert, null);
    }

    private static String text(List<StatusRow> rows, int max) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, SloMetrics.snapshot(rows, max));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void cohortKeysBecomeLabelsWithEscapedSeparatorsUndone() {
        assertThat(CohortLabels.parse("*")).isEmpty();
        assertThat(CohortLabels.parse("surface=chat,cohort.region=eu-west,provider=openai"))
                .containsExactly(Map.entry("surface", "chat"), Map.entry("cohort_region", "eu-west"),
                        Map.entry("provider", "openai"));
        // CohortKeys escapes ',', '=' and '\' inside values
        assertThat(CohortLabels.parse("surface=a\\,model\\=x,cohort.tenant=b\\\\c"))
                .containsExactly(Map.entry("surface", "a,model=x"), Map.entry("cohort_tenant", "b\\c"));
        // a dimension can never overwrite a label the exporter sets itself
        assertThat(CohortLabels.parse("slo=x")).containsExactly(Map.entry("dim_slo", "x"));
        assertThat(CohortLabels.parse("garbage")).isEmpty();
    }

    @Test
    void everyColumnIsAGaugeAndEmptyColumnsHaveNoSample() throws Exception {
        String t = text(List.of(row("quality.acceptance", "surface=chat", "breach", "page", 0.8),
                row("quality.acceptance", "*", "insufficient_data", null, null)), 100);
        assertThat(t).contains("# TYPE llmslo_slo_value gauge")
                .contains("llmslo_slo_value{cohort=\"surface=chat\",slo=\"quality.acceptance\",surface=\"chat\"} 0.8")
                .doesNotContain("llmslo_slo_value{cohort=\"*\"")
                .contains("llmslo_slo_burn_rate{cohort=\"*\",slo=\"quality.acceptance\",window=\"7d\"} 1.2")
                .doesNotContain("window=\"24h\"")
                .contains("llmslo_slo_status{cohort=\"surface=chat\",slo=\"quality.acceptance\",status=\"breach\",surface=\"chat\"} 1")
                .contains("llmslo_slo_status{cohort=\"surface=chat\",slo=\"quality.acceptance\",status=\"ok\",surface=\"chat\"} 0")
                .contains("llmslo_slo_alert{cohort=\"surface=chat\",severity=\"page\",slo=\"quality.acceptance\",surface=\"chat\"} 1")
                .contains("llmslo_slo_alert{cohort=\"*\",severity=\"page\",slo=\"quality.acceptance\"} 0")
                .contains("llmslo_slo_eval_timestamp_seconds{cohort=\"*\",slo=\"quality.acceptance\"} 1.796E9");
    }

    @Test
    void rowsBeyondTheSeriesCapAreCountedNotExported() throws Exception {
        List<StatusRow> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            rows.add(row("cost.p95", "surface=s" + i, "ok", null, 0.99));
        }
        String t = text(rows, 10);
        assertThat(t.lines().filter(l -> l.startsWith("llmslo_slo_value{"))).hasSize(10);
        assertThat(t).contains("llmslo_metrics_series 10.0").contains("llmslo_metrics_series_dropped 20.0");
    }
}
