package io.llmslo.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard server under hostile clients (DESIGN §7b), over real sockets: half-open
 * connections, foreign Host headers (DNS rebinding), a missing or wrong token, a broken database.
 */
class DashboardServerTest {

    /** Generous bound for one socket read: a hang guard, not a timing assertion. */
    private static final int SOCKET_TIMEOUT_MS = 60_000;

    @TempDir
    Path dir;

    DashboardQueries queries;

    @BeforeEach
    void setUp() throws SQLException {
        queries = new DashboardQueries(DashboardFixture.create(dir), null, null);
    }

    @Test
    void halfOpenConnectionsDoNotStarveTheWorkers() throws Exception {
        // two workers, a one-second deadline per exchange; six clients each send half a request
        // and go quiet: without deadlines the first two would hold both workers forever
        DashboardServer.Options opts = DashboardServer.Options.loopback(0).withDeadline(Duration.ofSeconds(1), 2);
        try (DashboardServer server = DashboardServer.start(queries, opts)) {
            List<Socket> stalled = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
                s.getOutputStream().write(("GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                stalled.add(s);
            }
            // three complete requests after them are all answered
            for (int i = 0; i < 3; i++) {
                assertThat(get(server, "127.0.0.1:" + server.port(), "/api/status", List.of()).status).isEqualTo(200);
            }
            // and the stalled connections were closed by the server, not left holding a worker
            int closed = 0;
            for (Socket s : stalled) {
                s.setSoTimeout(SOCKET_TIMEOUT_MS);
                try (s) {
                    InputStream in = s.getInputStream();
                    // EOF or a reset: either way the server let go of it
                    while (in.read() >= 0) {
                        // a 400 for the torn request is also fine: read to the end
                    }
                    closed++;
                } catch (IOException reset) {
                    closed++;
                }
            }
            assertThat(closed).isEqualTo(6);
        }
    }

    @Test
    void foreignHostHeadersAreRefused() throws Exception {
        try (DashboardServer server = DashboardServer.start(queries, 0)) {
            int port = server.port();
            for (String ok : List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST", "[::1]:" + port)) {
                assertThat(get(server, ok, "/api/status", List.of()).status).as(ok).isEqualTo(200);
            }
            // DNS rebinding: a name the attacker controls, now resolving to 127.0.0.1
            for (String bad : List.of("evil.example:" + port, "evil.example", "127.0.0.1.evil.example",
                    "127.0.0.1:" + port + "@evil.example", "", "[::1", "localhost:80x")) {
                Reply r = get(server, bad, "/api/status", List.of());
                assertThat(r.status).as("Host: '%s'", bad).isEqualTo(421);
                assertThat(r.body).doesNotContain("families");
            }
            // no Host header at all
            assertThat(get(server, null, "/", List.of()).status).isEqualTo(421);
        }
    }

    @Test
    void allowedHostsAreConfigurable() throws Exception {
        DashboardServer.Options o = DashboardServer.Options.loopback(0);
        o = new DashboardServer.Options(o.bind(), 0, List.of("slo.internal"), null, 4, o.requestDeadline(),
                o.headlines());
        try (DashboardServer server = DashboardServer.start(queries, o)) {
            assertThat(get(server, "slo.internal:" + server.port(), "/api/status", List.of()).status).isEqualTo(200);
            assertThat(get(server, "other.internal", "/api/status", List.of()).status).isEqualTo(421);
        }
    }

    @Test
    void aConfiguredTokenIsRequiredAsBearerOrCookie() throws Exception {
        String token = "s3cret-token-for-test";
        try (DashboardServer server = DashboardServer.start(queries, DashboardServer.Options.loopback(0).withToken(token))) {
            String host = "127.0.0.1:" + server.port();
            Reply none = get(server, host, "/api/status", List.of());
            assertThat(none.status).isEqualTo(401);
            assertThat(none.headers).containsIgnoringCase("WWW-Authenticate: Bearer");
            assertThat(get(server, host, "/api/status", List.of("Authorization: Bearer wrong")).status).isEqualTo(401);
            assertThat(get(server, host, "/", List.of()).status).isEqualTo(401);
            assertThat(get(server, host, "/api/status", List.of("Authorization: Bearer " + token)).status)
                    .isEqualTo(200);
            // a browser: /?token= sets the cookie and redirects to a URL without the token
            Reply login = get(server, host, "/?token=" + token, List.of());
            assertThat(login.status).isEqualTo(303);
            assertThat(login.headers).contains("Location: /", "HttpOnly", "SameSite=Strict");
            assertThat(get(server, host, "/?token=wrong", List.of()).status).isEqualTo(401);
            assertThat(get(server, host, "/api/status", List.of("Cookie: a=b; " + RequestGuard.COOKIE + "=" + token))
                    .status).isEqualTo(200);
            // a foreign host is refused even with the token
            assertThat(get(server, "evil.example", "/api/status", List.of("Authorization: Bearer " + token)).status)
                    .isEqualTo(421);
            assertThat(server.guard().toString()).doesNotContain(token);
        }
    }

    @Test
    void extraContextsGetTheSameGuard() throws Exception {
        try (DashboardServer server = DashboardServer.start(queries, DashboardServer.Options.loopback(0).withToken("t"))) {
            server.addContext("/metrics", ex -> {
                try (ex) {
                    byte[] b = "up 1\n".getBytes(StandardCharsets.UTF_8);
                    ex.sendResponseHeaders(200, b.length);
                    ex.getResponseBody().write(b);
                }
            });
            String host = "127.0.0.1:" + server.port();
            assertThat(get(server, host, "/metrics", List.of()).status).isEqualTo(401);
            assertThat(get(server, "evil.example", "/metrics", List.of("Authorization: Bearer t")).status).isEqualTo(421);
            Reply ok = get(server, host, "/metrics", List.of("Authorization: Bearer t"));
            assertThat(ok.status).isEqualTo(200);
            assertThat(ok.body).isEqualTo("up 1\n");
        }
    }

    @Test
    void databaseErrorsAreNotEchoed() throws Exception {
        Path junk = dir.resolve("not-a-database.db");
        Files.writeString(junk, "this is not an SQLite file, it is plain text that is long enough ".repeat(20));
        DashboardQueries broken = new DashboardQueries("jdbc:sqlite:" + junk, null, null);
        try (DashboardServer server = DashboardServer.start(broken, 0)) {
            Reply r = get(server, "127.0.0.1:" + server.port(), "/api/status", List.of());
            assertThat(r.status).isEqualTo(503);
            assertThat(r.body).contains("database unavailable")
                    .doesNotContainIgnoringCase("sqlite").doesNotContain("not-a-database").doesNotContain("SQL");
        }
    }

    @Test
    void hostNameParsing() {
        assertThat(RequestGuard.hostName("LocalHost:8080")).isEqualTo("localhost");
        assertThat(RequestGuard.hostName("[::1]:8080")).isEqualTo("[::1]");
        assertThat(RequestGuard.hostName("[::1]")).isEqualTo("[::1]");
        assertThat(RequestGuard.hostName("a:b")).isNull();
        assertThat(RequestGuard.hostName(":80")).isNull();
        assertThat(RequestGuard.hostName(null)).isNull();
    }

    private record Reply(int status, String headers, String body) {}

    /** One raw HTTP/1.1 request (the JDK client will not send a foreign Host header). */
    private static Reply get(DashboardServer server, String host, String path, List<String> headers) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(SOCKET_TIMEOUT_MS);
            StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
            if (host != null) {
                req.append("Host: ").append(host).append("\r\n");
            }
            for (String h : headers) {
                req.append(h).append("\r\n");
            }
            req.append("Connection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int split = all.indexOf("\r\n\r\n");
            String head = split < 0 ? all : all.substring(0, split);
            String body = split < 0 ? "" : all.substring(split + 4);
            int status = Integer.parseInt(head.split(" ", 3)[1]);
            return new Reply(status, head, body);
        }
    }
}
