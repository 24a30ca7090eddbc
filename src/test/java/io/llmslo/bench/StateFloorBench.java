package io.llmslo.bench;

import io.llmslo.cli.JobRunner;
import io.llmslo.config.JobConfig;
import io.llmslo.event.Envelope;
import io.llmslo.event.EventKind;
import io.llmslo.event.EventParser;
import io.llmslo.sim.TrafficSimulator;
import java.io.BufferedReader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A benchmark, not a test (it asserts nothing, and its name matches neither the surefire nor the
 * failsafe pattern, so only an explicit {@code -Dtest} runs it): the state-access floor of issue
 * 9's RocksDB goal. A job that does ONLY the state work the contract forces on the request joiner,
 * on the bench day's events, with the job's engine options: how much of 50 k events per CPU
 * second is left once the minimum keyed-state work is paid.
 *
 * <pre>
 * mvn -B -o test -Dtest=StateFloorBench [-Dbench.requests=400000] [-Dbench.warmup=true]
 *     [-Dbench.variants=rocksdb,rocksdb-no-timer,rocksdb-heap-timers,heap,no-state]
 *     [-Dbench.engine='key=value;;key=value']   (engine options to try, set on every variant)
 * </pre>
 *
 * <p>Input: {@code bench throughput}'s dense day (the same simulator, seed and scenario: 400 000
 * requests give 722 138 events), parsed before the measurement into (kind, request id, event time)
 * held in memory; each kind is one in-memory source of parallelism 1 in file order, as each JSONL
 * file is one split of the job's file source. No parsing, no text, no dimensions.
 *
 * <p>The keyed function (parallelism 2, keyed by request id, after a shuffle as the joiner is): per
 * response one state read and one write of a 60-byte value plus one event-time timer at
 * {@code ts + max_rating_delay + allowed_lateness} (the joiner's expiry); per feedback one state
 * read; per rating one read and one write (the rater list a re-sent rating is checked against);
 * when a timer fires, the state is cleared (the end of input fires them all, as in the bounded
 * bench day). The joiner does more: a second (acceptance) timer per successful response, its
 * observations, a held signal's write: this is a floor, not a model of it.
 *
 * <p>Engine options: {@code bench throughput}'s job file through {@link JobRunner#engineConfig}
 * (RocksDB, bloom filter, 512 MB managed memory, incremental checkpoints every 10 s exactly-once,
 * object reuse, no Kryo). Variants: {@code rocksdb} (the above), {@code rocksdb-no-timer}, {@code
 * rocksdb-heap-timers} (RocksDB state, {@code state.backend.rocksdb.timer-service.factory: HEAP}),
 * {@code heap} (hashmap state and timers), {@code no-state} (the same sources and shuffle into a
 * function that touches no state: the framework's own floor).
 *
 * <p>Each run is measured as {@code bench throughput} measures one: process CPU over {@code
 * execute} (job start-up included), events / CPU second, and CPU by thread group. Cold: the runs
 * follow one another in one JVM in the order given (later variants find the JIT warmer); with
 * {@code bench.warmup=true} every variant runs once, unmeasured, before the measured runs.
 */
class StateFloorBench {

    /** One pre-parsed event: what the joiner's keyed state work needs of it. */
    public static final class Event {
        public byte kind;
        public String requestId;
        public long ts;

        public Event() {}

        Event(byte kind, String requestId, long ts) {
            this.kind = kind;
            this.requestId = requestId;
            this.ts = ts;
        }
    }

    static final byte RESPONSE = 0;
    static final byte FEEDBACK = 1;
    static final byte RATING = 2;

    /** The events of each kind in file order, read by the sources of this JVM's MiniCluster. */
    static volatile Event[][] input;

    @TempDir
    Path tmp;

    @Test
    void stateFloor() throws Exception {
        int requests = Integer.getInteger("bench.requests", 400_000);
        boolean warmup = Boolean.getBoolean("bench.warmup");
        List<String> variants = List.of(System.getProperty("bench.variants",
                "rocksdb,rocksdb-no-timer,rocksdb-heap-timers,heap,no-state").split(","));
        PrintStream out = System.out;
        ThroughputBenchmark bench = new ThroughputBenchmark(tmp, 2, out);
        bench.simulate(requests, 11);
        input = read(tmp.resolve("traffic"));
        long events = Arrays.stream(input).mapToLong(a -> a.length).sum();
        out.printf("state floor: %,d events (%,d responses, %,d feedback, %,d ratings) in memory; %s, %d cores, load %s%n",
                events, input[RESPONSE].length, input[FEEDBACK].length, input[RATING].length, Instant.now(),
                Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim());
        if (warmup) {
            for (String v : variants) {
                double cpu0 = ThroughputBenchmark.processCpuSeconds();
                run(bench, v, events, new PrintStream(java.io.OutputStream.nullOutputStream()));
                out.printf("warm-up %-20s %6.1f CPU s (not measured)%n", v, ThroughputBenchmark.processCpuSeconds() - cpu0);
            }
        }
        Map<String, double[]> rows = new LinkedHashMap<>();
        for (String v : variants) {
            rows.put(v, run(bench, v, events, out));
        }
        out.printf("%nstate floor, %s, %,d events:%n", warmup ? "warm (after one unmeasured run of each)" : "cold", events);
        out.printf("  %-20s %8s %8s %14s %8s %22s%n", "variant", "wall s", "CPU s", "events/CPU s", "JIT s",
                "events/CPU s w/o JIT");
        rows.forEach((v, r) -> out.printf("  %-20s %8.1f %8.1f %,14.0f %8.1f %,22.0f%n", v, r[0], r[1], events / r[1],
                r[2], events / (r[1] - r[2])));
        out.flush();
    }

    /** {wall seconds, CPU seconds, of which the JIT compiler threads'} of one run. */
    private double[] run(ThroughputBenchmark bench, String variant, long events, PrintStream log) throws Exception {
        Path checkpoints = tmp.resolve("checkpoints-" + variant + "-" + System.nanoTime());
        JobConfig cfg = bench.config(variant.equals("heap") ? "heap" : "rocksdb", checkpoints);
        Configuration conf = JobRunner.engineConfig(cfg);
        if (variant.equals("rocksdb-heap-timers")) {
            conf.setString("state.backend.rocksdb.timer-service.factory", "HEAP");
        }
        for (String kv : System.getProperty("bench.engine", "").split(";;")) {
            if (!kv.isBlank()) { // an engine option to try on every variant, e.g. -Dbench.engine=key=value
                conf.setString(kv.substring(0, kv.indexOf('=')).trim(), kv.substring(kv.indexOf('=') + 1).trim());
            }
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.configure(conf, StateFloorBench.class.getClassLoader());
        env.setParallelism(cfg.parallelism);
        long outOfOrderness = cfg.eventTime.outOfOrderness().toMillis();
        long expiry = cfg.join.maxRatingDelay().plus(cfg.eventTime.allowedLateness()).toMillis();
        DataStream<Event> all = null;
        for (byte kind = RESPONSE; kind <= RATING; kind++) {
            if (input[kind].length == 0) {
                continue; // a small day has no ratings
            }
            DataStream<Event> s = source(env, kind, outOfOrderness);
            all = all == null ? s : all.union(s);
        }
        all.keyBy(e -> e.requestId, Types.STRING)
                .process(new FloorFunction(variant, expiry)).returns(Types.LONG).name("state-floor").uid("state-floor")
                .sinkTo(new DiscardingSink<>()).name("discard");
        System.gc();
        try (ThroughputBenchmark.Sampler sampler = new ThroughputBenchmark.Sampler(checkpoints)) {
            long t0 = System.nanoTime();
            double cpu0 = ThroughputBenchmark.processCpuSeconds();
            JobExecutionResult result = env.execute("state-floor-" + variant);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = ThroughputBenchmark.processCpuSeconds() - cpu0;
            sampler.close();
            log.printf("%-20s %,d events in %5.1f s; %5.1f CPU s = %,8.0f events per CPU second; reads %,d, writes %,d,"
                            + " timers fired %,d; peak heap %,d MiB, checkpoint %,d KiB%n",
                    variant, events, seconds, cpu, events / cpu, counter(result, FloorFunction.READS),
                    counter(result, FloorFunction.WRITES), counter(result, FloorFunction.FIRED),
                    sampler.peakHeap >> 20, sampler.peakCheckpoint >> 10);
            log.println("  CPU by thread group:");
            sampler.cpuByTask(sampler.atStart).forEach(l -> log.println("    " + l));
            return new double[] {seconds, cpu, sampler.cpuOf("C# CompilerThre", sampler.atStart)};
        }
    }

    private static long counter(JobExecutionResult r, String name) {
        Object v = r.getAllAccumulatorResults().get(name);
        return v == null ? 0 : ((Number) v).longValue();
    }

    /** One kind's events from memory, in file order, with the job's bounded out-of-orderness. */
    private static DataStream<Event> source(StreamExecutionEnvironment env, byte kind, long outOfOrderness) {
        final int k = kind;
        int n = input[k].length;
        return env.fromSequence(0, n - 1).setParallelism(1).name("memory-" + k)
                .map(i -> input[k][(int) (long) i]).returns(TypeInformation.of(Event.class)).setParallelism(1)
                .name("events-" + k)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Event>forBoundedOutOfOrderness(
                        Duration.ofMillis(outOfOrderness)).withTimestampAssigner((e, previous) -> e.ts))
                .setParallelism(1);
    }

    /** The bench day's files, parsed once (outside every measurement) by the job's parser. */
    private static Event[][] read(Path traffic) throws Exception {
        EventParser parser = new EventParser();
        Event[][] out = new Event[3][];
        Map<EventKind, String> files = Map.of(EventKind.RESPONSE, TrafficSimulator.RESPONSES,
                EventKind.FEEDBACK, TrafficSimulator.FEEDBACK, EventKind.RATING, TrafficSimulator.RATINGS);
        byte k = 0;
        for (EventKind kind : List.of(EventKind.RESPONSE, EventKind.FEEDBACK, EventKind.RATING)) {
            List<Event> events = new ArrayList<>();
            try (BufferedReader in = Files.newBufferedReader(traffic.resolve(files.get(kind)))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    Envelope e = parser.parse(kind, line);
                    if (!e.isDead()) {
                        events.add(new Event(k, e.requestId(), e.ts()));
                    }
                }
            }
            out[k++] = events.toArray(new Event[0]);
        }
        return out;
    }

    /** The joiner's minimum keyed-state work per event (see the class comment). */
    static final class FloorFunction extends KeyedProcessFunction<String, Event, Long> {
        static final String READS = "floor_reads";
        static final String WRITES = "floor_writes";
        static final String FIRED = "floor_timers_fired";

        private final boolean timers;
        private final boolean state;
        private final long expiry;
        private transient ValueState<byte[]> request;
        private transient LongCounter reads;
        private transient LongCounter writes;
        private transient LongCounter fired;

        FloorFunction(String variant, long expiry) {
            this.timers = !variant.equals("rocksdb-no-timer") && !variant.equals("no-state");
            this.state = !variant.equals("no-state");
            this.expiry = expiry;
        }

        @Override
        public void open(OpenContext ctx) {
            request = getRuntimeContext().getState(
                    new ValueStateDescriptor<>("request", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
            reads = getRuntimeContext().getLongCounter(READS);
            writes = getRuntimeContext().getLongCounter(WRITES);
            fired = getRuntimeContext().getLongCounter(FIRED);
        }

        @Override
        public void processElement(Event e, Context ctx, Collector<Long> out) throws Exception {
            if (!state) {
                return;
            }
            byte[] v = request.value();
            reads.add(1L);
            if (e.kind == FEEDBACK) {
                return;
            }
            request.update(value(e, v));
            writes.add(1L);
            if (timers && e.kind == RESPONSE) {
                ctx.timerService().registerEventTimeTimer(e.ts + expiry);
            }
        }

        /** 60 bytes, about the joiner's serialized request (time, flags, packed dimensions). */
        private static byte[] value(Event e, byte[] previous) {
            byte[] v = previous != null ? previous.clone() : new byte[60];
            long x = e.ts;
            for (int i = 0; i < 8; i++) {
                v[i] = (byte) (x >>> (8 * i));
            }
            int h = e.requestId.hashCode();
            for (int i = 8; i < 60; i += 4) {
                v[i] = (byte) h;
                v[i + 1] = (byte) (h >>> 8);
                v[i + 2] = (byte) i;
                v[i + 3] = e.kind;
                h = h * 31 + i;
            }
            return v;
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<Long> out) {
            request.clear();
            fired.add(1L);
        }
    }
}
