package io.llmslo.slo;

import java.util.Map;

/**
 * A {@link BucketStore} that remembers the buckets read and written during one element or timer
 * of one series, so a bucket read twice costs one state access: an evaluation reads the same new
 * minutes and their hour for the running counts, the quantile and the tail verdicts, and with
 * RocksDB each read is a JNI call and a copy of the sketch bytes. {@link #reset} before every
 * element and timer (the key changes). A bucket read here is the object the next read returns,
 * as with the heap backend: callers put what they change.
 */
final class BucketReads implements BucketStore {

    /** Entries remembered per element; beyond, reads go to the store (a rebuild's one-off pass). */
    private static final int CAPACITY = 32;

    private final BucketStore store;
    private final long[] ends = new long[CAPACITY];
    private final Bucket[] buckets = new Bucket[CAPACITY];
    private int size;

    BucketReads(BucketStore store) {
        this.store = store;
    }

    /** Forgets everything (another series, or state changed behind this store). */
    void reset() {
        java.util.Arrays.fill(buckets, 0, size, null);
        size = 0;
    }

    @Override
    public Bucket get(long end) throws Exception {
        int i = indexOf(end);
        if (i >= 0) {
            return buckets[i];
        }
        Bucket b = store.get(end);
        remember(end, b);
        return b;
    }

    @Override
    public void put(long end, Bucket bucket) throws Exception {
        store.put(end, bucket);
        int i = indexOf(end);
        if (i >= 0) {
            buckets[i] = bucket;
        } else {
            remember(end, bucket);
        }
    }

    @Override
    public void remove(long end) throws Exception {
        store.remove(end);
        int i = indexOf(end);
        if (i >= 0) {
            buckets[i] = null;
        }
    }

    @Override
    public Iterable<Map.Entry<Long, Bucket>> entries() throws Exception {
        // the store's own copies hold what this one remembers (every change went through put)
        return store.entries();
    }

    private int indexOf(long end) {
        for (int i = size - 1; i >= 0; i--) {
            if (ends[i] == end) {
                return i;
            }
        }
        return -1;
    }

    private void remember(long end, Bucket b) {
        if (size < CAPACITY) {
            ends[size] = end;
            buckets[size++] = b;
        }
    }
}
