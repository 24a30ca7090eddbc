package io.llmslo.bench;

import io.llmslo.slo.CohortObservation;
import io.llmslo.slo.SeriesState;
import io.llmslo.slo.SloCatalog;
import io.llmslo.slo.SloEngine;
import io.llmslo.slo.SloStatus;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-event and per-evaluation cost of one (slo, cohort) series, on in-memory bucket stores
 * (the heap backend's cost model). A series is pre-filled with 30 days at one event per second,
 * evaluated every 5 minutes, so evaluate() sees full retention.
 *
 * <p>Run: {@code mvn -q test-compile && java -cp target/test-classes:target/classes:$(cat cp.txt)
 * org.openjdk.jmh.Main SloEngineBenchmark} (cp.txt from {@code mvn dependency:build-classpath}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SloEngineBenchmark {

    static final long STEP = 5 * 60_000L;

    @Param({"availability.success", "latency.total_p95"})
    public String slo;

    SloEngine engine;
    SeriesState state;
    Random random;
    long t;
    long nextEval;

    @Setup(Level.Trial)
    public void fill() throws Exception {
        engine = new SloEngine(SloCatalog.defaults().get(slo));
        state = SeriesState.inMemory();
        random = new Random(1);
        t = 1_790_000_000_000L;
        nextEval = io.llmslo.slo.TimeBuckets.endOf(t + 1, STEP);
        for (int i = 0; i < 30 * 24 * 3600; i++) {
            addOne();
            if (t > nextEval + 120_000) {
                evaluateOne();
            }
        }
    }

    private void addOne() throws Exception {
        t += 1_000;
        double value = Math.exp(7 + 0.5 * random.nextGaussian());
        engine.add(new CohortObservation("k", slo, "*", t, random.nextDouble() > 0.001, value),
                state);
    }

    private SloStatus evaluateOne() throws Exception {
        SloStatus s = engine.evaluate(nextEval, "*", state).status();
        engine.prune(nextEval, state);
        nextEval += STEP;
        return s;
    }

    /** One observation: two bucket updates (plus a sketch update for quantile SLOs). */
    @Benchmark
    public long add() throws Exception {
        addOne();
        return state.progress().maxT;
    }

    /** One evaluation over full retention, after the 300 events of its interval. */
    @Benchmark
    @OperationsPerInvocation(300)
    public SloStatus intervalOf300EventsAndOneEvaluation() throws Exception {
        for (int i = 0; i < 300; i++) {
            addOne();
        }
        return evaluateOne();
    }
}
