package io.llmslo.join;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The successful requests whose acceptance window is still open, on one joiner subtask, in memory
 * instead of one event-time timer (and one state read and write) each: a request is accepted when
 * the watermark reaches its {@code due} time (ts + acceptance window + allowed lateness) unless a
 * negative signal {@link #cancel cancelled} it before. Plain Java; {@link RequestJoiner}'s operator
 * releases it on every watermark and keeps it in operator state.
 *
 * <p>Compact: per request 16 bytes in primitive arrays (a binary heap on {@code due}), its
 * dimensions interned (one entry per distinct packed dimension tuple). Requests with the same
 * (due, dimensions, key group) are interchangeable (they give the same observation), so a cancel
 * is a count against that triple, applied when the heap reaches it; cancels are as rare as
 * negative signals. The key group goes with each entry so that a restore at another parallelism
 * hands every entry to the subtask that now owns its request.
 */
final class PendingAcceptances {

    /** One request's accepted observation is due: its time is {@code due − allowed lateness}. */
    interface Release {
        void accept(long due, String[] dims, int dimsSchema);
    }

    private record Dims(int schema, String[] values, int hash) {
        static Dims of(int schema, String[] values) {
            return new Dims(schema, values, 31 * Arrays.hashCode(values) + schema);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Dims d && d.hash == hash && d.schema == schema && Arrays.equals(d.values, values);
        }
    }

    private record Cancel(long due, int dims, int keyGroup) {}

    private long[] due = new long[64];
    private int[] dimsOf = new int[64];
    private int[] keyGroupOf = new int[64];
    private int size;

    private final Map<Dims, Integer> dimsIds = new HashMap<>();
    private final List<Dims> dimsList = new ArrayList<>();
    /** Entries per dims id, so an id is freed (and reused) when none refers to it. */
    private int[] refs = new int[16];
    private final List<Integer> freeIds = new ArrayList<>();

    private final Map<Cancel, int[]> cancels = new HashMap<>();

    /** Requests waiting (cancelled ones included until the watermark passes them). */
    int size() {
        return size;
    }

    /** Distinct dimension tuples held. */
    int distinctDims() {
        return dimsIds.size();
    }

    void add(long dueAt, String[] dims, int dimsSchema, int keyGroup) {
        push(dueAt, intern(Dims.of(dimsSchema, dims)), keyGroup);
    }

    /** A negative signal decided the request: its acceptance must not be released. */
    void cancel(long dueAt, String[] dims, int dimsSchema, int keyGroup) {
        Integer id = dimsIds.get(Dims.of(dimsSchema, dims));
        if (id == null) {
            throw new IllegalStateException("no pending acceptance to cancel at " + dueAt);
        }
        cancels.computeIfAbsent(new Cancel(dueAt, id, keyGroup), c -> new int[1])[0]++;
    }

    /** Releases, in due order, every request due at or before {@code watermark} that was not cancelled. */
    void releaseUpTo(long watermark, Release out) {
        while (size > 0 && due[0] <= watermark) {
            long d = due[0];
            int id = dimsOf[0];
            int kg = keyGroupOf[0];
            pop();
            if (!cancels.isEmpty()) {
                Cancel key = new Cancel(d, id, kg);
                int[] n = cancels.get(key);
                if (n != null) {
                    if (--n[0] == 0) {
                        cancels.remove(key);
                    }
                    unref(id);
                    continue;
                }
            }
            Dims dims = dimsList.get(id);
            out.accept(d, dims.values(), dims.schema());
            unref(id);
        }
    }

    /**
     * Writes the entries and cancels of the key groups {@code [from, to]} (this subtask's), with
     * the watermark they were released up to.
     */
    void write(DataOutputView out, long watermark, int from, int to) throws IOException {
        out.writeInt(1); // format
        out.writeLong(watermark);
        out.writeInt(from);
        out.writeInt(to);
        int[] newId = new int[dimsList.size()];
        Arrays.fill(newId, -1);
        List<Dims> used = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (newId[dimsOf[i]] < 0) {
                newId[dimsOf[i]] = used.size();
                used.add(dimsList.get(dimsOf[i]));
            }
        }
        out.writeInt(used.size());
        for (Dims d : used) {
            out.writeInt(d.schema());
            out.writeInt(d.values().length);
            for (String v : d.values()) {
                out.writeBoolean(v != null);
                if (v != null) {
                    StringValue.writeString(v, out);
                }
            }
        }
        out.writeInt(size);
        for (int i = 0; i < size; i++) {
            out.writeLong(due[i]);
            out.writeInt(newId[dimsOf[i]]);
            out.writeInt(keyGroupOf[i]);
        }
        // a cancel always has its entry; one without (a bug) must not make the snapshot unreadable
        List<Map.Entry<Cancel, int[]>> held = new ArrayList<>();
        for (Map.Entry<Cancel, int[]> c : cancels.entrySet()) {
            if (c.getKey().dims() < newId.length && newId[c.getKey().dims()] >= 0) {
                held.add(c);
            }
        }
        out.writeInt(held.size());
        for (Map.Entry<Cancel, int[]> c : held) {
            out.writeLong(c.getKey().due());
            out.writeInt(newId[c.getKey().dims()]);
            out.writeInt(c.getKey().keyGroup());
            out.writeInt(c.getValue()[0]);
        }
    }

    /** What one subtask's snapshot says about the key groups it owned. */
    record Restored(long watermark, int from, int to) {}

    /**
     * Adds the entries and cancels of one subtask's snapshot whose key group lies in
     * {@code [from, to]} (this subtask's now); returns that snapshot's watermark and range.
     */
    Restored read(DataInputView in, int from, int to) throws IOException {
        int format = in.readInt();
        if (format != 1) {
            throw new IOException("unknown pending-acceptances format " + format);
        }
        Restored r = new Restored(in.readLong(), in.readInt(), in.readInt());
        int n = in.readInt();
        Dims[] dims = new Dims[n];
        for (int i = 0; i < n; i++) {
            int schema = in.readInt();
            String[] values = new String[in.readInt()];
            for (int j = 0; j < values.length; j++) {
                values[j] = in.readBoolean() ? StringValue.readString(in) : null;
            }
            dims[i] = Dims.of(schema, values);
        }
        int entries = in.readInt();
        for (int i = 0; i < entries; i++) {
            long d = in.readLong();
            int id = in.readInt();
            int kg = in.readInt();
            if (kg >= from && kg <= to) {
                push(d, intern(dims[id]), kg);
            }
        }
        int cancelled = in.readInt();
        for (int i = 0; i < cancelled; i++) {
            long d = in.readLong();
            int id = in.readInt();
            int kg = in.readInt();
            int count = in.readInt();
            if (kg >= from && kg <= to) {
                Integer local = dimsIds.get(dims[id]);
                if (local != null) {
                    cancels.computeIfAbsent(new Cancel(d, local, kg), c -> new int[1])[0] += count;
                }
            }
        }
        return r;
    }

    private int intern(Dims d) {
        Integer id = dimsIds.get(d);
        if (id == null) {
            id = freeIds.isEmpty() ? dimsList.size() : freeIds.remove(freeIds.size() - 1);
            if (id == dimsList.size()) {
                dimsList.add(d);
            } else {
                dimsList.set(id, d);
            }
            if (id >= refs.length) {
                refs = Arrays.copyOf(refs, 2 * refs.length);
            }
            dimsIds.put(d, id);
        }
        refs[id]++;
        return id;
    }

    private void unref(int id) {
        if (--refs[id] == 0) {
            dimsIds.remove(dimsList.get(id));
            dimsList.set(id, null);
            freeIds.add(id);
        }
    }

    private void push(long d, int id, int kg) {
        if (size == due.length) {
            due = Arrays.copyOf(due, 2 * size);
            dimsOf = Arrays.copyOf(dimsOf, 2 * size);
            keyGroupOf = Arrays.copyOf(keyGroupOf, 2 * size);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (due[parent] <= d) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        set(i, d, id, kg);
    }

    private void pop() {
        size--;
        if (size == 0) {
            return;
        }
        long d = due[size];
        int id = dimsOf[size];
        int kg = keyGroupOf[size];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && due[child + 1] < due[child]) {
                child++;
            }
            if (due[child] >= d) {
                break;
            }
            move(child, i);
            i = child;
        }
        set(i, d, id, kg);
    }

    private void move(int from, int to) {
        set(to, due[from], dimsOf[from], keyGroupOf[from]);
    }

    private void set(int i, long d, int id, int kg) {
        due[i] = d;
        dimsOf[i] = id;
        keyGroupOf[i] = kg;
    }
}
