package io.llmslo.slo;

import com.datadoghq.sketch.ddsketch.encoding.VarEncodingHelper;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The sketch of one partial (a few values of one series and minute): the bins of a
 * {@link QuantileSketches} DDSketch (same index mapping) as a sorted int array, encoded at flush
 * into exactly the bytes the DDSketch would give. A partial's sketch used to be a DDSketch with a
 * {@code TreeMap} store (a boxed insert per value) and {@code GrowingByteArrayOutput}s at encode:
 * about a fifth of the joiner chain's CPU on the bench.
 *
 * <p>Bin counts do not depend on insertion order, so only the store kind matters for the bytes:
 * a sparse store always writes index deltas and counts; a dense store (what
 * {@link PartialBuckets} switched a partial to from {@link PartialBuckets#DENSE_FROM} values on)
 * writes whichever of contiguous counts and index deltas is shorter, contiguous on a tie.
 * {@code PartialSketchTest} compares the bytes against the DDSketch path.
 */
final class PartialSketch {

    private static final IndexMapping MAPPING = SketchFormat.MAPPING;
    /** The mapping as DDSketch.encode writes it first. */
    private static final byte[] MAPPING_BYTES = SketchFormat.MAPPING_BYTES;
    /** As DDSketch: values at or below it count as zero. */
    private static final double MIN_INDEXED = Math.max(0, MAPPING.minIndexableValue());
    private static final double MAX_INDEXED = MAPPING.maxIndexableValue();
    private static final byte SPARSE_FLAG = SketchFormat.DELTAS_AND_COUNTS;
    private static final byte DENSE_FLAG = SketchFormat.CONTIGUOUS;
    private static final byte ZERO_FLAG = SketchFormat.ZERO_FLAG;

    private int[] indexes = new int[4];
    private int[] counts = new int[4];
    private int bins;
    private long zeroCount;
    private boolean dense;

    /** As {@code DDSketch.accept}, including its exception outside the trackable range. */
    void accept(double value) {
        if (value < -MAX_INDEXED || value > MAX_INDEXED) {
            throw new IllegalArgumentException("The input value is outside the range that is tracked by the sketch.");
        }
        if (value <= MIN_INDEXED) {
            // callers clamp at 0: no negative values
            zeroCount++;
            return;
        }
        add(MAPPING.index(value), 1);
    }

    /** Whether {@link #accept} takes the value (it throws for the others, as DDSketch does). */
    static boolean trackable(double value) {
        return value >= -MAX_INDEXED && value <= MAX_INDEXED;
    }

    /** Adds the bins of another sketch: the bins of the union of both sketches' values. */
    void addAll(PartialSketch other) {
        zeroCount += other.zeroCount;
        if (bins == 0) {
            indexes = Arrays.copyOf(other.indexes, Math.max(4, other.bins));
            counts = Arrays.copyOf(other.counts, Math.max(4, other.bins));
            bins = other.bins;
            return;
        }
        for (int i = 0; i < other.bins; i++) {
            add(other.indexes[i], other.counts[i]);
        }
    }

    private void add(int index, int count) {
        int at = Arrays.binarySearch(indexes, 0, bins, index);
        if (at >= 0) {
            counts[at] += count;
            return;
        }
        at = -at - 1;
        if (bins == indexes.length) {
            indexes = Arrays.copyOf(indexes, bins * 2);
            counts = Arrays.copyOf(counts, bins * 2);
        }
        System.arraycopy(indexes, at, indexes, at + 1, bins - at);
        System.arraycopy(counts, at, counts, at + 1, bins - at);
        indexes[at] = index;
        counts[at] = count;
        bins++;
    }

    /** From now on encoded as a dense store would be. */
    void dense() {
        dense = true;
    }

    /** The bytes {@code QuantileSketches.encode} gives for the DDSketch of the same values and store kind. */
    byte[] encode() {
        int length = MAPPING_BYTES.length;
        if (zeroCount != 0) {
            length += 1 + VarEncodingHelper.varDoubleEncodedLength(zeroCount);
        }
        boolean contiguous = false;
        if (bins > 0) {
            long sparse = 0;
            long prev = 0;
            for (int i = 0; i < bins; i++) {
                sparse += VarEncodingHelper.signedVarLongEncodedLength(indexes[i] - prev)
                        + VarEncodingHelper.varDoubleEncodedLength(counts[i]);
                prev = indexes[i];
            }
            long store = sparse + VarEncodingHelper.unsignedVarLongEncodedLength(bins);
            if (dense) {
                // DenseStore.encode: the contiguous length against the deltas' (without their header)
                long range = (long) indexes[bins - 1] - indexes[0] + 1;
                long contiguousLength = VarEncodingHelper.unsignedVarLongEncodedLength(range)
                        + VarEncodingHelper.signedVarLongEncodedLength(indexes[0])
                        + VarEncodingHelper.signedVarLongEncodedLength(1)
                        + (range - bins) * VarEncodingHelper.varDoubleEncodedLength(0);
                for (int i = 0; i < bins; i++) {
                    contiguousLength += VarEncodingHelper.varDoubleEncodedLength(counts[i]);
                }
                if (contiguousLength <= sparse) {
                    contiguous = true;
                    store = contiguousLength;
                }
            }
            length += 1 + (int) store;
        }
        SketchFormat.Bytes out = new SketchFormat.Bytes(length);
        try {
            System.arraycopy(MAPPING_BYTES, 0, out.bytes, 0, MAPPING_BYTES.length);
            out.pos = MAPPING_BYTES.length;
            if (zeroCount != 0) {
                out.writeByte(ZERO_FLAG);
                VarEncodingHelper.encodeVarDouble(out, zeroCount);
            }
            if (bins > 0 && contiguous) {
                out.writeByte(DENSE_FLAG);
                VarEncodingHelper.encodeUnsignedVarLong(out, (long) indexes[bins - 1] - indexes[0] + 1);
                VarEncodingHelper.encodeSignedVarLong(out, indexes[0]);
                VarEncodingHelper.encodeSignedVarLong(out, 1);
                for (int i = 0; i < bins; i++) {
                    if (i > 0) {
                        for (int gap = indexes[i - 1] + 1; gap < indexes[i]; gap++) {
                            VarEncodingHelper.encodeVarDouble(out, 0);
                        }
                    }
                    VarEncodingHelper.encodeVarDouble(out, counts[i]);
                }
            } else if (bins > 0) {
                out.writeByte(SPARSE_FLAG);
                VarEncodingHelper.encodeUnsignedVarLong(out, bins);
                long prev = 0;
                for (int i = 0; i < bins; i++) {
                    VarEncodingHelper.encodeSignedVarLong(out, indexes[i] - prev);
                    VarEncodingHelper.encodeVarDouble(out, counts[i]);
                    prev = indexes[i];
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.done();
    }
}
