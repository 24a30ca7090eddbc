package io.llmslo.bench;

import io.llmslo.cli.JobRunner;
import io.llmslo.config.JobConfig;
import io.llmslo.event.Envelope;
import io.llmslo.pipeline.LlmSloJob;
import io.llmslo.sim.Scenario;
import io.llmslo.sim.SimulationResult;
import io.llmslo.sim.TrafficSimulator;
import io.llmslo.source.EventSources;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jdk.jfr.Recording;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The throughput benchmark behind {@code bench throughput}. Each run is one bounded job over the
 * same JSONL files in a local MiniCluster of this process; its rate is input lines / wall time of
 * {@code execute} (start-up included, so use enough traffic for it not to matter). Every output
 * of the full job goes to a discarding sink: the benchmark measures the engine, not a database.
 */
public final class ThroughputBenchmark {

    /** One run's measurements. */
    public record Result(String run, long events, double seconds, double cpuSeconds, double jitCpuSeconds,
            long peakHeapBytes, long peakRssBytes, long checkpointBytes, List<String> topFrames) {
        public double eventsPerSecond() {
            return events / seconds;
        }

        /**
         * Events per second of CPU time of this process (all its threads: tasks, GC, JIT): what a
         * core does when it is not shared. On a loaded machine wall time measures the neighbours.
         */
        public double eventsPerCpuSecond() {
            return events / cpuSeconds;
        }

        /**
         * Events per CPU second without the JIT compiler threads: a cold run's JIT (a quarter to a
         * third of its CPU) varies by several CPU seconds between identical runs and is paid once
         * per process, not per event; this figure compares two runs more tightly.
         */
        public double eventsPerCpuSecondWithoutJit() {
            return events / (cpuSeconds - jitCpuSeconds);
        }
    }

    static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    private final Path dir;
    private final int parallelism;
    private final PrintStream out;
    private long events;

    public ThroughputBenchmark(Path dir, int parallelism, PrintStream out) {
        this.dir = dir;
        this.parallelism = parallelism;
        this.out = out;
    }

    /** Writes one dense day of traffic (judge text included, as a gateway sends it). */
    public SimulationResult simulate(int requestsPerDay, long seed) throws IOException {
        Scenario sc = Scenario.parse("start: 2026-10-01T00:00:00Z\ndays: 1\nrequests_per_day: " + requestsPerDay
                + "\nseed: " + seed + "\ninvalid_rate: 0\n", "bench-throughput");
        long t0 = System.nanoTime();
        SimulationResult r = TrafficSimulator.run(sc, dir.resolve("traffic"));
        events = r.totalLines();
        out.printf("traffic: %s (%.1f s)%n", r.summary(), (System.nanoTime() - t0) / 1e9);
        return r;
    }

    public List<Result> runAll(List<String> runs, String profile) throws Exception {
        return runAll(runs, profile, false);
    }

    /**
     * @param warmup run every job once, unmeasured, before the measured runs: the measured runs
     *     then show the steady state a long-running job reaches (the JIT compiler's work, ~a
     *     quarter of a cold run's CPU, is done once per process and not per event)
     */
    public List<Result> runAll(List<String> runs, String profile, boolean warmup) throws Exception {
        out.printf("machine: %d cores, max heap %d MiB, %s %s, parallelism %d, %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.vm.name"), System.getProperty("java.version"), parallelism, Instant.now());
        if (warmup) {
            for (String run : runs) {
                double cpu0 = processCpuSeconds();
                run(run, false, new PrintStream(java.io.OutputStream.nullOutputStream()));
                out.printf("warm-up %-8s %6.1f CPU s (not measured)%n", run, processCpuSeconds() - cpu0);
            }
            out.println("measured runs are warm: each job ran once before in this process");
        }
        Map<String, Result> results = new LinkedHashMap<>();
        for (String run : runs) {
            Result r = run(run, run.equals(profile), out);
            results.put(run, r);
            out.printf("%-8s %,10d events in %6.1f s = %,9.0f events/s wall (%,.0f per core); %6.1f CPU s ="
                            + " %,9.0f events per CPU second (%,.0f without the JIT's %.1f CPU s); peak heap %,d MiB,"
                            + " peak RSS %,d MiB, checkpoint %,d KiB%n",
                    run, r.events(), r.seconds(), r.eventsPerSecond(),
                    r.eventsPerSecond() / Runtime.getRuntime().availableProcessors(), r.cpuSeconds(),
                    r.eventsPerCpuSecond(), r.eventsPerCpuSecondWithoutJit(), r.jitCpuSeconds(),
                    r.peakHeapBytes() >> 20, r.peakRssBytes() >> 20, r.checkpointBytes() >> 10);
            if (!r.topFrames().isEmpty()) {
                out.println("  JFR top frames (self samples) of " + run + ":");
                r.topFrames().forEach(f -> out.println("    " + f));
            }
        }
        Result parse = results.get("parse");
        if (parse != null) {
            for (String full : List.of("rocksdb", "heap")) {
                Result r = results.get(full);
                if (r != null) {
                    out.printf("ratio %s/parse = %.3f wall, %.3f per CPU second (%.3f without the JIT)%n", full,
                            r.eventsPerSecond() / parse.eventsPerSecond(),
                            r.eventsPerCpuSecond() / parse.eventsPerCpuSecond(),
                            r.eventsPerCpuSecondWithoutJit() / parse.eventsPerCpuSecondWithoutJit());
                }
            }
        }
        out.flush();
        return new ArrayList<>(results.values());
    }

    /** One run: "parse" (sources + discarding sink), "heap" or "rocksdb" (the full job). */
    public Result run(String run, boolean profile) throws Exception {
        return run(run, profile, out);
    }

    private Result run(String run, boolean profile, PrintStream log) throws Exception {
        if (!List.of("parse", "heap", "rocksdb").contains(run)) {
            throw new IllegalArgumentException("unknown run '" + run + "': parse, heap or rocksdb");
        }
        Path checkpoints = dir.resolve("checkpoints-" + run + "-" + System.nanoTime());
        JobConfig cfg = config(run.equals("rocksdb") ? "rocksdb" : "heap", checkpoints);
        StreamExecutionEnvironment env = JobRunner.environment(cfg);
        DataStream<Envelope> input = EventSources.create(env, cfg);
        if (run.equals("parse")) {
            input.sinkTo(new DiscardingSink<>()).name("discard").uid("discard");
        } else {
            LlmSloJob.Outputs outputs = LlmSloJob.build(cfg, input, new LlmSloJob.Sinks(null, new DiscardingSink<>(),
                    new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>()), null);
            // the status rows (one per evaluation) are counted: the evaluator's cost is per row
            outputs.statuses().map(new CountRows()).name("count-rows").sinkTo(new DiscardingSink<>());
        }
        System.gc();
        try (Sampler sampler = new Sampler(checkpoints); Recording jfr = profile ? startJfr() : null) {
            long t0 = System.nanoTime();
            double cpu0 = processCpuSeconds();
            double[] gcJit0 = gcAndJitSeconds();
            org.apache.flink.api.common.JobExecutionResult result = env.execute("bench-" + run);
            Object rows = result.getAllAccumulatorResults().get(CountRows.ROWS);
            if (rows != null) {
                log.printf("  %s: %,d evaluations (status rows)%n", run, ((Number) rows).longValue());
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = processCpuSeconds() - cpu0;
            double[] gcJit = gcAndJitSeconds();
            log.printf("  %s: GC pauses %.1f s (wall), JIT compilation %.1f s; the CPU not in Java threads below is"
                    + " GC, JIT and RocksDB's native background threads (flush, compaction)%n", run,
                    gcJit[0] - gcJit0[0], gcJit[1] - gcJit0[1]);
            List<String> frames = List.of();
            if (jfr != null) {
                jfr.stop();
                Path file = dir.resolve("profile-" + run + ".jfr");
                jfr.dump(file);
                frames = JfrSummary.topFrames(file, 12);
                log.println("  JFR recording: " + file);
            }
            sampler.close();
            log.println("  CPU by thread group of " + run + ":");
            sampler.cpuByTask(sampler.atStart).forEach(l -> log.println("    " + l));
            return new Result(run, events, seconds, cpu, sampler.cpuOf("C# CompilerThre", sampler.atStart),
                    sampler.peakHeap, sampler.peakRss, sampler.peakCheckpoint, frames);
        }
    }

    /** {GC collection seconds, JIT compilation seconds} of this process so far. */
    private static double[] gcAndJitSeconds() {
        double gc = 0;
        for (java.lang.management.GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            gc += Math.max(0, b.getCollectionTime()) / 1e3;
        }
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return new double[] {gc, jit == null ? 0 : jit.getTotalCompilationTime() / 1e3};
    }

    /** Counts the records through it in an accumulator. */
    static final class CountRows extends org.apache.flink.api.common.functions.RichMapFunction<
            io.llmslo.slo.SloStatus, io.llmslo.slo.SloStatus> {
        static final String ROWS = "bench_status_rows";
        private transient org.apache.flink.api.common.accumulators.LongCounter rows;

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
            rows = new org.apache.flink.api.common.accumulators.LongCounter();
            getRuntimeContext().addAccumulator(ROWS, rows);
        }

        @Override
        public io.llmslo.slo.SloStatus map(io.llmslo.slo.SloStatus s) {
            rows.add(1L);
            return s;
        }
    }

    private static Recording startJfr() {
        Recording r = new Recording();
        r.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(10));
        r.enable("jdk.NativeMethodSample").withPeriod(java.time.Duration.ofMillis(20));
        r.start();
        return r;
    }

    /** The bench day's job file (also the state-access floor bench's engine options). */
    JobConfig config(String backend, Path checkpoints) {
        Path traffic = dir.resolve("traffic");
        String yaml = """
                name: bench-throughput
                parallelism: %d
                sources:
                  type: files
                  responses: %s
                  feedback: %s
                  ratings: %s
                judge:
                  enabled: false
                cohorts:
                  grouping_sets:
                    - [surface]
                    - [surface, model]
                    - [surface, cohort.region]
                    - [surface, cohort.locale]
                output:
                  jdbc_url: jdbc:sqlite:%s
                  history_interval: 5m
                state:
                  backend: %s
                  incremental: true
                  checkpoint_dir: %s
                  checkpoint_interval: 10s
                  exactly_once: true
                """.formatted(parallelism, traffic.resolve(TrafficSimulator.RESPONSES),
                traffic.resolve(TrafficSimulator.FEEDBACK), traffic.resolve(TrafficSimulator.RATINGS),
                dir.resolve("unused.db"), backend, checkpoints.toUri());
        return JobConfig.parse(dir.resolve("bench.yaml").toString(), yaml);
    }

    /** Polls heap use, resident memory and the checkpoint directory's size while a run goes. */
    static final class Sampler implements AutoCloseable {
        private final Path checkpoints;
        private final Thread thread;
        private volatile boolean stop;
        volatile long peakHeap;
        volatile long peakRss;
        volatile long peakCheckpoint;

        /** Per-thread CPU when the run started (threads of earlier runs and of the JVM). */
        final Map<String, double[]> atStart = new java.util.HashMap<>();

        Sampler(Path checkpoints) {
            this.checkpoints = checkpoints;
            sampleThreads();
            threadCpu.forEach((id, cpu) -> atStart.put(id, cpu.clone()));
            this.thread = new Thread(this::loop, "bench-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        /**
         * CPU seconds per OS thread while the run goes, from /proc (Linux; elsewhere nothing): Java
         * task threads and the native ones JMX does not list (GC, JIT compilers, RocksDB's flush
         * and compaction threads). Task threads end with the job, so the latest sample counts.
         */
        final Map<String, double[]> threadCpu = new java.util.concurrent.ConcurrentHashMap<>();
        final Map<String, String> threadNames = new java.util.concurrent.ConcurrentHashMap<>();

        private void sampleThreads() {
            try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                tasks.forEach(t -> {
                    try {
                        String stat = Files.readString(t.resolve("stat"));
                        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime + stime, ticks
                        String id = t.getFileName().toString();
                        threadNames.put(id, comm);
                        threadCpu.computeIfAbsent(id, k -> new double[1])[0] = cpu;
                    } catch (IOException | RuntimeException e) {
                        // the thread ended while listing
                    }
                });
            } catch (IOException | RuntimeException e) {
                // no /proc: no per-thread figures
            }
        }

        /** CPU seconds during the run by thread group (OS thread name, digits dropped), largest first. */
        List<String> cpuByTask(Map<String, double[]> before) {
            Map<String, Double> byTask = byGroup(before);
            List<String> out = new ArrayList<>();
            byTask.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(10)
                    .forEach(e -> out.add(String.format("%6.1f CPU s  %s", e.getValue(), e.getKey())));
            return out;
        }

        /** CPU seconds during the run of one thread group ("C# CompilerThre": the JIT's C1 and C2 threads). */
        double cpuOf(String group, Map<String, double[]> before) {
            return byGroup(before).getOrDefault(group, 0.0);
        }

        private Map<String, Double> byGroup(Map<String, double[]> before) {
            Map<String, Double> byTask = new java.util.TreeMap<>();
            threadCpu.forEach((id, cpu) -> {
                double base = before.containsKey(id) ? before.get(id)[0] : 0;
                String group = threadNames.get(id).replaceAll("[0-9]+", "#").replaceAll(" \\(.*", "").trim();
                byTask.merge(group, cpu[0] - base, Double::sum);
            });
            return byTask;
        }

        private void loop() {
            int tick = 0;
            while (!stop) {
                if (tick % 5 == 0) {
                    sampleThreads(); // once a second: reading /proc for every thread is not free
                }
                long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                peakHeap = Math.max(peakHeap, heap);
                peakRss = Math.max(peakRss, rss());
                if (tick++ % 5 == 0) {
                    peakCheckpoint = Math.max(peakCheckpoint, latestCheckpointBytes(checkpoints));
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (!stop) {
                stop = true;
                thread.interrupt();
                thread.join();
            }
        }
    }

    private static long rss() {
        try {
            String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(statm[1]) * 4096;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * Bytes a restore would read: the files of the job's checkpoint directory (the latest retained
     * checkpoint's own files plus the shared files of incremental RocksDB checkpoints).
     */
    static long latestCheckpointBytes(Path root) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // deleted while walking: an older checkpoint being subsumed
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }
}
