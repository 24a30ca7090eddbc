package io.llmslo.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench throughput}: dense simulated traffic through (a) the full job on RocksDB, (b) the
 * full job on heap state and (c) a parse-only baseline (same sources and parsing, discarding
 * sink), all in this process; prints events/s, (a)/(c), (b)/(c), peak memory, checkpoint size
 * and the top frames of a JFR profile of (a).
 */
@Command(name = "throughput", mixinStandardHelpOptions = true,
        description = {
            "Events/s of the full job (RocksDB and heap) against a parse-only baseline on dense simulated",
            "traffic, in one process; with peak memory, checkpoint size and a JFR profile summary."})
public class ThroughputCommand implements Callable<Integer> {

    @Option(names = "--requests", defaultValue = "100000",
            description = "Simulated responses in one day (feedback and ratings follow). Default: ${DEFAULT-VALUE}.")
    int requests;

    @Option(names = "--parallelism", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(names = "--runs", split = ",", defaultValue = "parse,heap,rocksdb",
            description = "Which runs, in order: parse, heap, rocksdb. Default: ${DEFAULT-VALUE}.")
    List<String> runs;

    @Option(names = "--profile", defaultValue = "rocksdb",
            description = "Run to profile with JFR (parse, heap, rocksdb or none). Default: ${DEFAULT-VALUE}.")
    String profile;

    @Option(names = "--warmup", description = {"Run every job once, unmeasured, before the measured runs:",
        "steady-state numbers without the JIT compiler's one-off work. Default: cold runs."})
    boolean warmup;

    @Option(names = "--work-dir", description = "Where traffic and checkpoints go (default: a temporary directory).")
    Path workDir;

    @Option(names = "--seed", defaultValue = "11", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override
    public Integer call() throws Exception {
        Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("llm-slo-bench");
        ThroughputBenchmark bench = new ThroughputBenchmark(dir, parallelism, System.out);
        bench.simulate(requests, seed);
        bench.runAll(runs, profile, warmup);
        return 0;
    }
}
