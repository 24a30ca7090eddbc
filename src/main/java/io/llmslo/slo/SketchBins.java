package io.llmslo.slo;

import com.datadoghq.sketch.ddsketch.encoding.Input;
import com.datadoghq.sketch.ddsketch.encoding.VarEncodingHelper;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The bins of {@link QuantileSketches}' serialized DDSketches, decoded straight into a count array:
 * what the evaluator does with sketch bytes (merge a minute's partials, build an hour, sum a
 * window, read a quantile, count values above a threshold) without a {@code DDSketch} per bucket,
 * a {@code TreeMap} store per merge or a re-encode of a sketch only read. About a third of the
 * evaluator's CPU on the bench went to those library paths.
 *
 * <p>Same results, not just close: bins come from the library's own var-int decoders and the
 * same index mapping; counts are whole numbers held in doubles, so sums are exact in any order
 * (also when a window is moved on by adding one hour and subtracting another); a quantile walks
 * the bins as {@code DDSketch.getValueAtQuantile} does; {@link #encode} writes the bytes
 * {@code QuantileSketches.encode} gives for a dense sketch of these bins and {@link #merge} those
 * of {@code QuantileSketches.merge} (a sparse store). {@code SketchBinsTest} compares every
 * operation with the library on seeded sketches. Only what this job writes is read: the
 * {@link QuantileSketches} mapping, a zero count and a positive store (values are clamped at 0).
 */
final class SketchBins {

    static final IndexMapping MAPPING = SketchFormat.MAPPING;
    private static final byte[] MAPPING_BYTES = SketchFormat.MAPPING_BYTES;
    private static final byte ZERO_FLAG = SketchFormat.ZERO_FLAG;
    private static final byte DELTAS_AND_COUNTS = SketchFormat.DELTAS_AND_COUNTS;
    private static final byte DELTAS = SketchFormat.DELTAS;
    private static final byte CONTIGUOUS = SketchFormat.CONTIGUOUS;
    private static final int MIN_CAPACITY = 64;
    /** What the library decodes a one-byte var-double (high bit clear) to. */
    private static final double[] ONE_BYTE_DOUBLES = oneByteDoubles();
    /** Bin values by index + VALUES_FROM: the tail verdict compares every bin of every minute. */
    private static final int VALUES_FROM = 2048;
    private static final double[] VALUES = values();
    /** The longest var-int or var-double the library writes. */
    private static final int VAR_MAX = 9;

    /** counts[i] is the count of bin {@code offset + i}; bins outside [lo, hi] are zero. */
    private double[] counts = new double[0];
    private int offset;
    private int lo = Integer.MAX_VALUE;
    private int hi = Integer.MIN_VALUE;
    private double zero;
    private double total;
    private final Reader reader = new Reader();

    /** Adds the values of a serialized sketch (null: none). */
    SketchBins add(byte[] sketch) {
        decode(sketch, 1);
        return this;
    }

    /** Removes the values of a serialized sketch earlier {@link #add added}. */
    SketchBins subtract(byte[] sketch) {
        decode(sketch, -1);
        return this;
    }

    /** Adds another's bins. */
    SketchBins add(SketchBins other) {
        for (int i = other.lo; i <= other.hi; i++) {
            double c = other.counts[i - other.offset];
            if (c != 0) {
                bin(i, c);
            }
        }
        zero += other.zero;
        return this;
    }

    /** Back to no values (the array is kept). */
    void clear() {
        if (lo <= hi) {
            Arrays.fill(counts, lo - offset, hi - offset + 1, 0);
        }
        lo = Integer.MAX_VALUE;
        hi = Integer.MIN_VALUE;
        zero = 0;
        total = 0;
    }

    /** How many values: {@code DDSketch.getCount()}. */
    double count() {
        return zero + total;
    }

    /** {@code DDSketch.getValueAtQuantile} of these bins; null without values. */
    Double quantile(double q) {
        return quantile(q, this, null);
    }

    /** The quantile of the merge of {@code a} and {@code b} (null: none), without merging them. */
    static Double quantile(double q, SketchBins a, SketchBins b) {
        double count = a.count() + (b == null ? 0 : b.count());
        if (!(count > 0)) {
            return null;
        }
        double rank = q * (count - 1);
        double n = a.zero + (b == null ? 0 : b.zero);
        if (n > rank) {
            return 0.0;
        }
        int from = b == null || a.lo <= b.lo ? a.lo : b.lo;
        int to = b == null || a.hi >= b.hi ? a.hi : b.hi;
        for (int i = from; i <= to; i++) {
            double c = a.at(i) + (b == null ? 0 : b.at(i));
            if (c != 0 && (n += c) > rank) {
                return MAPPING.value(i);
            }
        }
        throw new java.util.NoSuchElementException();
    }

    private double at(int index) {
        return index < lo || index > hi ? 0 : counts[index - offset];
    }

    /**
     * The bytes {@code QuantileSketches.encode} gives for a dense DDSketch with these bins: the
     * mapping, the zero count, then contiguous counts or index deltas, whichever is shorter
     * (contiguous on a tie), as {@code DenseStore.encode}.
     */
    byte[] encode() {
        int min = lo;
        while (min <= hi && counts[min - offset] == 0) {
            min++;
        }
        int max = hi;
        while (max >= min && counts[max - offset] == 0) {
            max--;
        }
        long dense = 0;
        long sparse = 0;
        long bins = 0;
        if (min <= max) {
            long range = (long) max - min + 1;
            dense = VarEncodingHelper.unsignedVarLongEncodedLength(range)
                    + VarEncodingHelper.signedVarLongEncodedLength(min) + VarEncodingHelper.signedVarLongEncodedLength(1);
            long prev = 0;
            for (int i = min; i <= max; i++) {
                double c = counts[i - offset];
                int length = VarEncodingHelper.varDoubleEncodedLength(c);
                dense += length;
                if (c != 0) {
                    bins++;
                    sparse += VarEncodingHelper.signedVarLongEncodedLength(i - prev) + length;
                    prev = i;
                }
            }
        }
        boolean contiguous = dense <= sparse;
        long store = min > max ? 0 : 1 + (contiguous ? dense : sparse + VarEncodingHelper.unsignedVarLongEncodedLength(bins));
        SketchFormat.Bytes out = new SketchFormat.Bytes(length(zero) + (int) store);
        try {
            writeHead(out, zero);
            if (min <= max && contiguous) {
                out.writeByte(CONTIGUOUS);
                VarEncodingHelper.encodeUnsignedVarLong(out, (long) max - min + 1);
                VarEncodingHelper.encodeSignedVarLong(out, min);
                VarEncodingHelper.encodeSignedVarLong(out, 1);
                for (int i = min; i <= max; i++) {
                    VarEncodingHelper.encodeVarDouble(out, counts[i - offset]);
                }
            } else if (min <= max) {
                out.writeByte(DELTAS_AND_COUNTS);
                VarEncodingHelper.encodeUnsignedVarLong(out, bins);
                long prev = 0;
                for (int i = min; i <= max; i++) {
                    double c = counts[i - offset];
                    if (c != 0) {
                        VarEncodingHelper.encodeSignedVarLong(out, i - prev);
                        VarEncodingHelper.encodeVarDouble(out, c);
                        prev = i;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.done();
    }

    /**
     * {@code QuantileSketches.merge(a, b)}: the merge of two serialized sketches as a sparse store
     * writes it (index deltas and counts), either may be null. Both are read into sorted bin
     * arrays and merged like two sorted lists: no map.
     */
    static byte[] merge(byte[] a, byte[] b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        Sparse x = Sparse.of(a);
        Sparse y = Sparse.of(b);
        int n = 0;
        for (int i = 0, j = 0; i < x.bins || j < y.bins; n++) {
            if (j == y.bins || (i < x.bins && x.index[i] < y.index[j])) {
                i++;
            } else if (i == x.bins || y.index[j] < x.index[i]) {
                j++;
            } else {
                i++;
                j++;
            }
        }
        // at most 9 bytes per var-int and per count: written once into a bound, then trimmed
        SketchFormat.Bytes out = new SketchFormat.Bytes(MAPPING_BYTES.length + 2 * (1 + VAR_MAX) + 2 * VAR_MAX * n);
        try {
            writeHead(out, x.zero + y.zero);
            if (n > 0) {
                out.writeByte(DELTAS_AND_COUNTS);
                VarEncodingHelper.encodeUnsignedVarLong(out, n);
                long prev = 0;
                for (int i = 0, j = 0; i < x.bins || j < y.bins; ) {
                    int index;
                    double c;
                    if (j == y.bins || (i < x.bins && x.index[i] < y.index[j])) {
                        index = x.index[i];
                        c = x.count[i++];
                    } else if (i == x.bins || y.index[j] < x.index[i]) {
                        index = y.index[j];
                        c = y.count[j++];
                    } else {
                        index = x.index[i];
                        c = x.count[i++] + y.count[j++];
                    }
                    VarEncodingHelper.encodeSignedVarLong(out, index - prev);
                    VarEncodingHelper.encodeVarDouble(out, c);
                    prev = index;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.trimmed();
    }

    /**
     * {@code QuantileSketches.countAbove}: {values above {@code threshold}, values}, read off the
     * bytes (each bin's value as the sketch reports it).
     */
    static long[] countAbove(byte[] sketch, double threshold) {
        if (sketch == null) {
            return new long[] {0, 0};
        }
        Sparse s = Sparse.of(sketch);
        double total = s.zero;
        long above = 0;
        for (int i = 0; i < s.bins; i++) {
            total += s.count[i];
            if (valueOf(s.index[i]) > threshold) {
                above += Math.round(s.count[i]);
            }
        }
        return new long[] {above, Math.round(total)};
    }

    private void decode(byte[] sketch, int sign) {
        if (sketch == null) {
            return;
        }
        Reader in = reader.start(sketch);
        try {
            while (in.hasRemaining()) {
                byte flag = in.readByte();
                if (flag == ZERO_FLAG) {
                    zero += sign * in.varDouble();
                } else if (flag == DELTAS_AND_COUNTS || flag == DELTAS) {
                    long bins = in.unsignedVarLong();
                    long index = 0;
                    for (long i = 0; i != bins; i++) {
                        index += in.signedVarLong();
                        double c = flag == DELTAS ? 1 : in.varDouble();
                        if (c != 0) {
                            bin(Math.toIntExact(index), sign * c);
                        }
                    }
                } else if (flag == CONTIGUOUS) {
                    long bins = in.unsignedVarLong();
                    long index = in.signedVarLong();
                    long delta = in.signedVarLong();
                    for (long i = 0; i != bins; i++, index += delta) {
                        double c = in.varDouble();
                        if (c != 0) {
                            bin(Math.toIntExact(index), sign * c);
                        }
                    }
                } else {
                    throw new IOException("unexpected flag " + flag + " in a sketch");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt sketch in state", e);
        }
    }

    private void bin(int index, double c) {
        if (index < offset || index >= offset + counts.length) {
            grow(index);
        }
        counts[index - offset] += c;
        total += c;
        if (index < lo) {
            lo = index;
        }
        if (index > hi) {
            hi = index;
        }
    }

    private void grow(int index) {
        if (lo > hi && counts.length > 0) {
            offset = index - counts.length / 2; // empty (all zeros): recentred, not reallocated
            return;
        }
        int from = lo <= hi ? Math.min(lo, index) : index;
        int to = lo <= hi ? Math.max(hi, index) : index;
        int length = Math.max(MIN_CAPACITY, 2 * (to - from + 1));
        int start = from - (length - (to - from + 1)) / 2;
        double[] grown = new double[length];
        if (lo <= hi) {
            System.arraycopy(counts, lo - offset, grown, lo - start, hi - lo + 1);
        }
        counts = grown;
        offset = start;
    }

    private static int length(double zero) {
        return MAPPING_BYTES.length + (zero != 0 ? 1 + VarEncodingHelper.varDoubleEncodedLength(zero) : 0);
    }

    private static void writeHead(SketchFormat.Bytes out, double zero) throws IOException {
        System.arraycopy(MAPPING_BYTES, 0, out.bytes, 0, MAPPING_BYTES.length);
        out.pos = MAPPING_BYTES.length;
        if (zero != 0) {
            out.writeByte(ZERO_FLAG);
            VarEncodingHelper.encodeVarDouble(out, zero);
        }
    }

    /** A serialized sketch's bins in ascending index order, each once, and its zero count. */
    private static final class Sparse {
        int[] index;
        double[] count;
        int bins;
        double zero;

        static Sparse of(byte[] sketch) {
            Sparse s = new Sparse();
            Reader in = new Reader().start(sketch);
            try {
                while (in.hasRemaining()) {
                    byte flag = in.readByte();
                    if (flag == ZERO_FLAG) {
                        s.zero += in.varDouble();
                    } else if ((flag == DELTAS_AND_COUNTS || flag == DELTAS || flag == CONTIGUOUS) && s.index == null) {
                        if (!s.read(flag, in)) {
                            return ofDense(sketch);
                        }
                    } else {
                        // a second store, or bins out of order: not written by this job
                        return ofDense(sketch);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("corrupt sketch in state", e);
            }
            if (s.index == null) {
                s.index = new int[0];
                s.count = new double[0];
            }
            return s;
        }

        /** Through a count array: any number of stores, in any bin order. */
        private static Sparse ofDense(byte[] sketch) {
            SketchBins dense = new SketchBins().add(sketch);
            Sparse s = new Sparse();
            s.index = new int[0];
            s.count = new double[0];
            for (int i = dense.lo; i <= dense.hi; i++) {
                s.put(i, dense.counts[i - dense.offset]);
            }
            s.zero = dense.zero;
            return s;
        }

        /** One store's bins; false if they are not in ascending order. */
        private boolean read(byte flag, Reader in) throws IOException {
            long n = in.unsignedVarLong();
            int capacity = (int) Math.max(0, Math.min(n, 1 << 16));
            index = new int[capacity];
            count = new double[capacity];
            boolean sorted = true;
            if (flag == CONTIGUOUS) {
                long at = in.signedVarLong();
                long delta = in.signedVarLong();
                sorted = delta > 0 || n <= 1;
                for (long i = 0; i != n; i++, at += delta) {
                    put(Math.toIntExact(at), in.varDouble());
                }
            } else {
                long at = 0;
                for (long i = 0; i != n; i++) {
                    long d = in.signedVarLong();
                    sorted &= i == 0 || d > 0;
                    at += d;
                    put(Math.toIntExact(at), flag == DELTAS ? 1 : in.varDouble());
                }
            }
            return sorted;
        }

        private void put(int at, double c) {
            if (c == 0) {
                return; // as a store's add
            }
            if (bins == index.length) {
                index = Arrays.copyOf(index, Math.max(4, 2 * bins));
                count = Arrays.copyOf(count, index.length);
            }
            index[bins] = at;
            count[bins++] = c;
        }

    }

    /** Reads a serialized sketch after checking its mapping is {@link #MAPPING}'s. */
    private static final class Reader implements Input {
        private byte[] bytes;
        private int pos;

        Reader start(byte[] sketch) {
            if (sketch.length < MAPPING_BYTES.length
                    || !Arrays.equals(sketch, 0, MAPPING_BYTES.length, MAPPING_BYTES, 0, MAPPING_BYTES.length)) {
                // as DDSketch's merge of sketches with different mappings
                throw new IllegalArgumentException(
                        "The sketches are not mergeable because they do not use the same index mappings.");
            }
            bytes = sketch;
            pos = MAPPING_BYTES.length;
            return this;
        }

        /**
         * The library's decoders, with its one-byte forms (small counts and index deltas, most of
         * a sketch's bytes) read off a table: the same values.
         */
        double varDouble() throws IOException {
            if (pos < bytes.length && bytes[pos] >= 0) {
                return ONE_BYTE_DOUBLES[bytes[pos++]];
            }
            return VarEncodingHelper.decodeVarDouble(this);
        }

        long unsignedVarLong() throws IOException {
            if (pos < bytes.length && bytes[pos] >= 0) {
                return bytes[pos++];
            }
            return VarEncodingHelper.decodeUnsignedVarLong(this);
        }

        long signedVarLong() throws IOException {
            if (pos < bytes.length && bytes[pos] >= 0) {
                long v = bytes[pos++];
                return (v >>> 1) ^ -(v & 1); // zig-zag, as the library
            }
            return VarEncodingHelper.decodeSignedVarLong(this);
        }

        @Override
        public boolean hasRemaining() {
            return pos < bytes.length;
        }

        @Override
        public byte readByte() throws EOFException {
            if (pos >= bytes.length) {
                throw new EOFException();
            }
            return bytes[pos++];
        }
    }

    /** {@code MAPPING.value(index)}: from a table over the usual indexes (values 1e-9..1e9). */
    static double valueOf(int index) {
        int i = index + VALUES_FROM;
        return i >= 0 && i < VALUES.length ? VALUES[i] : MAPPING.value(index);
    }

    private static double[] values() {
        double[] out = new double[2 * VALUES_FROM];
        for (int i = 0; i < out.length; i++) {
            out[i] = MAPPING.value(i - VALUES_FROM);
        }
        return out;
    }

    private static double[] oneByteDoubles() {
        double[] out = new double[128];
        try {
            for (int b = 0; b < 128; b++) {
                out[b] = VarEncodingHelper.decodeVarDouble(
                        com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput.wrap(new byte[] {(byte) b}));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
