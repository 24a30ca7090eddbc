package io.llmslo.slo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The series' last buckets against a store that copies on every read and write, as RocksDB does:
 * whatever the mix of gets, puts and removes of several series, a read through the memo gives what
 * was last put (a model map), after a write-back (a barrier) the store holds exactly that, and a
 * bucket the memo remembers costs no store read.
 */
class RecentBucketsTest {

    /** A store of serialized copies (a bucket read is never the object written), counting gets. */
    static final class Copying implements BucketStore {
        final Map<String, Map<Long, Bucket>> bySeries = new HashMap<>();
        String series;
        long gets;

        Map<Long, Bucket> map() {
            return bySeries.computeIfAbsent(series, k -> new HashMap<>());
        }

        @Override
        public Bucket get(long end) {
            gets++;
            return copy(map().get(end));
        }

        @Override
        public void put(long end, Bucket b) {
            map().put(end, copy(b));
        }

        @Override
        public void remove(long end) {
            map().remove(end);
        }

        @Override
        public Iterable<Map.Entry<Long, Bucket>> entries() {
            return new HashMap<>(map()).entrySet();
        }
    }

    static Bucket copy(Bucket b) {
        if (b == null) {
            return null;
        }
        Bucket c = new Bucket(b.n, b.good, b.sketch == null ? null : b.sketch.clone());
        c.minutes = b.minutes;
        return c;
    }

    static String show(Bucket b) {
        return b == null ? "none" : b.n + "/" + b.good + "/" + b.minutes;
    }

    @Test
    void readsThroughTheMemoAreWhatTheStoreHolds() throws Exception {
        SplittableRandom rnd = new SplittableRandom(3);
        Copying store = new Copying();
        RecentBuckets recent = new RecentBuckets(store);
        Map<String, RecentBuckets.Memo> memos = new HashMap<>();
        Map<String, Map<Long, String>> model = new HashMap<>();
        long reads = 0;
        for (int i = 0; i < 20_000; i++) {
            String series = "s" + rnd.nextInt(4);
            store.series = series;
            recent.use(memos.computeIfAbsent(series, k -> new RecentBuckets.Memo(8)));
            Map<Long, String> expected = model.computeIfAbsent(series, k -> new HashMap<>());
            if (rnd.nextInt(500) == 0) {
                // the series is dropped: its state cleared directly, its memo forgotten with it
                store.map().clear();
                memos.remove(series);
                expected.clear();
                continue;
            }
            if (rnd.nextInt(100) == 0) {
                // a barrier: every memo written back under its series
                for (Map.Entry<String, RecentBuckets.Memo> m : memos.entrySet()) {
                    store.series = m.getKey();
                    recent.writeBack(m.getValue());
                    Map<Long, String> held = new HashMap<>();
                    store.map().forEach((end, b) -> held.put(end, show(b)));
                    assertThat(held).as("op %d, %s", i, m.getKey())
                            .isEqualTo(model.computeIfAbsent(m.getKey(), k -> new HashMap<>()));
                }
                continue;
            }
            long end = rnd.nextInt(12) * TimeBuckets.MINUTE;
            int op = rnd.nextInt(20);
            if (op < 10) {
                Bucket b = recent.get(end);
                reads++;
                assertThat(show(b)).as("op %d", i).isEqualTo(expected.getOrDefault(end, "none"));
                if (b != null && rnd.nextBoolean()) {
                    b.n += 1; // callers change what they read and put it back
                    b.minutes |= 1L << rnd.nextInt(60);
                    recent.put(end, b);
                    expected.put(end, show(b));
                }
            } else if (op < 18) {
                Bucket b = new Bucket(rnd.nextInt(100), rnd.nextInt(100), null);
                recent.put(end, b);
                expected.put(end, show(b));
            } else if (op < 19) {
                recent.remove(end);
                expected.remove(end);
            } else {
                // a scan sees every bucket put, written or not
                Map<Long, String> scanned = new HashMap<>();
                for (Map.Entry<Long, Bucket> e : recent.entries()) {
                    scanned.put(e.getKey(), show(e.getValue()));
                }
                assertThat(scanned).as("op %d", i).isEqualTo(expected);
            }
        }
        System.out.printf("%d reads through the memo, %d store gets%n", reads, store.gets);
        assertThat(store.gets).as("most reads are of the last 8 buckets").isLessThan(reads);
    }

    @Test
    void withoutAMemoEveryReadGoesToTheStore() throws Exception {
        Copying store = new Copying();
        store.series = "s";
        RecentBuckets recent = new RecentBuckets(store);
        recent.put(60_000, new Bucket(1, 1, null)); // no memo: straight to the store
        recent.get(60_000);
        recent.get(60_000);
        assertThat(store.gets).isEqualTo(2);
        recent.use(new RecentBuckets.Memo(2));
        recent.get(60_000);
        recent.get(60_000);
        assertThat(store.gets).isEqualTo(3);
    }
}
