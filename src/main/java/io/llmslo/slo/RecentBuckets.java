package io.llmslo.slo;

import java.util.Arrays;
import java.util.Map;

/**
 * A {@link BucketStore} that keeps the buckets one series wrote or read last on the heap, across
 * its elements and timers: the batch of an interval writes its minutes and their hour, the other
 * upstream subtask's batch merges into the same ones, the evaluation reads them back; with RocksDB
 * every one of those reads is a JNI call and a copy of the bucket (its sketch bytes), every write a
 * serialization and a put.
 *
 * <p>Write-behind: a put only changes the series' {@link Memo}; the bucket reaches the store when
 * its slot is needed for another bucket, before any scan of the store ({@link #entries}), or when
 * the owner writes the memo back under the series' key ({@link #writeBack}: before a checkpoint
 * barrier, at the end of input, when the series leaves {@link SeriesValues}). A remove goes to the
 * store at once. So a read here is what state would hold, as long as every change of the series'
 * buckets goes through it ({@link SloEvaluatorFunction} clears a dropped series' state directly
 * and forgets its memo with it). Not state: empty after a restore.
 *
 * <p>The memo is chosen with {@link #use} before each element or timer; without one, reads and
 * writes go to the store.
 */
final class RecentBuckets implements BucketStore {

    /** The last {@code size} buckets of one series, oldest slot reused first. */
    static final class Memo {
        private static final long EMPTY = Long.MIN_VALUE;
        private final long[] ends;
        private final Bucket[] buckets;
        /** Put here, not yet in the store. */
        private final boolean[] dirty;
        private int next;

        Memo(int size) {
            ends = new long[size];
            buckets = new Bucket[size];
            dirty = new boolean[size];
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

        /** Whether some bucket waits to be written. */
        boolean dirty() {
            for (boolean d : dirty) {
                if (d) {
                    return true;
                }
            }
            return false;
        }

        /** Forgets every bucket, written or not (the series' state was cleared). */
        void clear() {
            Arrays.fill(ends, EMPTY);
            Arrays.fill(buckets, null);
            Arrays.fill(dirty, false);
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
            remember(end, b, false);
        }
        return b;
    }

    @Override
    public void put(long end, Bucket bucket) throws Exception {
        if (memo == null) {
            store.put(end, bucket);
        } else {
            remember(end, bucket, true);
        }
    }

    @Override
    public void remove(long end) throws Exception {
        store.remove(end);
        if (memo != null) {
            int i = memo.indexOf(end);
            if (i >= 0) {
                memo.buckets[i] = null;
                memo.dirty[i] = false;
            }
        }
    }

    /** The store's entries, after the buckets waiting in the memo were written to it. */
    @Override
    public Iterable<Map.Entry<Long, Bucket>> entries() throws Exception {
        if (memo != null) {
            writeBack(memo);
        }
        return store.entries();
    }

    /** Writes the memo's waiting buckets to the store (the store's key context is the memo's series). */
    void writeBack(Memo m) throws Exception {
        for (int i = 0; i < m.ends.length; i++) {
            if (m.dirty[i]) {
                store.put(m.ends[i], m.buckets[i]);
                m.dirty[i] = false;
            }
        }
    }

    private void remember(long end, Bucket b, boolean dirty) throws Exception {
        Memo m = memo;
        int i = m.indexOf(end);
        if (i < 0) {
            i = m.next;
            m.next = (m.next + 1) % m.ends.length;
            if (m.dirty[i]) {
                store.put(m.ends[i], m.buckets[i]); // its slot is reused: the bucket goes to state now
            }
            m.ends[i] = end;
            m.dirty[i] = false;
        }
        m.buckets[i] = b;
        m.dirty[i] |= dirty;
    }
}
