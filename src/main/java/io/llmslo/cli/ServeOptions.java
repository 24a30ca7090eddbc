package io.llmslo.cli;

import io.llmslo.dashboard.DashboardQueries;
import io.llmslo.dashboard.DashboardServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The dashboard server's listening and access options, shared by {@code dashboard} and {@code demo}. */
final class ServeOptions {

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "<address>",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, loopback only). "
                    + "Another address exposes the tables to that network: combine with --token-env and --allow-host.")
    String bind;

    @Option(names = "--allow-host", paramLabel = "<name>", split = ",",
            description = "Host header names to serve besides localhost, 127.0.0.1, [::1] and the bound address "
                    + "(requests naming any other host are refused: DNS rebinding).")
    List<String> allowHosts = new ArrayList<>();

    @Option(names = "--token-env", defaultValue = "LLMSLO_DASHBOARD_TOKEN", paramLabel = "<VAR>",
            description = "Environment variable holding a bearer token; when it is set, every request needs "
                    + "'Authorization: Bearer <token>' (browsers: open /?token=<token> once). Default: ${DEFAULT-VALUE}.")
    String tokenEnv;

    @Option(names = "--headline", paramLabel = "<family>=<slo>", split = ",",
            description = "The SLO a main-page panel leads with, e.g. latency=latency.total_p95 "
                    + "(defaults: quality.acceptance, latency.ttft_p95, cost.p95, availability.success).")
    Map<String, String> headlines = new LinkedHashMap<>();

    DashboardServer.Options options(int port) {
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind: unknown address '" + bind + "'");
        }
        for (String h : allowHosts) {
            if (!h.matches("[A-Za-z0-9.\\-\\[\\]:]+") || h.contains("/")) {
                throw new IllegalArgumentException("--allow-host: expected a host name without port, got '" + h + "'");
            }
        }
        Map<String, String> heads = new LinkedHashMap<>(DashboardQueries.DEFAULT_HEADLINES);
        for (Map.Entry<String, String> e : headlines.entrySet()) {
            if (!DashboardQueries.FAMILIES.contains(e.getKey()) || !e.getValue().startsWith(e.getKey() + ".")) {
                throw new IllegalArgumentException("--headline: expected <family>=<family>.<slo> with a family of "
                        + DashboardQueries.FAMILIES + ", got '" + e.getKey() + "=" + e.getValue() + "'");
            }
            heads.put(e.getKey(), e.getValue());
        }
        String token = tokenEnv == null || tokenEnv.isEmpty() ? null : System.getenv(tokenEnv);
        return new DashboardServer.Options(address, port, List.copyOf(allowHosts), token, 8, Duration.ofSeconds(30),
                Map.copyOf(heads));
    }
}
