package io.llmslo.testing;

import io.llmslo.config.JobConfig;
import io.llmslo.sim.Scenario;
import io.llmslo.sim.TrafficSimulator;
import java.nio.file.Path;

/**
 * A small replay for the SRE integrations (Prometheus, Alertmanager): two days of traffic with a
 * provider outage that opens availability alerts and ends (so some alerts resolve) and a quality
 * regression that is still on when the traffic ends (so some alerts stay firing).
 */
public final class SreReplay {

    private SreReplay() {}

    public static void simulate(Path dir) throws Exception {
        String scenario = """
                start: 2026-10-01T00:00:00Z
                days: 2
                requests_per_day: 1500
                seed: 7
                incidents:
                  - type: provider_outage
                    provider: openai
                    failure_rate: 0.6
                    failover_rate: 0.0
                    from: 2026-10-01T10:00:00Z
                    to: 2026-10-01T13:00:00Z
                  - type: quality_regression
                    negative_rate: 0.5
                    useful_rate: 0.4
                    match: {surface: chat}
                    from: 2026-10-02T12:00:00Z
                """;
        TrafficSimulator.run(Scenario.parse(scenario, "sre-replay.yaml"), dir);
    }

    /** The job over the files in {@code dir}; {@code extra} is appended YAML (top-level keys). */
    public static JobConfig job(Path dir, String jdbcUrl, String extra) {
        return ReplayJobs.files("sre-replay", dir, jdbcUrl, extra);
    }
}
