package io.llmslo.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard (DESIGN §8 {@code dashboard}): the JDK's HTTP server, a few JSON endpoints over
 * {@link DashboardQueries} and static files from the classpath folder {@code dashboard/} plus the
 * uPlot webjar. Read-only, GET only, no external resources (the page works offline), and a
 * Content-Security-Policy that allows nothing but this origin.
 *
 * <p>Hardening (DESIGN §7b): binds loopback unless told otherwise; every exchange has a deadline
 * ({@link DeadlineExecutor}) so half-open connections cannot starve the workers; a
 * {@link RequestGuard} refuses foreign Host headers (DNS rebinding) and, when configured,
 * requests without the bearer token; database errors are logged, never sent to the client.
 *
 * <p>Other features add endpoints with {@link #addContext}: they get the same guard and workers.
 */
public final class DashboardServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);

    private static final String HTML = "text/html; charset=utf-8";
    private static final String JS = "text/javascript; charset=utf-8";
    private static final String CSS = "text/css; charset=utf-8";
    /** The uPlot webjar's files inside the jar (org.webjars.npm:uplot). */
    private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";

    /** The static files, by request path: {classpath resource, content type}; nothing else is served. */
    private static final Map<String, String[]> STATIC = Map.ofEntries(
            Map.entry("/", new String[] {"dashboard/index.html", HTML}),
            Map.entry("/index.html", new String[] {"dashboard/index.html", HTML}),
            Map.entry("/family.html", new String[] {"dashboard/family.html", HTML}),
            Map.entry("/report.html", new String[] {"dashboard/report.html", HTML}),
            Map.entry("/common.js", new String[] {"dashboard/common.js", JS}),
            Map.entry("/overview.js", new String[] {"dashboard/overview.js", JS}),
            Map.entry("/family.js", new String[] {"dashboard/family.js", JS}),
            Map.entry("/report.js", new String[] {"dashboard/report.js", JS}),
            Map.entry("/app.css", new String[] {"dashboard/app.css", CSS}),
            Map.entry("/vendor/uPlot.iife.min.js", new String[] {UPLOT + "uPlot.iife.min.js", JS}),
            Map.entry("/vendor/uPlot.min.css", new String[] {UPLOT + "uPlot.min.css", CSS}));

    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private static final int MAX_DAYS = 400;
    private static final int RECENT_ALERTS = 30;
    private static final int MAX_RECENT_ALERTS = 500;

    /**
     * How the server listens and whom it serves.
     *
     * @param bind address to listen on (loopback by default)
     * @param port 0 picks a free one
     * @param allowedHosts Host names accepted besides the loopback names and the bound address
     * @param token bearer token required on every request, or null for none
     * @param threads workers; each exchange holds one at most {@code requestDeadline}
     * @param requestDeadline longest time one exchange (reading the request, answering) may take
     * @param headlines the SLO each main-page panel shows, by family
     */
    public record Options(InetAddress bind, int port, List<String> allowedHosts, String token, int threads,
            Duration requestDeadline, Map<String, String> headlines) {

        public static Options loopback(int port) {
            return new Options(InetAddress.getLoopbackAddress(), port, List.of(), null, 8, Duration.ofSeconds(30),
                    DashboardQueries.DEFAULT_HEADLINES);
        }

        public Options withToken(String t) {
            return new Options(bind, port, allowedHosts, t, threads, requestDeadline, headlines);
        }

        public Options withDeadline(Duration d, int workers) {
            return new Options(bind, port, allowedHosts, token, workers, d, headlines);
        }

        @Override
        public String toString() { // never print the token
            return "Options[bind=" + bind + ", port=" + port + ", allowedHosts=" + allowedHosts + ", token="
                    + (token == null ? "none" : "set") + ", threads=" + threads + ", deadline=" + requestDeadline + "]";
        }
    }

    private final DashboardQueries queries;
    private final HttpServer server;
    private final DeadlineExecutor pool;
    private final RequestGuard guard;
    private final Options options;

    private DashboardServer(DashboardQueries queries, HttpServer server, DeadlineExecutor pool, RequestGuard guard,
            Options options) {
        this.queries = queries;
        this.server = server;
        this.pool = pool;
        this.guard = guard;
        this.options = options;
    }

    /** Starts serving on 127.0.0.1:{@code port}; port 0 picks a free one (see {@link #port()}). */
    public static DashboardServer start(DashboardQueries queries, int port) throws IOException {
        return start(queries, Options.loopback(port));
    }

    public static DashboardServer start(DashboardQueries queries, Options options) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(options.bind(), options.port()), 0);
        DeadlineExecutor pool = new DeadlineExecutor(options.threads(), options.requestDeadline(), "dashboard-http");
        RequestGuard guard = new RequestGuard(options.bind(), options.allowedHosts(), options.token());
        DashboardServer s = new DashboardServer(queries, http, pool, guard, options);
        http.createContext("/", s.guarded(s::handle));
        http.setExecutor(pool);
        http.start();
        return s;
    }

    /**
     * Serves {@code handler} under {@code path} (a context prefix, e.g. {@code /metrics}) behind the
     * same Host allow-list, token and worker deadlines as the dashboard's own pages. The handler
     * must close the exchange; an exception it throws is logged and the connection closed.
     */
    public void addContext(String path, HttpHandler handler) {
        if (path == null || !path.startsWith("/") || "/".equals(path)) {
            throw new IllegalArgumentException("context path must start with '/' and not be the root: " + path);
        }
        server.createContext(path, guarded(handler));
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI uri() {
        InetAddress a = options.bind().isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : options.bind();
        String host = a.getHostAddress().contains(":") ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    public RequestGuard guard() {
        return guard;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.close();
    }

    private HttpHandler guarded(HttpHandler inner) {
        return ex -> {
            try {
                RequestGuard.Refusal no = guard.check(ex.getRequestHeaders());
                if (no != null && !tokenLogin(ex, no)) {
                    try (ex) {
                        if (no.status() == 401) {
                            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"llm-slo\"");
                        }
                        sendJson(ex, no.status(), error(no.message()));
                    }
                    return;
                }
                if (no == null) {
                    inner.handle(ex);
                }
            } catch (IOException | RuntimeException e) {
                // a client gone, a deadline passed (the channel is closed), a handler bug: the
                // exchange is lost, the server lives on
                LOG.debug("dashboard: {}: {}", ex.getRequestURI().getPath(), e.toString());
                ex.close();
            }
        };
    }

    /**
     * {@code GET /?token=<token>} with the right token: sets the cookie and redirects to the page
     * without the token in its URL (so it stays out of history and referrers).
     */
    private boolean tokenLogin(HttpExchange ex, RequestGuard.Refusal no) throws IOException {
        if (no.status() != 401 || !"/".equals(ex.getRequestURI().getPath())) {
            return false;
        }
        String t = query(ex.getRequestURI().getRawQuery()).get("token");
        if (!guard.matches(t)) {
            return false;
        }
        try (ex) {
            ex.getResponseHeaders().set("Set-Cookie",
                    RequestGuard.COOKIE + "=" + t + "; Path=/; HttpOnly; SameSite=Strict");
            ex.getResponseHeaders().set("Location", "/");
            send(ex, 303, new byte[0]);
        }
        return true;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                sendJson(ex, 405, error("method not allowed"));
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (path.startsWith("/api/")) {
                api(ex, path, query(ex.getRequestURI().getRawQuery()));
            } else if (STATIC.containsKey(path)) {
                sendStatic(ex, STATIC.get(path));
            } else {
                sendJson(ex, 404, error("not found"));
            }
        }
    }

    private void api(HttpExchange ex, String path, Map<String, String> q) throws IOException {
        JsonNode body;
        try {
            switch (path) {
                case "/api/status" -> body = queries.status();
                case "/api/overview" -> {
                    String cohort = q.getOrDefault("cohort", "");
                    body = queries.overview(cohort.isEmpty() ? "*" : cohort, options.headlines());
                }
                case "/api/history" -> {
                    String slo = q.get("slo");
                    String cohort = q.get("cohort");
                    if (slo == null || slo.isEmpty() || cohort == null || cohort.isEmpty()) {
                        sendJson(ex, 400, error("parameters 'slo' and 'cohort' are required"));
                        return;
                    }
                    Integer days = intParam(q, "days", 30, 1, MAX_DAYS);
                    Integer points = intParam(q, "max_points", 1500, 10, 20_000);
                    if (days == null || points == null) {
                        sendJson(ex, 400, error("'days' must be an integer in 1.." + MAX_DAYS
                                + ", 'max_points' in 10..20000"));
                        return;
                    }
                    body = queries.history(slo, cohort, days, points);
                }
                case "/api/report" -> {
                    Integer days = intParam(q, "days", 7, 1, MAX_DAYS);
                    if (days == null) {
                        sendJson(ex, 400, error("'days' must be an integer in 1.." + MAX_DAYS));
                        return;
                    }
                    String cohort = q.getOrDefault("cohort", "");
                    body = WeeklyReport.build(queries, Duration.ofDays(days), cohort.isEmpty() ? "*" : cohort,
                            options.headlines());
                }
                case "/api/alerts" -> {
                    Integer limit = intParam(q, "limit", RECENT_ALERTS, 0, MAX_RECENT_ALERTS);
                    if (limit == null) {
                        sendJson(ex, 400, error("'limit' must be an integer in 0.." + MAX_RECENT_ALERTS));
                        return;
                    }
                    body = queries.alerts(limit);
                }
                case "/api/calibration" -> body = queries.calibration();
                case "/api/dead-letters/summary" -> body = queries.deadLetterSummary();
                default -> {
                    sendJson(ex, 404, error("no such endpoint: " + path));
                    return;
                }
            }
        } catch (SQLException e) {
            // the driver's text (tables, columns, hosts) stays in the log; the client learns only
            // that the database did not answer
            LOG.warn("dashboard: {}: {}", path, e.getMessage());
            sendJson(ex, 503, error("database unavailable (see the dashboard's log)"));
            return;
        }
        sendJson(ex, 200, body);
    }

    private static Integer intParam(Map<String, String> q, String name, int dflt, int min, int max) {
        String v = q.get(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(v.trim());
            return i < min || i > max ? null : i;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // a malformed escape: ignore the pair, the endpoint reports what is missing
            }
        }
        return out;
    }

    private static ObjectNode error(String message) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("error", message);
        return e;
    }

    private static void sendJson(HttpExchange ex, int code, JsonNode body) throws IOException {
        byte[] bytes = DashboardQueries.json(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        send(ex, code, bytes);
    }

    private static void sendStatic(HttpExchange ex, String[] file) throws IOException {
        byte[] bytes;
        try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(file[0])) {
            if (in == null) {
                sendJson(ex, 404, error("not found"));
                return;
            }
            bytes = in.readAllBytes();
        }
        ex.getResponseHeaders().set("Content-Type", file[1]);
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        send(ex, 200, bytes);
    }

    private static void send(HttpExchange ex, int code, byte[] bytes) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("X-Frame-Options", "DENY");
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(code, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
