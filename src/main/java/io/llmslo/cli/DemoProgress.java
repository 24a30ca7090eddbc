package io.llmslo.cli;

import io.llmslo.config.JobConfig;
import io.llmslo.dashboard.DashboardQueries;
import io.llmslo.demo.IncidentReport;
import io.llmslo.pipeline.DeadLetterSplitter;
import io.llmslo.sim.Scenario;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;

/**
 * {@code demo}'s view of the running job: a progress line every few seconds (events read, the
 * event-time day reached, breaches and alerts so far) from the job's accumulators and the
 * tables, and the incident summary at the end from {@code slo_alerts} and {@code slo_history}.
 */
final class DemoProgress {

    private static final long EVERY_MS = 3_000;
    /** Alerts and breaches up to a week after an incident ends are still its doing (7-day windows). */
    static final Duration GRACE = Duration.ofDays(7);

    private DemoProgress() {}

    static JobExecutionResult runWithProgress(JobConfig cfg, DashboardQueries tables, long totalLines, PrintWriter o)
            throws Exception {
        JobClient job = JobRunner.start(cfg);
        var result = job.getJobExecutionResult();
        String last = null;
        while (true) {
            try {
                return result.get(EVERY_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillRunning) {
                String line = progressLine(job, tables, totalLines);
                if (!line.equals(last)) { // a slow machine repeats itself: say only what moved
                    o.println(line);
                    o.flush();
                    last = line;
                }
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            }
        }
    }

    private static String progressLine(JobClient job, DashboardQueries tables, long totalLines) {
        long read = -1;
        try {
            Map<String, Object> acc = job.getAccumulators().get(EVERY_MS, TimeUnit.MILLISECONDS);
            if (acc.get(DeadLetterSplitter.EVENTS_READ) instanceof Number n) {
                read = n.longValue();
            }
        } catch (Exception e) {
            // the job is starting or finishing: no accumulators this time
        }
        String breaches = "-";
        String alerts = "-";
        String evaluated = "-";
        try (Connection c = tables.readConnection()) {
            // how far in event time the evaluators got (the sources read ahead of it)
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(eval_time) FROM slo_status");
                    ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getString(1) != null) {
                    evaluated = rs.getString(1).substring(0, 10);
                }
            }
            breaches = String.valueOf(count(c, "SELECT COUNT(*) FROM slo_status WHERE status = 'breach'"));
            alerts = String.valueOf(count(c, "SELECT COUNT(*) FROM slo_alerts WHERE state = 'firing'"));
        } catch (SQLException e) {
            // tables not written yet, or busy: the next line will tell
        }
        return String.format(Locale.ROOT,
                "demo:   events read %s of %,d · evaluated to %s (event time) · in breach now %s · alerts fired %s",
                read < 0 ? "-" : String.format(Locale.ROOT, "%,d", read), totalLines, evaluated, breaches, alerts);
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** The incident summary from the tables of a finished run; {@code step} = the job's history interval. */
    static IncidentReport.Result incidents(DashboardQueries tables, Scenario scenario, Duration step)
            throws SQLException {
        List<IncidentReport.Alert> firings = new ArrayList<>();
        List<IncidentReport.Breach> onsets = new ArrayList<>();
        try (Connection c = tables.readConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT slo, cohort, severity, at FROM slo_alerts WHERE state = 'firing' ORDER BY at");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    firings.add(new IncidentReport.Alert(rs.getString(1), rs.getString(2), rs.getString(3),
                            DashboardQueries.parseUtc(rs.getString(4))));
                }
            }
            // breach onsets: a breach row whose series has no breach row one step earlier. Only the
            // breach rows are read, in table order (one sequential pass; ordering by the key made
            // SQLite walk the primary-key index and look up every one of ~4.5 M rows, 3-4x as
            // long, and a window function over all rows 4x as long again), then sorted here
            List<IncidentReport.Breach> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT slo, cohort, eval_time FROM slo_history WHERE status = 'breach'");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new IncidentReport.Breach(rs.getString(1), rs.getString(2),
                            DashboardQueries.parseUtc(rs.getString(3))));
                }
            }
            rows.sort(java.util.Comparator.comparing(IncidentReport.Breach::slo)
                    .thenComparing(IncidentReport.Breach::cohort).thenComparingLong(IncidentReport.Breach::at));
            IncidentReport.Breach prev = null;
            for (IncidentReport.Breach b : rows) {
                if (prev == null || !prev.slo().equals(b.slo()) || !prev.cohort().equals(b.cohort())
                        || b.at() - prev.at() > step.toMillis()) {
                    onsets.add(b);
                }
                prev = b;
            }
        }
        return IncidentReport.of(scenario.incidents(), firings, onsets, GRACE);
    }
}
