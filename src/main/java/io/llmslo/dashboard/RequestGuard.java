package io.llmslo.dashboard;

import com.sun.net.httpserver.Headers;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who may talk to the dashboard, decided per request before any handler runs (DESIGN §7b):
 *
 * <ul>
 *   <li><b>Host allow-list.</b> A page on {@code evil.example} whose name is re-pointed at
 *       127.0.0.1 (DNS rebinding) reaches a loopback server with {@code Host: evil.example}; only
 *       the loopback names, the bound address and names the operator allowed pass.
 *   <li><b>Bearer token</b> (optional). When configured, a request must carry it as
 *       {@code Authorization: Bearer <token>} or in the {@code llmslo_token} cookie that
 *       {@code /?token=<token>} sets for browsers (HttpOnly, SameSite=Strict). Compared in
 *       constant time; never logged.
 * </ul>
 */
public final class RequestGuard {

    /** The cookie a browser keeps the token in after opening {@code /?token=…} once. */
    public static final String COOKIE = "llmslo_token";

    /** A verdict: null when the request may proceed, else the status and a message to send. */
    public record Refusal(int status, String message) {}

    private final Set<String> allowedHosts;
    private final byte[] token;

    /**
     * @param bind the address the server listens on; its literal form is allowed as a Host
     * @param extraHosts host names (no port) the operator allows besides the loopback names
     * @param token the bearer token, or null/empty for none
     */
    public RequestGuard(InetAddress bind, List<String> extraHosts, String token) {
        Set<String> hosts = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "[::1]"));
        if (bind != null && !bind.isAnyLocalAddress()) {
            String literal = bind.getHostAddress();
            hosts.add(literal.contains(":") ? "[" + literal + "]" : literal);
        }
        for (String h : extraHosts) {
            hosts.add(h.trim().toLowerCase(Locale.ROOT));
        }
        this.allowedHosts = Set.copyOf(hosts);
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    public boolean tokenRequired() {
        return token != null;
    }

    public Set<String> allowedHosts() {
        return allowedHosts;
    }

    /** Null when the request may proceed; otherwise why not. */
    public Refusal check(Headers headers) {
        String host = hostName(headers.getFirst("Host"));
        if (host == null || !allowedHosts.contains(host)) {
            // 421: the request reached a server that does not serve that name
            return new Refusal(421, "host not allowed (start the dashboard with --allow-host to serve other names)");
        }
        if (token != null && !(matches(bearer(headers.getFirst("Authorization"))) || matches(cookie(headers)))) {
            return new Refusal(401, "a bearer token is required");
        }
        return null;
    }

    /** Whether {@code candidate} is the configured token (false when none is configured). */
    public boolean matches(String candidate) {
        return token != null && candidate != null
                && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }

    /** The host part of a Host header, lower case, port removed; null when absent or malformed. */
    static String hostName(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim().toLowerCase(Locale.ROOT);
        if (h.isEmpty()) {
            return null;
        }
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            if (close < 0 || (close + 1 < h.length() && !validPort(h.substring(close + 1)))) {
                return null;
            }
            return h.substring(0, close + 1);
        }
        int colon = h.indexOf(':');
        if (colon >= 0) {
            if (!validPort(h.substring(colon))) {
                return null;
            }
            h = h.substring(0, colon);
        }
        return h.isEmpty() ? null : h;
    }

    private static boolean validPort(String colonPort) {
        return colonPort.matches(":[0-9]{1,5}");
    }

    private static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String a = authorization.trim();
        return a.regionMatches(true, 0, "Bearer ", 0, 7) ? a.substring(7).trim() : null;
    }

    private static String cookie(Headers headers) {
        List<String> cookies = headers.get("Cookie");
        if (cookies == null) {
            return null;
        }
        for (String line : cookies) {
            for (String part : line.split(";")) {
                String p = part.trim();
                if (p.startsWith(COOKIE + "=")) {
                    return p.substring(COOKIE.length() + 1);
                }
            }
        }
        return null;
    }
}
