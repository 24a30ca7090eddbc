package io.llmslo.sink;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST <url>/api/v2/alerts} to every configured Alertmanager with a bounded number of
 * retries. The Authorization header is built once from the environment and never logged; log
 * lines name the URL and the HTTP status only.
 */
public final class AlertmanagerClient {

    private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerClient.class);

    private final AlertmanagerSettings settings;
    private final HttpClient http;
    private final String authorization;

    public AlertmanagerClient(AlertmanagerSettings settings) {
        this(settings, System::getenv);
    }

    /** @param env the environment the credentials are read from (tests pass a map) */
    AlertmanagerClient(AlertmanagerSettings settings, java.util.function.UnaryOperator<String> env) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
        this.authorization = authorization(settings, env);
    }

    private static String authorization(AlertmanagerSettings s, java.util.function.UnaryOperator<String> env) {
        if (s.bearerTokenEnv() != null) {
            String token = env.apply(s.bearerTokenEnv());
            if (token == null || token.isEmpty()) {
                LOG.warn("alertmanager: environment variable {} (bearer token) is not set; posting without it",
                        s.bearerTokenEnv());
                return null;
            }
            return "Bearer " + token;
        }
        if (s.basicAuthUser() != null) {
            String password = env.apply(s.basicAuthPasswordEnv());
            if (password == null) {
                LOG.warn("alertmanager: environment variable {} (basic auth password) is not set; posting without it",
                        s.basicAuthPasswordEnv());
                return null;
            }
            return "Basic " + Base64.getEncoder().encodeToString(
                    (s.basicAuthUser() + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }

    /**
     * Posts {@code jsonArray} to every URL; true when at least one Alertmanager accepted it (an HA
     * cluster gossips it to the others). Retries connection errors, 429 and 5xx with doubling backoff.
     */
    public boolean post(String jsonArray) throws InterruptedException {
        boolean any = false;
        for (String url : settings.urls()) {
            any |= postOne(url, jsonArray);
        }
        return any;
    }

    private boolean postOne(String url, String body) throws InterruptedException {
        long backoff = settings.retryBackoff().toMillis();
        for (int attempt = 0; ; attempt++) {
            String problem;
            try {
                HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url + "/api/v2/alerts"))
                        .timeout(settings.timeout())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
                if (authorization != null) {
                    req.header("Authorization", authorization);
                }
                HttpResponse<Void> res = http.send(req.build(), HttpResponse.BodyHandlers.discarding());
                int code = res.statusCode();
                if (code / 100 == 2) {
                    return true;
                }
                problem = "HTTP " + code;
                if (code != 429 && code / 100 != 5) {
                    LOG.warn("alertmanager {}: {} (not retried)", url, problem);
                    return false; // 400: the payload is wrong, repeating it will not help
                }
            } catch (IOException e) {
                problem = e.getClass().getSimpleName();
            }
            if (attempt >= settings.maxRetries()) {
                LOG.warn("alertmanager {}: {} after {} attempts; alerts dropped", url, problem, attempt + 1);
                return false;
            }
            Thread.sleep(backoff);
            backoff *= 2;
        }
    }
}
