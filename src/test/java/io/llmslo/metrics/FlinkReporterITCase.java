package io.llmslo.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.cli.JobRunner;
import io.llmslo.config.JobConfig;
import io.llmslo.event.Envelope;
import io.llmslo.pipeline.LlmSloJob;
import io.llmslo.source.EventSources;
import io.llmslo.testing.LocalServer;
import io.llmslo.testing.SreReplay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's own health through Flink's metric groups and Flink's Prometheus reporter, as a job
 * file with {@code metrics.prometheus_port} sets it up for a local run: while a replay runs, the
 * reporter's endpoint serves the {@code llmslo} operator metrics in Prometheus format.
 * (No MiniClusterExtension here: the job must build its own local cluster from the job's options.)
 */
class FlinkReporterITCase {

    @TempDir
    static Path dir;

    @Test
    void jobHealthMetricsReachThePrometheusReporter() throws Exception {
        SreReplay.simulate(dir);
        int port = LocalServer.freePort();
        JobConfig cfg = SreReplay.job(dir, "jdbc:sqlite:" + dir.resolve("r.db"), "metrics: {prometheus_port: " + port + "}");
        JobRunner.createTables(cfg);
        StreamExecutionEnvironment env = JobRunner.environment(cfg);
        DataStream<Envelope> events = EventSources.create(env, cfg);
        LlmSloJob.build(cfg, events, JobRunner.jdbcSinks(cfg), null);
        JobClient job = env.executeAsync("reporter-it");
        TreeMap<String, String> seen = new TreeMap<>();
        List<String> wanted = List.of("llmslo_events_in", "llmslo_events_per_second", "llmslo_watermark_lag_ms",
                "llmslo_dead_letters_", "llmslo_slo_series");
        try {
            // poll while the job runs (a bound, not a timing assertion): metrics of finished tasks go away
            for (int i = 0; i < 600 && !job.getJobStatus().get().isGloballyTerminalState(); i++) {
                String body;
                try {
                    body = LocalServer.HTTP.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + port + "/")).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                } catch (java.io.IOException e) {
                    Thread.sleep(100);
                    continue;
                }
                body.lines().filter(l -> l.startsWith("flink_taskmanager_job_task_operator_llmslo_"))
                        .forEach(l -> seen.put(l.substring(0, Math.max(l.indexOf('{'), 0)), l));
                if (wanted.stream().allMatch(w -> seen.keySet().stream().anyMatch(k -> k.contains(w)))) {
                    break;
                }
                Thread.sleep(200);
            }
        } finally {
            job.getJobExecutionResult().get();
        }
        for (String w : wanted) {
            assertThat(seen.keySet()).as("a metric containing " + w + " in " + seen.keySet()).anyMatch(k -> k.contains(w));
        }
        Files.createDirectories(Path.of("target", "sre-evidence"));
        Files.writeString(Path.of("target", "sre-evidence", "flink-reporter-llmslo.txt"),
                String.join("\n", seen.values()) + "\n");
        System.out.println("Flink Prometheus reporter: " + seen.keySet());
    }
}
