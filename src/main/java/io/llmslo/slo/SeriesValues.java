package io.llmslo.slo;

import io.llmslo.slo.alert.AlertState;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A write-behind cache of each series' small values in keyed state ({@link SeriesProgress},
 * {@link AlertState}, {@link TailBaseline}) and of its last buckets ({@link RecentBuckets}): read
 * from state once, kept on the heap, written back under their key only before a checkpoint barrier
 * ({@link #flush}), at the end of input, or when the entry is evicted. With RocksDB every {@code value()} is a JNI call and a deserialization, every
 * {@code update} a serialization and a put; a series is read and written by each of its batches and
 * each of its evaluations, a few per history interval, and the batches and the evaluation of an
 * interval fall between the same two barriers.
 *
 * <p>No checkpoint misses a value: every dirty entry is written under its key before the barrier;
 * after a restore the cache is empty and reads fall through to state. The values are the objects
 * the evaluator changes in place, as with the heap backend (whose {@code value()} returns the stored
 * object): a change counts from the call that marks it ({@code *Changed}) on, like an {@code update}.
 *
 * <p>Bounded: at most {@link #capacity} entries ({@link #DEFAULT_CAPACITY} in the job), least
 * recently used evicted first, a dirty one written back under its own key ({@link Keys}). Without {@link Keys} (a plain {@code CoBroadcastWithKeyedOperator}, e.g. a test
 * harness of the function alone) nothing is kept: {@link #settle} writes what changed at the end
 * of each element or timer, the accesses of the evaluator before this cache.
 */
final class SeriesValues {

    /** The keyed state behind the cache, for the current key. */
    interface Store {
        SeriesProgress readProgress() throws Exception;

        AlertState readAlerts() throws Exception;

        TailBaseline readTail() throws Exception;

        /** Writes the value, or clears the state for null. */
        void writeProgress(SeriesProgress p) throws Exception;

        void writeAlerts(AlertState a) throws Exception;

        void writeTail(TailBaseline t) throws Exception;

        /** Writes the buckets waiting in the series' memos ({@link RecentBuckets#writeBack}). */
        void writeBuckets(RecentBuckets.Memo minutes, RecentBuckets.Memo hours) throws Exception;
    }

    /** The operator's key context: write-backs go under the entry's own key. */
    interface Keys {
        String current();

        void set(String key);
    }

    /**
     * Entries kept: 4 096 series, each ≈ 0.4 KB of values plus its last 8 minute and 2 hour buckets
     * (≈ 0.6 KB for a ratio series, up to ≈ 16 KB with a dense quantile series' sketches): at
     * most ≈ 64 MB of heap per subtask.
     */
    static final int DEFAULT_CAPACITY = 4_096;

    /** Buckets kept per series: an interval's minutes (and the next's first), the hour and the one before. */
    static final int MINUTES_KEPT = 8;
    static final int HOURS_KEPT = 2;

    private static final int PROGRESS = 1;
    private static final int ALERTS = 2;
    private static final int TAIL = 4;

    /** One series' values; a flag in {@code read} once the value was read (null: none in state). */
    static final class Entry {
        private final String key;
        /** The series' last buckets, written behind ({@link RecentBuckets}). */
        private final RecentBuckets.Memo minutes = new RecentBuckets.Memo(MINUTES_KEPT);
        private final RecentBuckets.Memo hours = new RecentBuckets.Memo(HOURS_KEPT);
        private SeriesProgress progress;
        private AlertState alerts;
        private TailBaseline tail;
        private int read;
        private int dirty;
        /** Which values state holds (so a cleared value that was never stored writes no tombstone). */
        private int stored;

        private Entry(String key) {
            this.key = key;
        }

        RecentBuckets.Memo minutes() {
            return minutes;
        }

        RecentBuckets.Memo hours() {
            return hours;
        }

        private boolean dirty() {
            return dirty != 0 || minutes.dirty() || hours.dirty();
        }
    }

    private final Store store;
    private final int capacity;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(256, 0.75f, true);
    private Keys keys;
    /** The entry of the element or timer in progress when nothing is kept (no {@link Keys}). */
    private Entry passing;
    /** State reads and writes made (tests count them). */
    private long stateReads;
    private long stateWrites;

    SeriesValues(Store store, int capacity) {
        this.store = store;
        this.capacity = capacity;
    }

    /** Keeps values from now on, written back under their key through {@code keys}. */
    void attach(Keys keys) {
        this.keys = keys;
    }

    /** The entry of {@code key}, the current key of the element or timer in progress. */
    Entry of(String key) throws Exception {
        if (keys == null) {
            passing = new Entry(key);
            return passing;
        }
        Entry e = entries.get(key);
        if (e == null) {
            if (entries.size() >= capacity) {
                evictEldest(key);
            }
            e = new Entry(key);
            entries.put(key, e);
        }
        return e;
    }

    SeriesProgress progress(Entry e) throws Exception {
        if ((e.read & PROGRESS) == 0) {
            e.progress = store.readProgress();
            readDone(e, PROGRESS, e.progress != null);
        }
        return e.progress;
    }

    AlertState alerts(Entry e) throws Exception {
        if ((e.read & ALERTS) == 0) {
            e.alerts = store.readAlerts();
            readDone(e, ALERTS, e.alerts != null);
        }
        return e.alerts;
    }

    TailBaseline tail(Entry e) throws Exception {
        if ((e.read & TAIL) == 0) {
            e.tail = store.readTail();
            readDone(e, TAIL, e.tail != null);
        }
        return e.tail;
    }

    /** Bookkeeping of a value read from state: counted, not read again, whether state holds one. */
    private void readDone(Entry e, int bit, boolean present) {
        stateReads++;
        e.read |= bit;
        e.stored = present ? e.stored | bit : e.stored & ~bit;
    }

    /** The series' progress is now {@code p} (null: cleared). */
    void progressChanged(Entry e, SeriesProgress p) {
        changed(e, PROGRESS);
        e.progress = p;
    }

    void alertsChanged(Entry e, AlertState a) {
        changed(e, ALERTS);
        e.alerts = a;
    }

    void tailChanged(Entry e, TailBaseline t) {
        changed(e, TAIL);
        e.tail = t;
    }

    private static void changed(Entry e, int bit) {
        if ((e.read & bit) == 0) {
            e.stored |= bit; // not read: state may hold one, so a clear is written
        }
        e.read |= bit;
        e.dirty |= bit;
    }

    /** The series' state was cleared behind the cache (the idle-series drop): forget its entry. */
    void dropped(Entry e) {
        if (keys != null) {
            entries.remove(e.key);
        }
        e.read = 0;
        e.dirty = 0;
        e.stored = 0;
        e.minutes.clear();
        e.hours.clear();
    }

    /** End of an element or timer: without {@link Keys}, writes what changed now (under the current key). */
    void settle() throws Exception {
        if (passing != null) {
            Entry e = passing;
            passing = null;
            writeBack(e);
        }
    }

    /** Writes every dirty entry under its key (before a checkpoint barrier, at the end of input). */
    void flush() throws Exception {
        if (keys == null) {
            return;
        }
        String before = null;
        boolean switched = false;
        for (Entry e : entries.values()) {
            if (e.dirty()) {
                if (!switched) {
                    before = keys.current();
                    switched = true;
                }
                keys.set(e.key);
                writeBack(e);
            }
        }
        if (switched && before != null) {
            keys.set(before);
        }
    }

    /** Entries kept now (tests). */
    int size() {
        return entries.size();
    }

    long stateReads() {
        return stateReads;
    }

    long stateWrites() {
        return stateWrites;
    }

    private void evictEldest(String current) throws Exception {
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        Entry eldest = it.next().getValue();
        it.remove();
        if (eldest.dirty()) {
            keys.set(eldest.key);
            writeBack(eldest);
            keys.set(current);
        }
    }

    private void writeBack(Entry e) throws Exception {
        if ((e.dirty & PROGRESS) != 0) {
            e.stored = write(e.stored, PROGRESS, e.progress != null, () -> store.writeProgress(e.progress));
        }
        if ((e.dirty & ALERTS) != 0) {
            e.stored = write(e.stored, ALERTS, e.alerts != null, () -> store.writeAlerts(e.alerts));
        }
        if ((e.dirty & TAIL) != 0) {
            e.stored = write(e.stored, TAIL, e.tail != null, () -> store.writeTail(e.tail));
        }
        e.dirty = 0;
        if (e.minutes.dirty() || e.hours.dirty()) {
            store.writeBuckets(e.minutes, e.hours);
        }
    }

    private interface Write {
        void run() throws Exception;
    }

    /** A value, or the clear of one state holds; nothing for a clear of nothing (a RocksDB tombstone). */
    private int write(int stored, int bit, boolean present, Write w) throws Exception {
        if (present || (stored & bit) != 0) {
            w.run();
            stateWrites++;
        }
        return present ? stored | bit : stored & ~bit;
    }
}
