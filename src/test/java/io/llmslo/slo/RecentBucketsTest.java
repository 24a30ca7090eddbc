package io.llmslo.slo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The series' last buckets against a store that copies on every read and write, as RocksDB does:
 * whatever the mix of gets, puts and removes of several series, a read through the memo gives what
 * the store holds, and a bucket the memo remembers costs no store read.
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
        long reads = 0;
        for (int i = 0; i < 20_000; i++) {
            String series = "s" + rnd.nextInt(4);
            store.series = series;
            recent.use(memos.computeIfAbsent(series, k -> new RecentBuckets.Memo(8)));
            if (rnd.nextInt(500) == 0) {
                // the series is dropped: its state cleared directly, its memo forgotten with it
                store.map().clear();
                memos.remove(series);
                continue;
            }
            long end = rnd.nextInt(12) * TimeBuckets.MINUTE;
            int op = rnd.nextInt(10);
            if (op < 5) {
                Bucket b = recent.get(end);
                reads++;
                assertThat(show(b)).as("op %d", i).isEqualTo(show(store.map().get(end)));
                if (b != null && rnd.nextBoolean()) {
                    b.n += 1; // callers change what they read and put it back
                    b.minutes |= 1L << rnd.nextInt(60);
                    recent.put(end, b);
                }
            } else if (op < 9) {
                recent.put(end, new Bucket(rnd.nextInt(100), rnd.nextInt(100), null));
            } else {
                recent.remove(end);
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
        recent.put(60_000, new Bucket(1, 1, null));
        recent.get(60_000);
        recent.get(60_000);
        assertThat(store.gets).isEqualTo(2);
        recent.use(new RecentBuckets.Memo(2));
        recent.get(60_000);
        recent.get(60_000);
        assertThat(store.gets).isEqualTo(3);
    }
}
