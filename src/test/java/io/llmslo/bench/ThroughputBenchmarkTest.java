package io.llmslo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.sim.SimulationResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench throughput} on a tiny day: what it counts and prints, not how fast it is. */
class ThroughputBenchmarkTest {

    @Test
    void aWarmRunCountsEveryLineOnceAndSaysItWasWarm(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ThroughputBenchmark bench = new ThroughputBenchmark(dir, 1, out);
        SimulationResult traffic = bench.simulate(600, 3);

        List<ThroughputBenchmark.Result> results = bench.runAll(List.of("parse"), "none", true);

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.run()).isEqualTo("parse");
            assertThat(r.events()).isEqualTo(traffic.totalLines());
            assertThat(r.cpuSeconds()).isPositive();
            // the JIT's threads are a part of the process's CPU (0 where /proc is missing)
            assertThat(r.jitCpuSeconds()).isBetween(0.0, r.cpuSeconds());
        });
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("warm-up parse").contains("measured runs are warm").contains("without the JIT");
        // the warm-up's own per-run lines go nowhere: one result line for one measured run
        assertThat(printed.lines().filter(l -> l.startsWith("parse "))).hasSize(1);
    }
}
