package io.llmslo.judge;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmslo.config.JobConfig;
import io.llmslo.event.Envelope;
import io.llmslo.judge.FakeJudgeServer.Reply;
import io.llmslo.pipeline.JudgeBranch;
import io.llmslo.pipeline.LlmSloJob;
import io.llmslo.source.EventSources;
import io.llmslo.testing.KafkaBroker;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A benchmark, not a test (it asserts nothing, and its name matches neither the surefire nor the
 * failsafe pattern, so only an explicit {@code -Dtest} runs it): SLO-path throughput of a Kafka
 * job with a slow judge (the OpenAI-protocol test server answering each call after 2 s, the job
 * limited to 10 calls/s) against the same job with the judge off, on the in-JVM broker.
 *
 * <pre>
 * mvn -B -o test -Dtest=JudgeThroughputBench [-Dbench.responses=40000] [-Dbench.rounds=2] [-Dbench.inline=20000]
 *     [-Dbench.threads=true]   (CPU by thread per run)
 * </pre>
 *
 * Rate = responses read by the sources between 25 % and 90 % of the input / wall time between
 * those points (back-pressure reaches the sources within a few network buffers, so this is the
 * SLO path's rate, without job start-up); also per CPU second of this process.
 * {@code bench.inline=N} adds a run with the judge inline (judge.decoupled: false) over N
 * responses: what the decoupling removes. N must sample well over the async operator's
 * capacity (100 per instance) for the inline judge to throttle: 20 000 responses sample ~1 000.
 */
class JudgeThroughputBench {

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    /** Responses read by the sources of the running job (the MiniCluster runs in this JVM). */
    static final AtomicLong READ = new AtomicLong();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    record Run(String name, long responses, double seconds, double cpuSeconds) {
        double rate() {
            return 0.65 * responses / seconds;
        }

        double perCpu() {
            return 0.65 * responses / cpuSeconds;
        }
    }

    @Test
    void sloPathThroughputWithASlowJudgeAgainstJudgeOff() throws Exception {
        int n = Integer.getInteger("bench.responses", 40_000);
        int inline = Integer.getInteger("bench.inline", 0);
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(20));
        KAFKA.createTopics(2, "bench.responses", "bench.feedback", "bench.ratings", "bench.inline");
        KAFKA.produce("bench.responses", responses(n, base), v -> null);
        if (inline > 0) {
            KAFKA.produce("bench.inline", responses(inline, base), v -> null);
        }
        List<Run> runs = new ArrayList<>();
        try (FakeJudgeServer server = new FakeJudgeServer()) {
            server.always(new Reply(200, "{\"score\": 4, \"reason\": \"Fine.\"}", Map.of(), 2_000));
            String url = server.baseUrl("openai");
            for (int round = 1; round <= Integer.getInteger("bench.rounds", 2); round++) {
                runs.add(run("judge off #" + round, n, "bench.responses", "judge: {enabled: false}", round));
                runs.add(run("slow judge, decoupled #" + round, n, "bench.responses", judge(url, true, round), round));
            }
            if (inline > 0) {
                runs.add(run("slow judge, inline", inline, "bench.inline", judge(url, false, 3), 3));
            }
        }
        System.out.printf("%n[bench judge] %d responses, 5 %% sampled, judge 2 s per call, 10 calls/s, p=2%n", n);
        System.out.printf("%-26s %12s %14s%n", "run", "responses/s", "per CPU s");
        for (Run r : runs) {
            System.out.printf("%-26s %12.0f %14.0f%n", r.name(), r.rate(), r.perCpu());
        }
        Map<String, double[]> mean = new LinkedHashMap<>();
        for (Run r : runs) {
            String key = r.name().replaceAll(" #\\d+$", "");
            double[] m = mean.computeIfAbsent(key, k -> new double[3]);
            m[0] += r.rate();
            m[1] += r.perCpu();
            m[2]++;
        }
        // the machine is shared: each decoupled run against the judge-off run just before it
        List<Double> wall = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (int i = 0; i + 1 < runs.size(); i += 2) {
            if (runs.get(i).name().startsWith("judge off") && runs.get(i + 1).name().contains("decoupled")) {
                wall.add(runs.get(i + 1).rate() / runs.get(i).rate());
                cpu.add(runs.get(i + 1).perCpu() / runs.get(i).perCpu());
            }
        }
        System.out.printf("decoupled / off, pair by pair: wall %s (median %.2f), per CPU s %s (median %.2f)%n",
                fmt(wall), median(wall), fmt(cpu), median(cpu));
        double[] off = mean.get("judge off");
        mean.forEach((k, m) -> System.out.printf("mean %-21s %12.0f %14.0f   (%.2f / %.2f of judge off)%n", k,
                m[0] / m[2], m[1] / m[2], (m[0] / m[2]) / (off[0] / off[2]), (m[1] / m[2]) / (off[1] / off[2])));
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static String fmt(List<Double> xs) {
        return xs.stream().map(x -> String.format("%.2f", x)).toList().toString();
    }

    static String judge(String url, boolean decoupled, int round) {
        return """
                judge:
                  enabled: true
                  provider: openai
                  base_url: %s
                  model: judge-slow
                  timeout: 30s
                  max_retries: 0
                  max_concurrency: 20
                  rate_limit_per_second: 10
                  decoupled: %s
                  requests_topic: bench.judge_requests.%d
                  scores_topic: bench.judge_scores.%d
                  review_queue: {enabled: false}
                """.formatted(url, decoupled, round, round);
    }

    Run run(String name, int n, String topic, String judgeYaml, int round) throws Exception {
        String group = "bench-" + name.replaceAll("[^a-z0-9]+", "-");
        String yaml = """
                name: bench
                parallelism: 2
                sources:
                  type: kafka
                  bootstrap_servers: %s
                  group_id: %s
                  starting_offsets: earliest
                  topics: {responses: %s, feedback: bench.feedback, ratings: bench.ratings}
                event_time: {out_of_orderness: 2m, allowed_lateness: 0s, idleness: 1s}
                sampling: {rate: 0.05}
                %s
                output:
                  jdbc_url: "jdbc:sqlite:%s"
                  history_interval: 5m
                """.formatted(KAFKA.bootstrapServers(), group, topic, judgeYaml.replace("\n", "\n"),
                tmp.resolve(group + ".db"));
        JobConfig cfg = JobConfig.parse("bench.yaml", yaml);
        if (cfg.judgeQueue != null) {
            KAFKA.createTopics(2, cfg.judgeQueue.requestsTopic(), cfg.judgeQueue.scoresTopic());
        }
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(cfg.parallelism);
        DataStream<Envelope> events = EventSources.create(env, cfg)
                .map(e -> {
                    READ.incrementAndGet();
                    return e;
                })
                .returns(TypeInformation.of(Envelope.class))
                .name("bench-probe");
        JudgeBranch judge = cfg.judge.enabled()
                ? new JudgeBranch(cfg, JudgeBranchITCase.rubricsForTest(), null, null)
                : null;
        LlmSloJob.build(cfg, events, new LlmSloJob.Sinks(new DiscardingSink<>(), new DiscardingSink<>(),
                new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>()), judge);
        READ.set(0);
        Map<String, Long> cpuBefore = threadCpu();
        JobClient job = env.executeAsync(group);
        try {
            long t25 = 0;
            double c25 = 0;
            while (true) {
                long read = READ.get();
                if (t25 == 0 && read >= 0.25 * n) {
                    t25 = System.nanoTime();
                    c25 = cpuSeconds();
                }
                if (read >= 0.90 * n) {
                    if (Boolean.getBoolean("bench.threads")) {
                        printTopThreads(name, cpuBefore, threadCpu());
                    }
                    return new Run(name, n, (System.nanoTime() - t25) / 1e9, cpuSeconds() - c25);
                }
                Thread.sleep(5);
            }
        } finally {
            job.cancel().get(1, TimeUnit.MINUTES);
        }
    }

    /** CPU ms per thread name pattern (task threads without their subtask suffix). */
    static Map<String, Long> threadCpu() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new java.util.HashMap<>();
        for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long ns = mx.getThreadCpuTime(t.getThreadId());
            String name = t.getThreadName().replaceAll("\\(\\d+/\\d+\\)#\\d+", "").replaceAll("-\\d+$", "");
            out.merge(name.length() > 90 ? name.substring(0, 90) : name, Math.max(0, ns) / 1_000_000, Long::sum);
        }
        return out;
    }

    static void printTopThreads(String run, Map<String, Long> before, Map<String, Long> after) {
        System.out.println("[bench judge] " + run + ": CPU ms by thread (top 8)");
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .limit(8)
                .forEach(e -> System.out.printf("  %7d  %s%n", e.getValue(), e.getKey()));
    }

    static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    static List<String> responses(int n, Instant base) throws Exception {
        String[] surfaces = {"chat", "agent", "rag", "batch"};
        String[] regions = {"us-east", "eu-west", "ap-south"};
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("request_id", "b-" + i);
            r.put("ts", base.plusMillis(1_000L * i).toString());
            r.put("surface", surfaces[i % 4]);
            r.put("model", "m-" + (i % 3));
            r.put("provider", "p-" + (i % 2));
            r.put("cohort", Map.of("region", regions[i % 3], "locale", i % 5 == 0 ? "de-DE" : "en-US"));
            r.put("outcome", i % 50 == 0 ? "error" : "success");
            r.put("ttft_ms", 200 + (i * 37) % 700);
            r.put("total_ms", 900 + (i * 53) % 4000);
            r.put("input_tokens", 100 + i % 400);
            r.put("output_tokens", 50 + i % 600);
            r.put("cost_usd", 0.0005 + (i % 100) * 0.0001);
            r.put("prompt", "Question " + i + ": how do I reverse a list in Python without copying it twice?");
            r.put("response", "Use my_list.reverse() to reverse in place, or my_list[::-1] for a reversed copy (" + i + ").");
            out.add(JSON.writeValueAsString(r));
        }
        return out;
    }
}
