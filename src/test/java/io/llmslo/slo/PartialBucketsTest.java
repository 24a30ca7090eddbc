package io.llmslo.slo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The local fold of local-global aggregation: the partials it emits must sum, per (slo, cohort,
 * minute), to exactly what one-observation-at-a-time fan-out gives (hand-countable inputs).
 */
class PartialBucketsTest {

    static final long T0 = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
    static final long MIN = TimeBuckets.MINUTE;

    static final Map<String, String> CHAT = Map.of("surface", "chat", "model", "m-2", "provider", "p-a");
    static final Map<String, String> RAG = Map.of("surface", "rag", "model", "m-1", "provider", "p-a");

    final CohortKeys keys = new CohortKeys(List.of(List.of("surface"), List.of("surface", "model")));
    final List<PartialBucket> out = new ArrayList<>();

    @Test
    void foldsPerSloCohortAndMinuteAndFlushesOnlyMinutesTheWatermarkPassed() {
        PartialBuckets p = new PartialBuckets(keys, Set.of(), 1000);
        p.add(Observation.ratio(SloCatalog.SUCCESS, T0 + 1, CHAT, true));
        p.add(Observation.ratio(SloCatalog.SUCCESS, T0 + 30_000, CHAT, false));
        p.add(Observation.ratio(SloCatalog.SUCCESS, T0 + 59_999, RAG, true));
        p.add(Observation.ratio(SloCatalog.SUCCESS, T0 + MIN + 1, CHAT, true)); // next minute
        // cohorts: "*", surface, surface+model → minute 1: * (3), chat (2), chat/m-2 (2), rag (1), rag/m-1 (1)
        assertThat(p.size()).isEqualTo(5 + 3);

        p.flushUpTo(T0 + MIN, b -> out.addAll(b.minutes()));
        Map<String, long[]> byKey = byKey(out);
        assertThat(byKey).containsOnlyKeys("availability.success|*", "availability.success|surface=chat",
                "availability.success|surface=chat,model=m-2", "availability.success|surface=rag",
                "availability.success|surface=rag,model=m-1");
        assertThat(byKey.get("availability.success|*")).containsExactly(3, 2, T0 + 59_999);
        assertThat(byKey.get("availability.success|surface=chat")).containsExactly(2, 1, T0 + 30_000);
        assertThat(out).allMatch(b -> b.minuteEnd() == T0 + MIN && b.sketch() == null);
        assertThat(p.size()).isEqualTo(3); // the second minute waits for its watermark

        out.clear();
        p.flushAll(b -> out.addAll(b.minutes()));
        assertThat(out).hasSize(3).allMatch(b -> b.minuteEnd() == T0 + 2 * MIN && b.n() == 1);
        assertThat(p.size()).isZero();
    }

    @Test
    void reportsOverTheBoundSoTheOperatorFlushesEarly() {
        PartialBuckets p = new PartialBuckets(keys, Set.of(), 5);
        assertThat(p.add(Observation.ratio(SloCatalog.SUCCESS, T0 + 1, CHAT, true))).isFalse(); // 3 open
        assertThat(p.add(Observation.ratio(SloCatalog.SUCCESS, T0 + 1, RAG, true))).isFalse(); // 5 open
        assertThat(p.add(Observation.ratio(SloCatalog.SUCCESS, T0 + MIN + 1, RAG, true))).isTrue(); // 8
    }

    @Test
    void sketchedSlosCarryTheirValuesOthersDoNot() {
        PartialBuckets p = new PartialBuckets(new CohortKeys(List.of()), Set.of(SloCatalog.TOTAL), 1000);
        for (int i = 1; i <= 100; i++) {
            p.add(new Observation(SloCatalog.TOTAL, T0 + i, CHAT, true, i * 10.0));
            p.add(new Observation(SloCatalog.SUCCESS, T0 + i, CHAT, true, i * 10.0));
        }
        p.flushAll(b -> out.addAll(b.minutes()));
        PartialBucket total = out.stream().filter(b -> b.slo().equals(SloCatalog.TOTAL)).findFirst().orElseThrow();
        PartialBucket success = out.stream().filter(b -> b.slo().equals(SloCatalog.SUCCESS)).findFirst().orElseThrow();
        assertThat(success.sketch()).isNull();
        // the values 10..1000: the sketch holds all 100, and 50 of them are above 500
        assertThat(QuantileSketches.countAbove(total.sketch(), 505)).containsExactly(50, 100);
    }

    @Test
    void theNumberingOfCohortsIsBoundedAndForgottenWhenNothingIsOpen() {
        PartialBuckets p = new PartialBuckets(new CohortKeys(List.of(List.of("tenant"))), Set.of(), 5);
        p.add(Observation.ratio(SloCatalog.SUCCESS, T0 + MIN + 1, Map.of("tenant", "z"), true)); // *, z
        p.add(Observation.ratio(SloCatalog.SUCCESS, T0 + 1, Map.of("tenant", "a"), true)); // *, a
        assertThat(p.add(Observation.ratio(SloCatalog.SUCCESS, T0 + 2, Map.of("tenant", "b"), true))).isFalse(); // 5
        p.flushUpTo(T0 + MIN, b -> out.addAll(b.minutes()));
        assertThat(p.size()).isEqualTo(2); // the second minute's *, z open, but 4 cohorts numbered
        assertThat(p.add(Observation.ratio(SloCatalog.SUCCESS, T0 + MIN + 2, Map.of("tenant", "c"), false))).isFalse();
        // a sixth cohort key with 4 partials open: over the bound by the numbering alone
        assertThat(p.add(Observation.ratio(SloCatalog.SUCCESS, T0 + MIN + 3, Map.of("tenant", "d"), true))).isTrue();
        p.flushAll(b -> out.addAll(b.minutes()));
        // numbering forgotten: the same keys again are counted under their own names
        assertThat(p.add(Observation.ratio(SloCatalog.SUCCESS, T0 + 2 * MIN + 1, Map.of("tenant", "c"), true))).isFalse();
        p.flushAll(b -> out.addAll(b.minutes()));
        assertThat(byKey(out)).containsOnlyKeys("availability.success|*", "availability.success|tenant=a",
                "availability.success|tenant=b", "availability.success|tenant=c", "availability.success|tenant=d",
                "availability.success|tenant=z");
        assertThat(byKey(out).get("availability.success|*")).containsExactly(6, 5, T0 + 2 * MIN + 1);
        assertThat(byKey(out).get("availability.success|tenant=c")).containsExactly(2, 1, T0 + 2 * MIN + 1);
    }

    @Test
    void aPartialsSketchIsTheBytesOfTheDdSketchOfItsValues() {
        // reference: the DDSketch path this fold took before PartialSketch (the library's own
        // encode): a sparse store, switched to a dense one at the DENSE_FROM'th observation of
        // the partial when that one has a value; an observation without value counts, no value
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        for (int size : new int[] {1, 3, 63, 64, 65, 200}) {
            for (boolean valueless64th : new boolean[] {false, true}) {
                PartialBuckets p = new PartialBuckets(new CohortKeys(List.of()), Set.of(SloCatalog.TOTAL), 1000);
                com.datadoghq.sketch.ddsketch.DDSketch ref = null;
                for (int i = 1; i <= size; i++) {
                    double v = valueless64th && i == PartialBuckets.DENSE_FROM ? Double.NaN
                            : Math.exp(5 + 2 * rnd.nextDouble());
                    p.add(new Observation(SloCatalog.TOTAL, T0 + i, CHAT, true, v));
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    if (ref == null) {
                        ref = com.datadoghq.sketch.ddsketch.DDSketches.sparse(QuantileSketches.RELATIVE_ACCURACY);
                    } else if (i == PartialBuckets.DENSE_FROM) {
                        com.datadoghq.sketch.ddsketch.DDSketch dense = QuantileSketches.empty();
                        dense.mergeWith(ref);
                        ref = dense;
                    }
                    ref.accept(v);
                }
                out.clear();
                p.flushAll(b -> out.addAll(b.minutes()));
                assertThat(out).singleElement().satisfies(b -> assertThat(b.n()).isEqualTo(size));
                assertThat(out.get(0).sketch()).as("size %d", size).isEqualTo(QuantileSketches.encode(ref));
            }
        }
    }

    @Test
    void aPerProviderSloIsNotFannedOutWithTheKeysOfTheRequestBeforeIt() {
        PartialBuckets p = new PartialBuckets(keys, Set.of(), 1000);
        p.add(Observation.ratio(SloCatalog.SUCCESS, T0 + 1, CHAT, true));
        Map<String, String> attempt = new HashMap<>(CHAT);
        attempt.put("provider", "p-b");
        p.add(Observation.ratio(SloCatalog.PROVIDER_SUCCESS, T0 + 1, attempt, false));
        p.add(Observation.ratio(SloCatalog.SUCCESS, T0 + 2, new HashMap<>(CHAT), true)); // equal, not same
        p.flushAll(b -> out.addAll(b.minutes()));
        assertThat(byKey(out)).containsOnlyKeys("availability.success|*", "availability.success|surface=chat",
                "availability.success|surface=chat,model=m-2", "availability.provider_success|provider=p-b",
                "availability.provider_success|surface=chat,provider=p-b",
                "availability.provider_success|surface=chat,model=m-2,provider=p-b");
        assertThat(byKey(out).get("availability.success|*")).containsExactly(2, 2, T0 + 2);
    }

    private static Map<String, long[]> byKey(List<PartialBucket> partials) {
        Map<String, long[]> m = new HashMap<>();
        for (PartialBucket b : partials) {
            assertThat(b.key()).isEqualTo(b.slo() + "|" + b.cohort());
            m.merge(b.key(), new long[] {b.n(), b.good(), b.maxT()},
                    (a, c) -> new long[] {a[0] + c[0], a[1] + c[1], Math.max(a[2], c[2])});
        }
        return m;
    }
}
