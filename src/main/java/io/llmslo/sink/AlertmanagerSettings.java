package io.llmslo.sink;

import io.llmslo.config.ConfigException;
import io.llmslo.config.ConfigNode;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The job file's {@code alertmanager:} section: where alert transitions are posted (Alertmanager
 * API v2) and how hard to try. Credentials are NAMES of environment variables, read by the writer
 * on the TaskManager, never values in the file, a log line or a message.
 *
 * @param urls Alertmanager base URLs ({@code http://am:9093}); every alert goes to each (an HA
 *     cluster deduplicates)
 * @param timeout connect and request timeout of one POST
 * @param resendInterval how often firing alerts are re-sent; {@code endsAt} of a firing alert is
 *     now + 4 × this, as Prometheus does, so a job that stops sending lets them expire
 * @param maxRetries retries of a failed POST (connection error, 429, 5xx) before its alerts are dropped
 * @param retryBackoff pause before the first retry, doubled for each further one
 * @param queueCapacity alerts waiting to be sent; beyond it new ones are dropped (counted), so a
 *     slow Alertmanager never back-pressures the job
 * @param drainTimeout how long closing the writer (end of a bounded job) waits for the queue
 * @param dashboardUrl base URL of the dashboard for the detail link, or null
 */
public record AlertmanagerSettings(
        List<String> urls,
        Duration timeout,
        Duration resendInterval,
        int maxRetries,
        Duration retryBackoff,
        int queueCapacity,
        Duration drainTimeout,
        String bearerTokenEnv,
        String basicAuthUser,
        String basicAuthPasswordEnv,
        String dashboardUrl)
        implements Serializable {

    /** {@code null} when the job file has no {@code alertmanager:} section. */
    public static AlertmanagerSettings fromConfig(ConfigNode a) {
        if (!a.present()) {
            return null;
        }
        a.allowOnly("urls", "timeout", "resend_interval", "max_retries", "retry_backoff", "queue_capacity",
                "drain_timeout", "bearer_token_env", "basic_auth", "dashboard_url");
        List<String> urls = new ArrayList<>();
        List<ConfigNode> list = a.list("urls");
        for (ConfigNode u : list) {
            String s = u.asText();
            URI uri;
            try {
                uri = URI.create(s);
            } catch (IllegalArgumentException e) {
                throw u.error("an http(s) URL of an Alertmanager, e.g. http://alertmanager:9093");
            }
            if (uri.getRawUserInfo() != null) {
                // not u.error(...): that would echo the password in the URL
                throw new ConfigException(u.file() + ": key '" + u.path() + "' expected a URL without credentials"
                        + " (use bearer_token_env or basic_auth), got a URL with user info (not shown)");
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw u.error("an http(s) URL of an Alertmanager, e.g. http://alertmanager:9093");
            }
            urls.add(s.replaceAll("/+$", ""));
        }
        if (urls.isEmpty()) {
            throw a.error("urls", "a non-empty list of Alertmanager URLs");
        }
        ConfigNode basic = a.get("basic_auth");
        basic.allowOnly("username", "password_env");
        String bearer = envName(a, "bearer_token_env");
        String user = basic.string("username", null);
        String passwordEnv = envName(basic, "password_env");
        if (bearer != null && (user != null || passwordEnv != null)) {
            throw a.error("basic_auth", "either bearer_token_env or basic_auth, not both");
        }
        if ((user == null) != (passwordEnv == null)) {
            throw basic.error(user == null ? "username" : "password_env", "username and password_env together");
        }
        Duration resend = a.duration("resend_interval", Duration.ofMinutes(1));
        if (resend.toMillis() < 1000) {
            throw a.error("resend_interval", "a duration of at least 1s");
        }
        String dash = a.string("dashboard_url", null);
        return new AlertmanagerSettings(List.copyOf(urls), a.duration("timeout", Duration.ofSeconds(5)), resend,
                a.integer("max_retries", 2, 0, 10), a.duration("retry_backoff", Duration.ofMillis(500)),
                a.integer("queue_capacity", 10_000, 1, 1_000_000), a.duration("drain_timeout", Duration.ofSeconds(10)),
                bearer, user, passwordEnv, dash == null ? null : dash.replaceAll("/+$", ""));
    }

    private static String envName(ConfigNode n, String key) {
        String v = n.string(key, null);
        if (v != null && !v.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            // not n.error(...): that echoes the value, which may be the secret itself
            throw new ConfigException(n.file() + ": key '" + n.get(key).path()
                    + "' expected the NAME of an environment variable (never the secret itself),"
                    + " got a value that is not a variable name (not shown: it may be a secret)");
        }
        return v;
    }
}
