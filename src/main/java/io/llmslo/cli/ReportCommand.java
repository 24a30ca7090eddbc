package io.llmslo.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmslo.dashboard.DashboardQueries;
import io.llmslo.dashboard.WeeklyReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code report --since 7d --jdbc-url <url>}: the weekly one-page summary, as Markdown or HTML. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"The one-page summary for the weekly review: the four headline numbers, the trend of each "
                + "against --since earlier, and one sentence. Read-only."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:written", "1:database not available", "2:usage"})
public class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--jdbc-url", required = true, paramLabel = "<url>",
            description = "jdbc:sqlite:<file> or jdbc:postgresql://host:port/db (no password in the URL).")
    String jdbcUrl;

    @Option(names = "--since", defaultValue = "7d", paramLabel = "<duration>",
            description = "Period to compare against, back from the latest evaluation (default: ${DEFAULT-VALUE}).")
    String since;

    @Option(names = "--cohort", defaultValue = "*", paramLabel = "<cohort>",
            description = "Cohort key (default: all traffic, '${DEFAULT-VALUE}').")
    String cohort;

    @Option(names = "--format", defaultValue = "md", paramLabel = "md|html",
            description = "Markdown (default) or a standalone HTML page.")
    String format;

    @Option(names = "--out", paramLabel = "<file>", description = "Write here instead of standard output.")
    Path out;

    @Option(names = "--jdbc-user", paramLabel = "<user>", description = "Database user (PostgreSQL).")
    String user;

    @Option(names = "--password-env", defaultValue = "LLMSLO_JDBC_PASSWORD", paramLabel = "<VAR>",
            description = "Environment variable holding the database password (default: ${DEFAULT-VALUE}).")
    String passwordEnv;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Duration period = period(since);
        if (period == null || period.isZero() || period.toDays() > 400) {
            return usage(err, "--since: expected a duration in (0, 400d], got '" + since + "'");
        }
        if (!format.equals("md") && !format.equals("html")) {
            return usage(err, "--format: expected md or html, got '" + format + "'");
        }
        if (!jdbcUrl.startsWith("jdbc:sqlite:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            return usage(err, "--jdbc-url must be a jdbc:sqlite: or jdbc:postgresql: URL");
        }
        if (jdbcUrl.startsWith("jdbc:sqlite:")
                && !Files.isRegularFile(Path.of(jdbcUrl.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*$", "")))) {
            err.println("report: no database file for " + jdbcUrl + " (run the job or `demo` first)");
            err.flush();
            return 1;
        }
        DashboardQueries q = new DashboardQueries(jdbcUrl, user, passwordEnv);
        String text;
        try {
            ObjectNode r = WeeklyReport.build(q, period, cohort, DashboardQueries.DEFAULT_HEADLINES);
            text = format.equals("html") ? WeeklyReport.html(r) : WeeklyReport.markdown(r);
        } catch (SQLException e) {
            err.println("report: cannot read " + q.redactedUrl() + ": " + e.getMessage());
            err.flush();
            return 1;
        }
        if (out == null) {
            PrintWriter o = spec.commandLine().getOut();
            o.print(text);
            o.flush();
            return 0;
        }
        try {
            Files.writeString(out, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("report: cannot write " + out + ": " + e.getMessage());
            err.flush();
            return 1;
        }
        return 0;
    }

    /** {@code 7d}, {@code 24h}, {@code 2w}; null when it is not one. */
    static Duration period(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,4})([hdw])").matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }

    private static int usage(PrintWriter err, String message) {
        err.println("report: " + message);
        err.flush();
        return 2;
    }
}
