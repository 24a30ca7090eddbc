package io.llmslo.metrics;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code slo_status} table as Prometheus gauges: one series per (slo, cohort) and column,
 * labelled {@code slo}, {@code cohort} and the cohort's dimensions ({@link CohortLabels}).
 * Empty columns produce no sample (absent, not NaN), so {@code llmslo_slo_value} of a series
 * without data is missing rather than 0.
 *
 * <p>Cardinality: the table holds at most one row per (slo, cohort), and the job caps the distinct
 * values of each dimension, so the series count is bounded by the catalogue × the cohort cap;
 * {@code maxSeries} is a second fence for a table written by a job without a cap: rows beyond it
 * (after the first {@code maxSeries} in slo, cohort order) are counted in
 * {@code llmslo_metrics_series_dropped}, not exported.
 */
public final class SloMetrics {

    public static final List<String> STATUSES = List.of("ok", "breach", "insufficient_data");
    public static final List<String> SEVERITIES = List.of("page_rollback", "page", "ticket", "digest");

    private SloMetrics() {}

    public static MetricSnapshots snapshot(List<StatusRow> rows, int maxSeries) {
        List<StatusRow> kept = rows.size() > maxSeries ? rows.subList(0, maxSeries) : rows;
        Map<StatusRow, Labels> labels = new LinkedHashMap<>();
        for (StatusRow r : kept) {
            labels.put(r, labels(r));
        }
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(gauge(labels, "llmslo_slo_value", "Good fraction over the SLO window (refusal drift: the drift)",
                StatusRow::value));
        out.add(gauge(labels, "llmslo_slo_target", "The SLO's target", StatusRow::target));
        out.add(gauge(labels, "llmslo_slo_events", "Valid events in the SLO window (n)", r -> (double) r.n()));
        out.add(gauge(labels, "llmslo_slo_good_events", "Good events in the SLO window", r -> (double) r.good()));
        out.add(gauge(labels, "llmslo_slo_p_value", "One-sided exact binomial p-value of H0 p_good >= target",
                StatusRow::pValue));
        out.add(gauge(labels, "llmslo_slo_quantile", "The quantile of a quantile SLO (ms or USD)",
                StatusRow::quantileValue));
        out.add(gauge(labels, "llmslo_slo_budget_remaining", "Remaining error budget over the budget period, as a fraction",
                StatusRow::budgetRemaining));
        out.add(gauge(labels, "llmslo_slo_eval_timestamp_seconds", "Event time of the row's evaluation",
                r -> r.evalTimeMillis() / 1000.0));
        out.add(burnRates(labels));
        out.add(oneOf(labels, "llmslo_slo_status", "1 for the row's status (ok, breach, insufficient_data), 0 for the others",
                "status", STATUSES, StatusRow::status));
        out.add(oneOf(labels, "llmslo_slo_alert", "1 for the firing alert severity, 0 for the others",
                "severity", SEVERITIES, StatusRow::alert));
        out.add(GaugeSnapshot.builder().name("llmslo_metrics_series")
                .help("(slo, cohort) rows exported")
                .dataPoint(GaugeDataPointSnapshot.builder().value(kept.size()).build()).build());
        out.add(GaugeSnapshot.builder().name("llmslo_metrics_series_dropped")
                .help("(slo, cohort) rows not exported because of the series cap")
                .dataPoint(GaugeDataPointSnapshot.builder().value(rows.size() - kept.size()).build()).build());
        return new MetricSnapshots(out);
    }

    static Labels labels(StatusRow r) {
        Labels.Builder b = Labels.builder().label("slo", r.slo()).label("cohort", r.cohort());
        CohortLabels.parse(r.cohort()).forEach(b::label);
        return b.build();
    }

    private static GaugeSnapshot gauge(Map<StatusRow, Labels> rows, String name, String help,
            Function<StatusRow, Double> column) {
        GaugeSnapshot.Builder g = GaugeSnapshot.builder().name(name).help(help);
        rows.forEach((r, l) -> {
            Double v = column.apply(r);
            if (v != null && !v.isNaN()) {
                g.dataPoint(GaugeDataPointSnapshot.builder().labels(l).value(v).build());
            }
        });
        return g.build();
    }

    private static GaugeSnapshot burnRates(Map<StatusRow, Labels> rows) {
        GaugeSnapshot.Builder g = GaugeSnapshot.builder().name("llmslo_slo_burn_rate")
                .help("Bad fraction over the window / (1 - target), per window (burn_1h .. burn_7d)");
        rows.forEach((r, l) -> {
            Double[] burns = {r.burn1h(), r.burn6h(), r.burn24h(), r.burn7d()};
            String[] windows = {"1h", "6h", "24h", "7d"};
            for (int i = 0; i < burns.length; i++) {
                if (burns[i] != null && !burns[i].isNaN()) {
                    g.dataPoint(GaugeDataPointSnapshot.builder().labels(l.add("window", windows[i]))
                            .value(burns[i]).build());
                }
            }
        });
        return g.build();
    }

    /** A state set as gauges: one sample per possible state, 1 for the row's, 0 for the rest. */
    private static GaugeSnapshot oneOf(Map<StatusRow, Labels> rows, String name, String help, String label,
            List<String> states, Function<StatusRow, String> column) {
        GaugeSnapshot.Builder g = GaugeSnapshot.builder().name(name).help(help);
        rows.forEach((r, l) -> {
            String actual = column.apply(r);
            for (String s : states) {
                g.dataPoint(GaugeDataPointSnapshot.builder().labels(l.add(label, s))
                        .value(s.equals(actual) ? 1 : 0).build());
            }
        });
        return g.build();
    }
}
