package io.llmslo.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.llmslo.event.Attempt;
import io.llmslo.event.Dimensions;
import io.llmslo.event.Failover;
import io.llmslo.event.Outcome;
import io.llmslo.event.ResponseEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The roll-up from cells must emit exactly the batches of the fold per cohort it replaced
 * ({@link PerCohortPartialBuckets}, the code as it was): the same batches in the same order, the
 * same counts and the same sketch bytes, for seeded random responses, grouping sets, judge
 * observations, observations the roll-up cannot reproduce, and every kind of flush.
 */
class PartialBucketsRollUpTest {

    static final long T0 = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
    static final List<String> DIMS = List.of("surface", "model", "provider", "cohort.region", "cohort.locale",
            "cohort.tenant");

    @Test
    void theRollUpEmitsTheBatchesOfTheFoldPerCohort() {
        SplittableRandom rnd = new SplittableRandom(20261201);
        ObservationFactory factory = new ObservationFactory(SloCatalog.defaults());
        for (int round = 0; round < 80; round++) {
            narrow = round % 2 == 1;
            List<List<String>> sets = groupingSets(rnd);
            CohortKeys keys = new CohortKeys(sets);
            long interval = TimeBuckets.MINUTE * new int[] {1, 5, 15}[rnd.nextInt(3)];
            int bound = rnd.nextBoolean() ? 50_000 : 20 + rnd.nextInt(200);
            var sketched = SloCatalog.defaults().sketched();
            PartialBuckets rollUp = new PartialBuckets(keys, sketched, bound, interval);
            PerCohortPartialBuckets perCohort = new PerCohortPartialBuckets(keys, sketched, bound, interval);
            List<PartialBatch> got = new ArrayList<>();
            List<PartialBatch> want = new ArrayList<>();
            long now = T0 + rnd.nextInt(3_600_000);
            int responses = 1 + rnd.nextInt(rnd.nextBoolean() ? 40 : 600);
            for (int i = 0; i < responses; i++) {
                // mostly forward in time, some late observations behind the last watermark
                now += rnd.nextInt(round % 3 == 0 ? 200 : 4_000); // a third of the rounds dense: sketches past DENSE_FROM
                long t = rnd.nextInt(20) == 0 ? now - rnd.nextInt(1_800_000) : now;
                List<Observation> obs = new ArrayList<>();
                ResponseEvent r = response(rnd, t);
                factory.onResponse(r, Dimensions.of(r), obs::add);
                obs.addAll(extra(rnd, factory, t, Dimensions.of(r)));
                for (Observation o : obs) {
                    RuntimeException gotError = null;
                    RuntimeException wantError = null;
                    boolean overGot = false;
                    boolean overWant = false;
                    try {
                        overGot = rollUp.add(o);
                    } catch (IllegalArgumentException e) {
                        gotError = e; // the operator dead-letters the observation (RecordGuard)
                    }
                    try {
                        overWant = perCohort.add(o);
                    } catch (IllegalArgumentException e) {
                        wantError = e;
                    }
                    assertThat(gotError == null).as("exception for %s", o).isEqualTo(wantError == null);
                    assertThat(overGot).isEqualTo(overWant);
                    assertThat(rollUp.size()).isEqualTo(perCohort.size());
                    if (overGot) {
                        rollUp.flushAll(got::add);
                        perCohort.flushAll(want::add);
                    }
                }
                int flush = rnd.nextInt(100);
                if (flush < 8) {
                    long watermark = now - rnd.nextInt(600_000);
                    rollUp.flushUpTo(watermark, got::add);
                    perCohort.flushUpTo(watermark, want::add);
                } else if (flush == 8) {
                    rollUp.flushAll(got::add); // a checkpoint barrier
                    perCohort.flushAll(want::add);
                }
                assertSame(got, want);
            }
            rollUp.flushAll(got::add); // end of input
            perCohort.flushAll(want::add);
            assertSame(got, want);
            assertThat(rollUp.size()).isZero();
        }
        // the comparison covered many batches, and partials past the dense switch
        assertThat(batches).isGreaterThan(10_000);
        assertThat(dense).isGreaterThan(50);
    }

    @Test
    void aCohortsSketchSwitchesToDenseAtTheSameObservationAsTheFoldPerCohort() {
        // two cells of one cohort "*", values in adjacent bins (a dense store writes contiguous
        // counts): 63, 64 and 65 values, and a value-less observation before, at or after the 64th
        CohortKeys keys = new CohortKeys(List.of(List.of("surface")));
        Map<String, String> chat = Map.of("surface", "chat");
        Map<String, String> rag = Map.of("surface", "rag");
        for (int size : new int[] {63, 64, 65, 130}) {
            for (int valueless : new int[] {-1, 10, 63, 64, 65, 100}) {
                PartialBuckets rollUp = new PartialBuckets(keys, java.util.Set.of(SloCatalog.TOTAL), 1000);
                PerCohortPartialBuckets perCohort = new PerCohortPartialBuckets(keys, java.util.Set.of(SloCatalog.TOTAL),
                        1000);
                for (int i = 1; i <= size; i++) {
                    Observation o = new Observation(SloCatalog.TOTAL, T0 + i, i % 3 == 0 ? rag : chat, true,
                            i == valueless ? Double.NaN : 500 + (i % 7) * 5);
                    rollUp.add(o);
                    perCohort.add(o);
                }
                List<PartialBatch> got = new ArrayList<>();
                List<PartialBatch> want = new ArrayList<>();
                rollUp.flushAll(got::add);
                perCohort.flushAll(want::add);
                assertSame(got, want);
            }
        }
        assertThat(dense).isGreaterThan(0);
    }

    private long batches;
    private long dense;

    /** Compares and forgets what both emitted so far. */
    private void assertSame(List<PartialBatch> got, List<PartialBatch> want) {
        assertThat(got.size()).isEqualTo(want.size());
        for (int i = 0; i < want.size(); i++) {
            PartialBatch g = got.get(i);
            PartialBatch w = want.get(i);
            if (!g.key().equals(w.key()) || !g.slo().equals(w.slo()) || !g.cohort().equals(w.cohort())
                    || g.minutes().size() != w.minutes().size()) {
                fail("batch %d: %s, want %s", i, g, w);
            }
            for (int m = 0; m < w.minutes().size(); m++) {
                PartialBucket a = g.minutes().get(m);
                PartialBucket b = w.minutes().get(m);
                if (!a.key().equals(b.key()) || a.minuteEnd() != b.minuteEnd() || a.n() != b.n() || a.good() != b.good()
                        || a.maxT() != b.maxT() || !Arrays.equals(a.sketch(), b.sketch())
                        || (a.pairs() == null) != (b.pairs() == null)) {
                    fail("%s minute %d: n %d good %d maxT %d, want n %d good %d maxT %d; sketches equal: %s",
                            w.key(), b.minuteEnd(), a.n(), a.good(), a.maxT(), b.n(), b.good(), b.maxT(),
                            Arrays.equals(a.sketch(), b.sketch()));
                }
                if (b.pairs() != null) {
                    assertThat(a.pairs()).usingRecursiveComparison().isEqualTo(b.pairs());
                }
                if (b.sketch() != null && b.n() >= PartialBuckets.DENSE_FROM) {
                    dense++;
                }
            }
        }
        // the cohort cap relabels batch by batch (PartialBatch.relabelled): equal batches relabel equally
        batches += want.size();
        got.clear();
        want.clear();
    }

    private static List<List<String>> groupingSets(SplittableRandom rnd) {
        List<List<String>> sets = new ArrayList<>();
        int n = rnd.nextInt(5); // none: the global cohort only
        for (int i = 0; i < n; i++) {
            List<String> set = new ArrayList<>();
            for (String d : DIMS) {
                if (rnd.nextInt(3) == 0) {
                    set.add(d);
                }
            }
            if (set.isEmpty()) {
                set.add(DIMS.get(rnd.nextInt(DIMS.size())));
            }
            sets.add(set);
        }
        return sets;
    }

    private static String pick(SplittableRandom rnd, String... values) {
        return values[rnd.nextInt(values.length)];
    }

    private static ResponseEvent response(SplittableRandom rnd, long t) {
        Map<String, String> cohort = new HashMap<>();
        if (rnd.nextInt(10) > 0) {
            cohort.put("region", pick(rnd, "eu-west", "us-east", "ap-south"));
        }
        if (rnd.nextInt(10) > 0) {
            cohort.put("locale", pick(rnd, "de-DE", "en-US", "ja-JP"));
        }
        if (rnd.nextInt(4) == 0) {
            cohort.put("tenant", pick(rnd, "acme", "a,model=x", "b\\c", "t=1")); // escaped in keys
        }
        String provider = rnd.nextInt(15) == 0 ? null : pick(rnd, "openai", "anthropic");
        Outcome outcome = rnd.nextInt(8) == 0 ? Outcome.ERROR : Outcome.SUCCESS;
        List<Attempt> attempts = new ArrayList<>();
        int tries = rnd.nextInt(3);
        for (int i = 0; i < tries; i++) {
            attempts.add(new Attempt(rnd.nextInt(6) == 0 ? null : pick(rnd, "openai", "anthropic", "vertex"),
                    rnd.nextBoolean() ? "success" : "error", 100.0));
        }
        List<Double> turns = rnd.nextInt(3) == 0 ? List.of(latency(rnd), latency(rnd)) : null;
        Double ttft = rnd.nextInt(10) == 0 ? null : rnd.nextInt(30) == 0 ? 0.0 : latency(rnd);
        // now and then a value no sketch can track: an exception at the same point in both folds
        Double total = rnd.nextInt(400) == 0 ? 1e308 : latency(rnd);
        Failover failover = rnd.nextInt(5) == 0 ? new Failover(true, latency(rnd), List.of("openai", "anthropic"))
                : null;
        return new ResponseEvent("r" + rnd.nextLong(), t, pick(rnd, "chat", "rag", "agent"),
                rnd.nextInt(12) == 0 ? null : pick(rnd, "m-1", "m-2"), provider, cohort, true, outcome,
                rnd.nextInt(10) == 0, ttft, total, null, turns, 100L, 50L,
                rnd.nextInt(10) == 0 ? null : rnd.nextDouble() * 0.1, failover, attempts, null, null);
    }

    /** Values in a few adjacent bins: a dense store then encodes contiguous counts, not deltas. */
    private static boolean narrow;

    private static double latency(SplittableRandom rnd) {
        return narrow ? 500 + rnd.nextInt(30) : Math.exp(4 + 3 * rnd.nextDouble());
    }

    /** Joiner and judge observations of the same request, and sketched SLOs' observations without a value. */
    private static List<Observation> extra(SplittableRandom rnd, ObservationFactory f, long t, Map<String, String> dims) {
        List<Observation> out = new ArrayList<>();
        int k = rnd.nextInt(12);
        if (k == 0) {
            out.add(f.acceptance(t, dims, rnd.nextBoolean()));
        } else if (k == 1) {
            out.add(f.humanUseful(t, dims, rnd.nextBoolean()));
        } else if (k == 2) {
            out.add(f.judgeHigh(t, dims, rnd.nextBoolean()));
        } else if (k == 3) {
            out.add(f.judgePair(t, dims, rnd.nextBoolean(), rnd.nextBoolean(), 0.5 + rnd.nextDouble()));
        } else if (k == 4 && rnd.nextInt(20) == 0) {
            out.add(Observation.ratio(SloCatalog.TOTAL, t, dims, true)); // sketched, no value
        }
        out.removeIf(o -> o == null);
        return out;
    }
}
