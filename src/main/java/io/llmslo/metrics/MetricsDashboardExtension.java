package io.llmslo.metrics;

import io.llmslo.dashboard.DashboardExtension;
import io.llmslo.dashboard.DashboardQueries;
import io.llmslo.dashboard.DashboardServer;

/** Adds {@code GET /metrics} ({@link SloMetricsEndpoint}) to every dashboard server. */
public final class MetricsDashboardExtension implements DashboardExtension {

    @Override
    public void install(DashboardServer server, DashboardQueries queries) {
        server.addContext("/metrics", new SloMetricsEndpoint(queries, SloMetricsEndpoint.DEFAULT_MAX_SERIES));
    }
}
