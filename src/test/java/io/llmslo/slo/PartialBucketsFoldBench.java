package io.llmslo.slo;

import io.llmslo.event.Attempt;
import io.llmslo.event.Dimensions;
import io.llmslo.event.Outcome;
import io.llmslo.event.ResponseEvent;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Thread CPU of the local fold alone, roll-up against the fold per cohort, on bench-throughput-like
 * traffic (the bench's grouping sets, 4 surfaces × 2 models × 3 regions × 3 locales, ~150
 * responses a minute on a subtask, 5-minute batches flushed by the watermark). Not a test: run it
 * with {@code mvn -o test -Dtest=PartialBucketsFoldBench -Dbench.responses=400000}.
 */
class PartialBucketsFoldBench {

    interface Fold {
        boolean add(Observation o);

        void flushUpTo(long watermark, Consumer<PartialBatch> out);
    }

    @Test
    void foldCpu() {
        int n = Integer.getInteger("bench.responses", 200_000);
        int rounds = Integer.getInteger("bench.rounds", 5);
        List<Observation> obs = observations(n);
        CohortKeys keys = new CohortKeys(List.of(List.of("surface"), List.of("surface", "model"),
                List.of("surface", "cohort.region"), List.of("surface", "cohort.locale")));
        var sketched = SloCatalog.defaults().sketched();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int r = 0; r < rounds; r++) {
            for (int variant = 0; variant < 2; variant++) {
                Fold f;
                if (variant == 0) {
                    PerCohortPartialBuckets p = new PerCohortPartialBuckets(keys, sketched, 50_000, 300_000);
                    f = new Fold() {
                        public boolean add(Observation o) { return p.add(o); }
                        public void flushUpTo(long w, Consumer<PartialBatch> out) { p.flushUpTo(w, out); }
                    };
                } else {
                    PartialBuckets p = new PartialBuckets(keys, sketched, 50_000, 300_000);
                    f = new Fold() {
                        public boolean add(Observation o) { return p.add(o); }
                        public void flushUpTo(long w, Consumer<PartialBatch> out) { p.flushUpTo(w, out); }
                    };
                }
                long[] batches = new long[1];
                long cpu0 = mx.getCurrentThreadCpuTime();
                long lastMinute = Long.MIN_VALUE;
                for (Observation o : obs) {
                    long minute = TimeBuckets.endOf(o.t(), TimeBuckets.MINUTE);
                    if (minute != lastMinute) {
                        f.flushUpTo(minute - TimeBuckets.MINUTE, b -> batches[0]++);
                        lastMinute = minute;
                    }
                    f.add(o);
                }
                f.flushUpTo(Long.MAX_VALUE, b -> batches[0]++);
                double s = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
                System.out.printf("round %d %-10s %6.3f CPU s, %.2f µs per response, %d batches%n", r,
                        variant == 0 ? "per-cohort" : "roll-up", s, s * 1e6 / n, batches[0]);
            }
        }
    }

    private static List<Observation> observations(int n) {
        SplittableRandom rnd = new SplittableRandom(1);
        ObservationFactory factory = new ObservationFactory(SloCatalog.defaults());
        List<Observation> out = new ArrayList<>();
        String[] surfaces = {"chat", "rag", "agent", "code"};
        String[] models = {"m-1", "m-2"};
        String[] regions = {"eu-west", "us-east", "ap-south"};
        String[] locales = {"de-DE", "en-US", "ja-JP"};
        long t = 1_790_000_000_000L;
        for (int i = 0; i < n; i++) {
            t += rnd.nextInt(800); // ~150 a minute
            String provider = rnd.nextBoolean() ? "openai" : "anthropic";
            ResponseEvent r = new ResponseEvent("r" + i, t, surfaces[rnd.nextInt(4)], models[rnd.nextInt(2)], provider,
                    Map.of("region", regions[rnd.nextInt(3)], "locale", locales[rnd.nextInt(3)]), true,
                    rnd.nextInt(50) == 0 ? Outcome.ERROR : Outcome.SUCCESS, false, Math.exp(5 + rnd.nextDouble()),
                    Math.exp(7 + rnd.nextDouble()), null, null, 1000L, 200L, 0.001 + 0.01 * rnd.nextDouble(), null,
                    List.of(new Attempt(provider, "success", 100.0)), null, null);
            factory.onResponse(r, Dimensions.of(r), out::add);
        }
        return out;
    }
}
