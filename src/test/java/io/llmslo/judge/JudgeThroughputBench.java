package io.llmslo.judge;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmslo.cli.JobRunner;
import io.llmslo.config.JobConfig;
import io.llmslo.event.Envelope;
import io.llmslo.judge.FakeJudgeServer.Reply;
import io.llmslo.pipeline.JudgeBranch;
import io.llmslo.pipeline.LlmSloJob;
import io.llmslo.slo.SloStatus;
import io.llmslo.source.EventSources;
import io.llmslo.testing.KafkaBroker;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * mvn -B -o test -Dtest=JudgeThroughputBench [-Dbench.responses=200000] [-Dbench.rounds=5] [-Dbench.warmup=2]
 *     [-Dbench.inline=20000] [-Dbench.threads=true]   (CPU by thread group per run)
 *     [-Dbench.jfr=&lt;dir&gt;]   (a JFR recording of each measured run)
 * </pre>
 *
 * <p>What a run measures: the SLO path's rate, from the first response read to the moment every
 * evaluator subtask has evaluated the last interval holding data (a marker response per
 * partition, 15 minutes of event time later, moves the watermark past it), i.e. the N responses
 * joined, aggregated and evaluated, not merely read (the sources run ahead of the evaluator by
 * the network buffers and by the watermark). Also per CPU second of this process over the same
 * interval, and per CPU second without the in-process broker and the judge's test server (a
 * user's brokers and judge run elsewhere), with the CPU split by thread group (/proc/self/task for
 * the JVM's native threads, JMX for the Java ones, which keep their full names).
 *
 * <p>Soundness: discarded warm-up pairs over N/2 responses first, until the JIT compilers use
 * under 5 % of a pair's CPU or {@code bench.warmup} (2) pairs ran: the JIT compilers take about
 * a fifth of every job's CPU in this JVM, however many jobs ran before, so each run is also given
 * per CPU second without them (a job that runs for days has long finished compiling). Then the
 * pairs in ABBA order (judge off
 * first in odd rounds, decoupled first in even ones) so a drift of the machine falls on both; a
 * run starts when the previous job has stopped. {@code bench.inline=N} adds a run with the judge
 * inline (judge.decoupled: false) over N responses: what the decoupling removes; it is measured at
 * the sources (the inline job never gets through its input in reasonable time).
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
    /** Per evaluator subtask, the latest evaluation time it emitted. */
    static final AtomicLongArray EVALUATED = new AtomicLongArray(2);
    /** Evaluations (status rows) of the running job. */
    static final AtomicLong EVALUATIONS = new AtomicLong();
    static final ObjectMapper JSON = new ObjectMapper();
    static final long SPACING_MS = 1_000;

    @TempDir
    static Path tmp;

    record Run(String name, long responses, double seconds, double cpuSeconds, Map<String, Double> cpu,
            long evaluations) {
        double rate() {
            return responses / seconds;
        }

        double perCpu() {
            return responses / cpuSeconds;
        }

        /** What runs elsewhere in a user's deployment: the broker and the judge's server. */
        double brokerCpu() {
            return cpu.getOrDefault(BROKER, 0.0) + cpu.getOrDefault(JUDGE_SERVER, 0.0);
        }

        double jitCpu() {
            return cpu.getOrDefault(JIT, 0.0);
        }

        /** Per CPU second of everything but the in-process broker and the judge test server. */
        double perCpuWithoutBroker() {
            return responses / (cpuSeconds - brokerCpu());
        }

        /** The same without the JIT compilers either: the steady state of a long-running job. */
        double perCpuSteady() {
            return responses / (cpuSeconds - brokerCpu() - jitCpu());
        }
    }

    static final String BROKER = "in-process Kafka broker";
    static final String JUDGE_SERVER = "judge test server (the hosted LLM's stand-in)";
    static final String JIT = "JIT compiler threads";

    @Test
    void sloPathThroughputWithASlowJudgeAgainstJudgeOff() throws Exception {
        int n = Integer.getInteger("bench.responses", 200_000);
        int inline = Integer.getInteger("bench.inline", 0);
        int rounds = Integer.getInteger("bench.rounds", 5);
        // event time ends 45 minutes before now: inside EventTimeBounds' one hour of future
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minusMillis(SPACING_MS * n)
                .minus(Duration.ofHours(2));
        KAFKA.createTopics(2, "bench.responses", "bench.warmup", "bench.feedback", "bench.ratings", "bench.inline");
        produce("bench.responses", responses(n, base));
        int warm = Math.max(1_000, n / 2);
        produce("bench.warmup", responses(warm, base));
        if (inline > 0) {
            KAFKA.produce("bench.inline", responses(inline, base), v -> null);
        }
        System.out.printf("%n[bench judge] load average at start: %s%n", loadAverage());
        List<Run> runs = new ArrayList<>();
        try (FakeJudgeServer server = new FakeJudgeServer()) {
            server.always(new Reply(200, "{\"score\": 4, \"reason\": \"Fine.\"}", Map.of(), 2_000));
            String url = server.baseUrl("openai");
            String off = "judge: {enabled: false}";
            // until the JIT compilers are nearly done or bench.warmup pairs ran. In this JVM they
            // took ~20 % of every job's CPU however many jobs ran before (six warm-up pairs, 19-24 %
            // each), so the table also gives each run's rate per CPU second without them
            for (int w = 1; w <= Integer.getInteger("bench.warmup", 2); w++) {
                Run a = run("warm-up, judge off", warm, base, "bench.warmup", off);
                Run b = run("warm-up, decoupled", warm, base, "bench.warmup", judge(url, true, "w" + w));
                double jit = (a.jitCpu() + b.jitCpu()) / (a.cpuSeconds() + b.cpuSeconds());
                System.out.printf("[bench judge] warm-up pair %d: JIT compilers %.0f %% of the CPU%n", w, 100 * jit);
                if (jit < 0.05) {
                    break;
                }
            }
            for (int round = 1; round <= rounds; round++) {
                String dec = judge(url, true, "" + round);
                Run a;
                Run b;
                if (round % 2 == 1) {
                    a = run("judge off #" + round, n, base, "bench.responses", off);
                    b = run("slow judge, decoupled #" + round, n, base, "bench.responses", dec);
                } else { // ABBA: the even rounds run the decoupled job first
                    b = run("slow judge, decoupled #" + round, n, base, "bench.responses", dec);
                    a = run("judge off #" + round, n, base, "bench.responses", off);
                }
                runs.add(a);
                runs.add(b);
            }
            if (inline > 0) {
                runs.add(runAtSources("slow judge, inline", inline, "bench.inline", judge(url, false, "i")));
            }
        }
        report(n, runs);
        System.out.printf("[bench judge] load average at end: %s%n", loadAverage());
    }

    static void report(int n, List<Run> runs) {
        System.out.printf("%n[bench judge] %d responses, 5 %% sampled, judge 2 s per call, 10 calls/s, p=2, heap state%n", n);
        System.out.printf("%-26s %11s %7s %10s %19s %15s %8s %7s %11s%n", "run", "responses/s", "CPU s", "per CPU s",
                "w/o broker, server", "and w/o JIT", "broker+", "JIT", "evaluations");
        for (Run r : runs) {
            System.out.printf("%-26s %11.0f %7.2f %10.0f %19.0f %15.0f %8.2f %7.2f %11d%n", r.name(), r.rate(),
                    r.cpuSeconds(), r.perCpu(), r.perCpuWithoutBroker(), r.perCpuSteady(), r.brokerCpu(), r.jitCpu(),
                    r.evaluations());
        }
        List<Double> wall = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> noBroker = new ArrayList<>();
        List<Double> steady = new ArrayList<>();
        double[] sum = new double[8];
        for (int i = 0; i + 1 < runs.size(); i += 2) {
            Run off = runs.get(i);
            Run dec = runs.get(i + 1);
            if (!off.name().startsWith("judge off") || !dec.name().contains("decoupled")) {
                continue;
            }
            wall.add(dec.rate() / off.rate());
            cpu.add(dec.perCpu() / off.perCpu());
            noBroker.add(dec.perCpuWithoutBroker() / off.perCpuWithoutBroker());
            steady.add(dec.perCpuSteady() / off.perCpuSteady());
            sum[6] += off.cpuSeconds() - off.brokerCpu() - off.jitCpu();
            sum[7] += dec.cpuSeconds() - dec.brokerCpu() - dec.jitCpu();
            sum[0] += off.rate();
            sum[1] += dec.rate();
            sum[2] += off.cpuSeconds();
            sum[3] += dec.cpuSeconds();
            sum[4] += off.cpuSeconds() - off.brokerCpu();
            sum[5] += dec.cpuSeconds() - dec.brokerCpu();
        }
        System.out.printf("decoupled / off, pair by pair: wall %s (median %.2f), per CPU s %s (median %.2f), "
                        + "per CPU s w/o broker and judge server %s (median %.2f), and w/o JIT %s (median %.2f)%n",
                fmt(wall), median(wall), fmt(cpu), median(cpu), fmt(noBroker), median(noBroker), fmt(steady),
                median(steady));
        System.out.printf("ratio of means: wall %.2f, per CPU s %.2f, per CPU s w/o broker and judge server %.2f, "
                + "and w/o JIT %.2f%n", sum[1] / sum[0], sum[2] / sum[3], sum[4] / sum[5], sum[6] / sum[7]);
        // CPU by thread group, mean over the rounds, in µs per response
        Map<String, double[]> groups = new TreeMap<>();
        int pairs = wall.size();
        for (Run r : runs) {
            int col = r.name().startsWith("judge off") ? 0 : r.name().contains("decoupled") ? 1 : -1;
            if (col >= 0) {
                r.cpu().forEach((g, s) -> groups.computeIfAbsent(g, k -> new double[2])[col] += s * 1e6 / r.responses() / pairs);
            }
        }
        System.out.println("CPU by thread group, µs per response (mean of the rounds): judge off | decoupled | difference");
        groups.entrySet().stream()
                .sorted((x, y) -> Double.compare(Math.max(y.getValue()[0], y.getValue()[1]),
                        Math.max(x.getValue()[0], x.getValue()[1])))
                .filter(e -> Math.max(e.getValue()[0], e.getValue()[1]) >= 0.05)
                .forEach(e -> System.out.printf("  %7.2f %7.2f %+7.2f  %s%n", e.getValue()[0], e.getValue()[1],
                        e.getValue()[1] - e.getValue()[0], e.getKey()));
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

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    static String judge(String url, boolean decoupled, String round) {
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
                  requests_topic: bench.judge_requests.%s
                  scores_topic: bench.judge_scores.%s
                  review_queue: {enabled: false}
                """.formatted(url, decoupled, round, round);
    }

    JobConfig config(String name, String topic, String judgeYaml) throws Exception {
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
                """.formatted(KAFKA.bootstrapServers(), group, topic, judgeYaml, tmp.resolve(group + ".db"));
        JobConfig cfg = JobConfig.parse("bench.yaml", yaml);
        if (cfg.judgeQueue != null) {
            KAFKA.createTopics(2, cfg.judgeQueue.requestsTopic(), cfg.judgeQueue.scoresTopic());
        }
        return cfg;
    }

    /** The job as `run` builds it (engine options included), discarding sinks, and the two probes. */
    StreamExecutionEnvironment job(JobConfig cfg) {
        Configuration conf = JobRunner.engineConfig(cfg);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.configure(conf, JudgeThroughputBench.class.getClassLoader());
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
        LlmSloJob.Outputs out = LlmSloJob.build(cfg, events, new LlmSloJob.Sinks(new DiscardingSink<>(),
                null, new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>()), judge);
        out.statuses().map(new EvaluatedProbe()).name("bench-evaluated").sinkTo(new DiscardingSink<>());
        return env;
    }

    /** Chained to the evaluator: the latest evaluation time of each subtask. */
    static final class EvaluatedProbe extends RichMapFunction<SloStatus, SloStatus> {
        @Override
        public SloStatus map(SloStatus s) {
            int i = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            EVALUATED.accumulateAndGet(i, s.evalTime(), Math::max);
            EVALUATIONS.incrementAndGet();
            return s;
        }
    }

    Run run(String name, int n, Instant base, String topic, String judgeYaml) throws Exception {
        JobConfig cfg = config(name, topic, judgeYaml);
        StreamExecutionEnvironment env = job(cfg);
        // the end of the last history interval holding data
        long interval = cfg.output.historyInterval().toMillis();
        long last = base.toEpochMilli() + SPACING_MS * (n - 1);
        long done = Math.floorDiv(last, interval) * interval + interval;
        READ.set(0);
        EVALUATIONS.set(0);
        EVALUATED.set(0, Long.MIN_VALUE);
        EVALUATED.set(1, Long.MIN_VALUE);
        JobClient job = env.executeAsync(name);
        String jfr = System.getProperty("bench.jfr"); // a directory: one JFR recording per measured run
        jdk.jfr.Recording recording = jfr == null || name.startsWith("warm-up") ? null
                : new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
        try {
            while (READ.get() == 0) {
                Thread.sleep(1);
            }
            if (recording != null) {
                recording.start();
            }
            CpuSnapshot before = CpuSnapshot.take();
            long t0 = System.nanoTime();
            while (EVALUATED.get(0) < done || EVALUATED.get(1) < done) {
                Thread.sleep(1);
            }
            long t1 = System.nanoTime();
            CpuSnapshot after = CpuSnapshot.take();
            if (recording != null) {
                recording.stop();
                Files.createDirectories(Path.of(jfr));
                recording.dump(Path.of(jfr, name.replaceAll("[^a-z0-9]+", "-") + ".jfr"));
                recording.close();
            }
            Map<String, Double> cpu = after.minus(before);
            if (Boolean.getBoolean("bench.threads")) {
                System.out.println("[bench judge] " + name + ": CPU s by thread group");
                cpu.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(14)
                        .forEach(e -> System.out.printf("  %7.2f  %s%n", e.getValue(), e.getKey()));
            }
            return new Run(name, n, (t1 - t0) / 1e9, after.process - before.process, cpu, EVALUATIONS.get());
        } finally {
            stop(job);
        }
    }

    /** The inline judge throttles the whole job: its rate at the sources, between 25 % and 90 % of the input. */
    Run runAtSources(String name, int n, String topic, String judgeYaml) throws Exception {
        StreamExecutionEnvironment env = job(config(name, topic, judgeYaml));
        READ.set(0);
        JobClient job = env.executeAsync(name);
        try {
            while (READ.get() < 0.25 * n) {
                Thread.sleep(5);
            }
            CpuSnapshot before = CpuSnapshot.take();
            long t0 = System.nanoTime();
            while (READ.get() < 0.90 * n) {
                Thread.sleep(5);
            }
            CpuSnapshot after = CpuSnapshot.take();
            return new Run(name, Math.round(0.65 * n), (System.nanoTime() - t0) / 1e9, after.process - before.process,
                    after.minus(before), EVALUATIONS.get());
        } finally {
            stop(job);
        }
    }

    /** Cancels the job and waits until it has stopped, so its threads do not run into the next run. */
    static void stop(JobClient job) throws Exception {
        job.cancel().get(1, TimeUnit.MINUTES);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!job.getJobStatus().get(1, TimeUnit.MINUTES).isGloballyTerminalState() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (job.getJobStatus().get() != JobStatus.CANCELED) {
            System.out.println("[bench judge] job " + job.getJobID() + " is " + job.getJobStatus().get());
        }
        Thread.sleep(500); // the Kafka clients' and the tasks' threads wind down
    }

    /**
     * CPU seconds per thread: the Java threads from JMX (full names), the JVM's own threads (GC,
     * JIT compilers), which JMX does not list, from /proc/self/task (Linux only).
     */
    record CpuSnapshot(double process, Map<Long, Double> java, Map<Long, String> javaNames,
            Map<String, Double> nativeThreads) {

        static CpuSnapshot take() {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            Map<Long, Double> java = new HashMap<>();
            Map<Long, String> names = new HashMap<>();
            for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
                if (t != null) {
                    long ns = mx.getThreadCpuTime(t.getThreadId());
                    if (ns >= 0) {
                        java.put(t.getThreadId(), ns / 1e9);
                        names.put(t.getThreadId(), t.getThreadName());
                    }
                }
            }
            Map<String, Double> natives = new HashMap<>();
            try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                tasks.forEach(t -> {
                    try {
                        String stat = Files.readString(t.resolve("stat"));
                        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        String group = nativeGroup(comm);
                        if (group != null) {
                            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime + stime
                            natives.merge(group + "\u0000" + t.getFileName(), cpu, Double::sum);
                        }
                    } catch (IOException | RuntimeException e) {
                        // the thread ended while listing
                    }
                });
            } catch (IOException | RuntimeException e) {
                // no /proc: no figures for the JVM's own threads
            }
            double process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime() / 1e9;
            return new CpuSnapshot(process, java, names, natives);
        }

        /** CPU seconds between two snapshots by thread group; what ended in between is "unattributed". */
        Map<String, Double> minus(CpuSnapshot before) {
            Map<String, Double> out = new TreeMap<>();
            java.forEach((id, s) -> out.merge(group(javaNames.get(id)), s - before.java.getOrDefault(id, 0.0), Double::sum));
            nativeThreads.forEach((k, s) -> out.merge(k.substring(0, k.indexOf('\u0000')),
                    s - before.nativeThreads.getOrDefault(k, 0.0), Double::sum));
            double attributed = out.values().stream().mapToDouble(Double::doubleValue).sum();
            out.put("unattributed (threads that ended, rounding)", Math.max(0, process - before.process - attributed));
            Map<String, Double> kept = new LinkedHashMap<>();
            out.forEach((g, s) -> {
                if (s > 0.005) {
                    kept.put(g, s);
                }
            });
            return kept;
        }
    }

    static String nativeGroup(String comm) {
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
            return JIT;
        }
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
            return "GC threads";
        }
        if (comm.startsWith("VM Thread") || comm.startsWith("VM Periodic")) {
            return "JVM (VM thread)";
        }
        return null;
    }

    /** A Java thread's group: the broker's threads in one, task threads without their subtask suffix. */
    static String group(String name) {
        if (name.startsWith("data-plane-kafka") || name.startsWith("kafka-") && !name.startsWith("kafka-producer")
                || name.startsWith("controller") || name.startsWith("broker-") || name.startsWith("ExpirationReaper")
                || name.contains("raft") || name.startsWith("group-coordinator") || name.startsWith("share-")
                || name.startsWith("transaction-") || name.startsWith("quorum") || name.startsWith("TxnMarker")
                || name.startsWith("LogDirFailure") || name.startsWith("executor-") || name.startsWith("metadata")) {
            return BROKER;
        }
        if (name.startsWith("kafka-producer-network-thread")) {
            return "Kafka producers' network threads (judge requests, scores)";
        }
        if (name.startsWith("pool-") || name.startsWith("HTTP-Dispatcher")) {
            return JUDGE_SERVER;
        }
        if (name.startsWith("HttpClient-")) {
            return "judge calls (HTTP client)";
        }
        if (name.startsWith("llm-judge-")) {
            return "judge calls (judge worker's call threads)";
        }
        // a task thread by its chain's first operator: the chains differ with the judge on
        String g = name.replaceAll(" \\(\\d+/\\d+\\)#\\d+$", "").replaceAll("-\\d+$", "").replaceAll("#\\d+", "#");
        int chain = g.indexOf(" -> ");
        return chain < 0 ? g : g.substring(0, chain) + " -> … (task chain)";
    }

    /** The responses and, per partition, a marker 15 minutes of event time after the last. */
    static void produce(String topic, List<String> values) throws Exception {
        try (KafkaProducer<String, String> producer = KAFKA.producer()) {
            for (String v : values.subList(0, values.size() - 2)) {
                producer.send(new ProducerRecord<>(topic, null, v));
            }
            producer.flush();
            for (int p = 0; p < 2; p++) {
                producer.send(new ProducerRecord<>(topic, p, null, values.get(values.size() - 2 + p)));
            }
            producer.flush();
        }
    }

    /** {@code n} responses one second apart, then two markers. */
    static List<String> responses(int n, Instant base) throws Exception {
        String[] surfaces = {"chat", "agent", "rag", "batch"};
        String[] regions = {"us-east", "eu-west", "ap-south"};
        List<String> out = new ArrayList<>(n + 2);
        for (int i = 0; i < n + 2; i++) {
            Map<String, Object> r = new LinkedHashMap<>();
            boolean marker = i >= n;
            r.put("request_id", marker ? "marker-" + (i - n) : "b-" + i);
            r.put("ts", (marker ? base.plusMillis(SPACING_MS * (n - 1)).plus(Duration.ofMinutes(15))
                    : base.plusMillis(SPACING_MS * i)).toString());
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
