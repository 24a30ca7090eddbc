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
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-page dashboard (DESIGN §8 {@code dashboard}): the JDK's HTTP server on the loopback
 * interface, a few JSON endpoints over {@link DashboardQueries} and three static files from the
 * classpath folder {@code dashboard/}. Read-only, GET only, no external resources (the page must
 * work offline), and a Content-Security-Policy that allows nothing but this origin.
 */
public final class DashboardServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);

    /** The static files, by request path; nothing else on the classpath is served. */
    private static final Map<String, String[]> STATIC = Map.of(
            "/", new String[] {"index.html", "text/html; charset=utf-8"},
            "/index.html", new String[] {"index.html", "text/html; charset=utf-8"},
            "/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"},
            "/app.css", new String[] {"app.css", "text/css; charset=utf-8"});

    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private static final int THREADS = 4;
    private static final int MAX_DAYS = 400;
    private static final int RECENT_ALERTS = 30;

    private final DashboardQueries queries;
    private final HttpServer server;
    private final ExecutorService pool;
    /** Extra GET endpoints registered by other features (e.g. {@code /metrics}), by exact path. */
    private final Map<String, HttpHandler> routes = new ConcurrentHashMap<>();

    private DashboardServer(DashboardQueries queries, HttpServer server, ExecutorService pool) {
        this.queries = queries;
        this.server = server;
        this.pool = pool;
    }

    /** Starts serving on 127.0.0.1:{@code port}; port 0 picks a free one (see {@link #port()}). */
    public static DashboardServer start(DashboardQueries queries, int port) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "dashboard-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, tf);
        DashboardServer s = new DashboardServer(queries, http, pool);
        http.createContext("/", s::handle);
        http.setExecutor(pool);
        http.start();
        return s;
    }

    /** Serves {@code path} (exact match, GET/HEAD) with {@code handler}; returns this server. */
    public DashboardServer route(String path, HttpHandler handler) {
        routes.put(path, handler);
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdown();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
            HttpHandler route = routes.get(path);
            if (route != null) {
                route.handle(ex);
            } else if (path.startsWith("/api/")) {
                api(ex, path, query(ex.getRequestURI().getRawQuery()));
            } else if (STATIC.containsKey(path)) {
                sendStatic(ex, STATIC.get(path));
            } else {
                sendJson(ex, 404, error("not found"));
            }
        } catch (RuntimeException e) {
            // the exchange may be half-written; nothing more to send, but the server lives on
            LOG.warn("dashboard: {}: {}", ex.getRequestURI().getPath(), e.toString());
        }
    }

    private void api(HttpExchange ex, String path, Map<String, String> q) throws IOException {
        JsonNode body;
        try {
            switch (path) {
                case "/api/status" -> body = queries.status();
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
                case "/api/alerts" -> body = queries.alerts(RECENT_ALERTS);
                case "/api/calibration" -> body = queries.calibration();
                case "/api/dead-letters/summary" -> body = queries.deadLetterSummary();
                default -> {
                    sendJson(ex, 404, error("no such endpoint: " + path));
                    return;
                }
            }
        } catch (SQLException e) {
            // driver messages name tables and columns, never the password (it is not in the URL)
            LOG.warn("dashboard: {}: {}", path, e.getMessage());
            sendJson(ex, 503, error("database unavailable: " + e.getMessage()));
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
        try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream("dashboard/" + file[0])) {
            if (in == null) {
                sendJson(ex, 404, error("missing resource " + file[0]));
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
