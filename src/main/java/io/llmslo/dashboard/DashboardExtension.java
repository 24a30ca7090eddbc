package io.llmslo.dashboard;

/**
 * A feature that adds endpoints to the dashboard server (e.g. a {@code /metrics} scrape
 * endpoint) without editing it: implement this, list the class in
 * {@code META-INF/services/io.llmslo.dashboard.DashboardExtension}, and {@code dashboard} /
 * {@code demo} call {@link #install} once after the server started. Endpoints added through
 * {@link DashboardServer#addContext} sit behind the same Host allow-list, token and deadlines.
 */
public interface DashboardExtension {

    void install(DashboardServer server, DashboardQueries queries);

    /** Every extension on the class path, installed in class-name order (deterministic). */
    static void installAll(DashboardServer server, DashboardQueries queries) {
        java.util.ServiceLoader.load(DashboardExtension.class).stream()
                .map(java.util.ServiceLoader.Provider::get)
                .sorted(java.util.Comparator.comparing(e -> e.getClass().getName()))
                .forEach(e -> e.install(server, queries));
    }
}
