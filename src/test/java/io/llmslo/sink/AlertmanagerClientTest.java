package io.llmslo.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against a real local HTTP server: credentials from the environment, bounded retries. */
class AlertmanagerClientTest {

    private HttpServer server;
    private final List<String> authorization = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();

    private String start(int status) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v2/alerts", ex -> {
            requests.incrementAndGet();
            authorization.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static AlertmanagerSettings settings(String url, int retries, String bearerEnv, String user, String pwEnv) {
        return new AlertmanagerSettings(List.of(url), Duration.ofSeconds(2), Duration.ofMinutes(1), retries,
                Duration.ofMillis(10), 100, Duration.ofSeconds(1), bearerEnv, user, pwEnv, null);
    }

    @Test
    void bearerTokenAndBasicAuthComeFromTheEnvironment() throws Exception {
        String url = start(200);
        Map<String, String> env = Map.of("AM_TOKEN", "s3cret-token", "AM_PW", "pa55");
        assertThat(new AlertmanagerClient(settings(url, 0, "AM_TOKEN", null, null), env::get).post("[]")).isTrue();
        assertThat(new AlertmanagerClient(settings(url, 0, null, "llmslo", "AM_PW"), env::get).post("[]")).isTrue();
        // an unset variable: posted without credentials (and a warning naming only the variable)
        assertThat(new AlertmanagerClient(settings(url, 0, "UNSET", null, null), env::get).post("[]")).isTrue();
        assertThat(authorization).containsExactly("Bearer s3cret-token",
                "Basic " + java.util.Base64.getEncoder().encodeToString("llmslo:pa55".getBytes()), "null");
    }

    @Test
    void serverErrorsAreRetriedABoundedNumberOfTimesClientErrorsNever() throws Exception {
        String url = start(503);
        assertThat(new AlertmanagerClient(settings(url, 2, null, null, null), n -> null).post("[]")).isFalse();
        assertThat(requests.get()).isEqualTo(3); // 1 + max_retries
        stop();
        requests.set(0);
        url = start(400);
        assertThat(new AlertmanagerClient(settings(url, 2, null, null, null), n -> null).post("[]")).isFalse();
        assertThat(requests.get()).isEqualTo(1); // a rejected payload is not repeated
    }
}
