package io.llmslo.slo;

import java.util.Arrays;
import java.util.Map;

/**
 * A {@link BucketStore} that serves the buckets one series wrote or read last from the heap,
 * across its elements and timers: the batch of an interval writes its minutes and their hour, the
 * other upstream subtask's batch merges into the same ones, the evaluation reads them back; with
 * RocksDB every one of those reads is a JNI call and a copy of the bucket (its sketch bytes).
 * Write-through: every put and remove goes to the store as before, so this holds exactly what
 * state holds for the buckets it remembers (a removed one as absent), as long as every change of
 * the series' buckets goes through it ({@link SloEvaluatorFunction} clears a dropped series' state
 * directly and forgets its memo with it). Not state: empty after a restore.
 *
 * <p>Each series' memo ({@link Memo}, in its {@link SketchCache}) is a ring of the last few
 * buckets, chosen with {@link #use} before each element or timer; without one, reads go to the
 * store.
 */
final class RecentBuckets implements BucketStore {

    /** The last {@code size} buckets of one series, oldest overwritten first. */
    static final class Memo {
        private static final long EMPTY = Long.MIN_VALUE;
        private final long[] ends;
        private final Bucket[] buckets;
        private int next;

        Memo(int size) {
            ends = new long[size];
            buckets = new Bucket[size];
            Arrays.fill(ends, EMPTY);
        }

        private int indexOf(long end) {
            for (int i = 0; i < ends.length; i++) {
                if (ends[i] == end) {
                    return i;
                }
            }
            return -1;
        }

        /** Remembers the bucket at {@code end} (null: none in state). */
        void remember(long end, Bucket b) {
            int i = indexOf(end);
            if (i < 0) {
                i = next;
                next = (next + 1) % ends.length;
                ends[i] = end;
            }
            buckets[i] = b;
        }

        void clear() {
            Arrays.fill(ends, EMPTY);
            Arrays.fill(buckets, null);
        }
    }

    private final BucketStore store;
    private Memo memo;

    RecentBuckets(BucketStore store) {
        this.store = store;
    }

    /** The memo of the series whose element or timer comes next; null for none. */
    void use(Memo m) {
        this.memo = m;
    }

    @Override
    public Bucket get(long end) throws Exception {
        if (memo != null) {
            int i = memo.indexOf(end);
            if (i >= 0) {
                return memo.buckets[i];
            }
        }
        Bucket b = store.get(end);
        if (memo != null) {
            memo.remember(end, b);
        }
        return b;
    }

    @Override
    public void put(long end, Bucket bucket) throws Exception {
        store.put(end, bucket);
        if (memo != null) {
            memo.remember(end, bucket);
        }
    }

    @Override
    public void remove(long end) throws Exception {
        store.remove(end);
        if (memo != null) {
            int i = memo.indexOf(end);
            if (i >= 0) {
                memo.buckets[i] = null;
            }
        }
    }

    @Override
    public Iterable<Map.Entry<Long, Bucket>> entries() throws Exception {
        return store.entries();
    }
}
