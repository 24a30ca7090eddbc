package io.llmslo.cli;

import io.llmslo.dashboard.DashboardExtension;
import io.llmslo.dashboard.DashboardQueries;
import io.llmslo.dashboard.DashboardServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dashboard --jdbc-url <url> [--port 8080]}: the one-page dashboard over the tables (DESIGN §8). */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = {
            "Serves the one-page SLO dashboard over the job's tables on http://127.0.0.1:<port>/ until Ctrl-C.",
            "Read-only: opens the database read-only and never writes to it."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped", "1:database or port not available", "2:usage"})
public class DashboardCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--jdbc-url", required = true, paramLabel = "<url>",
            description = "jdbc:sqlite:<file> or jdbc:postgresql://host:port/db (no password in the URL).")
    String jdbcUrl;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "<port>",
            description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @picocli.CommandLine.Mixin
    ServeOptions serveOptions = new ServeOptions();

    @Option(names = "--jdbc-user", paramLabel = "<user>", description = "Database user (PostgreSQL).")
    String user;

    @Option(names = "--password-env", defaultValue = "LLMSLO_JDBC_PASSWORD", paramLabel = "<VAR>",
            description = "Environment variable holding the database password, if it needs one "
                    + "(default: ${DEFAULT-VALUE}). The password is never printed.")
    String passwordEnv;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        if (!jdbcUrl.startsWith("jdbc:sqlite:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            err.println("dashboard: --jdbc-url must be a jdbc:sqlite: or jdbc:postgresql: URL");
            err.flush();
            return 2;
        }
        if (port < 0 || port > 65_535) {
            err.println("dashboard: --port must be in 0..65535");
            err.flush();
            return 2;
        }
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            Path file = Path.of(jdbcUrl.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*$", ""));
            if (!Files.isRegularFile(file)) {
                err.println("dashboard: no database file " + file + " (run the job or `demo` first)");
                err.flush();
                return 1;
            }
        }
        DashboardServer.Options options;
        try {
            options = serveOptions.options(port);
        } catch (IllegalArgumentException e) {
            err.println("dashboard: " + e.getMessage());
            err.flush();
            return 2;
        }
        DashboardQueries queries = new DashboardQueries(jdbcUrl, user, passwordEnv);
        return serve(queries, options, out, err);
    }

    /**
     * Checks the database answers, serves until the JVM is asked to stop (Ctrl-C), then closes
     * the server. Shared with {@code demo}.
     */
    static int serve(DashboardQueries queries, DashboardServer.Options options, PrintWriter out, PrintWriter err) {
        try {
            queries.status();
        } catch (SQLException e) {
            err.println("dashboard: cannot read " + queries.redactedUrl() + ": " + e.getMessage());
            err.flush();
            return 1;
        }
        DashboardServer server;
        try {
            server = DashboardServer.start(queries, options);
        } catch (IOException e) {
            err.println("dashboard: cannot listen on " + options.bind().getHostAddress() + ":" + options.port()
                    + ": " + e.getMessage());
            err.flush();
            return 1;
        }
        DashboardExtension.installAll(server, queries);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "dashboard-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf("dashboard: %s on %s%s — Ctrl-C to stop%n", queries.redactedUrl(), server.uri(),
                server.guard().tokenRequired() ? " (token required: open /?token=<token> once)" : "");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Runtime.getRuntime().removeShutdownHook(hook);
            server.close();
        }
        return 0;
    }
}
