package io.llmslo.slo;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.ppi.PpiMoments;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The pooled pairs of one evaluator subtask against a brute-force sum over the pairs themselves. */
class PooledPairsTest {

    static final long MIN = TimeBuckets.MINUTE;
    static final long HOUR = TimeBuckets.HOUR;
    static final long DAY = TimeBuckets.DAY;
    static final long T0 = 1_795_000_000_000L / DAY * DAY;

    record Pair(long minuteEnd, boolean y, boolean yHat) {
        PpiMoments moments() {
            return new PpiMoments().addPair(y, yHat, 1.0);
        }
    }

    /** Brute force: the pairs a window of {@code length} ending at {@code now} holds (engine's start rule). */
    static PpiMoments expected(List<Pair> pairs, long now, long length) {
        long from = RunningCounts.windowStart(now, length);
        PpiMoments m = new PpiMoments();
        for (Pair p : pairs) {
            if (p.minuteEnd() > from && p.minuteEnd() <= now) {
                m.addPairs(p.moments());
            }
        }
        return m;
    }

    static List<Pair> random(SplittableRandom rnd, int count, long span) {
        List<Pair> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long t = T0 + rnd.nextLong(span);
            out.add(new Pair(TimeBuckets.endOf(t, MIN), rnd.nextDouble() < 0.9, rnd.nextDouble() < 0.7));
        }
        return out;
    }

    static void assertSame(PpiMoments actual, PpiMoments expected) {
        assertThat(actual.pairs).isEqualTo(expected.pairs);
        assertThat(actual.sw).isEqualTo(expected.sw);
        assertThat(actual.swY).isEqualTo(expected.swY);
        assertThat(actual.swH).isEqualTo(expected.swH);
        assertThat(actual.swYH).isEqualTo(expected.swYH);
        assertThat(actual.sw2YH).isEqualTo(expected.sw2YH);
    }

    @Test
    void windowSumsHoldExactlyThePairsUpToNowWhateverTheArrivalOrder() {
        SplittableRandom rnd = new SplittableRandom(3);
        List<Pair> pairs = random(rnd, 3000, 10 * DAY);
        long now = T0 + 6 * DAY + 5 * HOUR + 35 * MIN;
        for (long length : new long[] {HOUR, 6 * HOUR, DAY, 3 * DAY, 7 * DAY}) {
            PpiMoments want = expected(pairs, now, length);
            assertThat(want.pairs).isPositive();
            // every pair (also those after now: read ahead) in, in two different orders
            PooledPairs inOrder = new PooledPairs();
            pairs.forEach(p -> inOrder.add(p.minuteEnd(), p.moments()));
            List<Pair> shuffled = new ArrayList<>(pairs);
            Collections.shuffle(shuffled, new java.util.Random(7));
            PooledPairs outOfOrder = new PooledPairs();
            shuffled.forEach(p -> outOfOrder.add(p.minuteEnd(), p.moments()));
            assertSame(inOrder.pairs(now, length), want);
            assertSame(outOfOrder.pairs(now, length), want);
        }
    }

    /** Evaluations every 5 minutes over days, pairs arriving between them: cached hours stay exact. */
    @Test
    void theCachedWholeHoursArePatchedByPairsOfHoursTheyCover() {
        SplittableRandom rnd = new SplittableRandom(5);
        List<Pair> pending = random(rnd, 600, 4 * DAY);
        pending.sort((a, b) -> Long.compare(a.minuteEnd(), b.minuteEnd()));
        PooledPairs pooled = new PooledPairs();
        List<Pair> arrived = new ArrayList<>();
        long length = 2 * DAY;
        int i = 0;
        for (long now = T0 + 5 * MIN; now <= T0 + 4 * DAY; now += 5 * MIN) {
            while (i < pending.size() && pending.get(i).minuteEnd() <= now + 30 * MIN) { // read ahead
                Pair p = pending.get(i++);
                pooled.add(p.minuteEnd(), p.moments());
                arrived.add(p);
            }
            if (rnd.nextDouble() < 0.05) {
                // a late pair for an hour the cached sum already covers
                Pair late = new Pair(TimeBuckets.endOf(now - 5 * HOUR, MIN), true, false);
                pooled.add(late.minuteEnd(), late.moments());
                arrived.add(late);
            }
            assertSame(pooled.pairs(now, length), expected(arrived, now, length));
        }
    }

    @Test
    void pruningDropsWholeHoursAndLoadingRestoresTheSameSums() {
        List<Pair> pairs = random(new SplittableRandom(8), 300, 10 * DAY);
        PooledPairs pooled = new PooledPairs();
        Map<Long, PpiMoments> state = new java.util.TreeMap<>(); // what broadcast state holds
        for (Pair p : pairs) {
            state.put(p.minuteEnd(), pooled.add(p.minuteEnd(), p.moments()).copy());
        }
        long now = T0 + 9 * DAY + 30 * MIN;
        PpiMoments before = pooled.pairs(now, 5 * DAY);
        List<Long> dropped = pooled.prune(T0 + 3 * DAY + 20 * MIN); // cut to the whole hour 3 d
        assertThat(dropped).isNotEmpty().allMatch(m -> m <= T0 + 3 * DAY);
        dropped.forEach(state::remove);
        assertThat(pooled.size()).isEqualTo(state.size());
        assertThat(PooledPairs.kept(T0 + 3 * DAY, T0 + 3 * DAY + 20 * MIN)).isFalse();
        assertThat(PooledPairs.kept(T0 + 3 * DAY + MIN, T0 + 3 * DAY + 20 * MIN)).isTrue();
        assertSame(pooled.pairs(now, 5 * DAY), before); // the window starts after the cut

        PooledPairs restored = new PooledPairs();
        restored.load(state.entrySet());
        assertSame(restored.pairs(now, 5 * DAY), before);
        assertSame(restored.pairs(now, 2 * HOUR), pooled.pairs(now, 2 * HOUR));
    }
}
