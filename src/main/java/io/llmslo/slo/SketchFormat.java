package io.llmslo.slo;

import com.datadoghq.sketch.ddsketch.encoding.BinEncodingMode;
import com.datadoghq.sketch.ddsketch.encoding.Flag;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.encoding.Output;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The fixed parts of the DDSketch bytes the job writes ({@link QuantileSketches}' mapping, a
 * positive store), encoded once by the library itself: what {@link PartialSketch} writes and
 * {@link SketchBins} reads and writes without a DDSketch object.
 */
final class SketchFormat {

    static final IndexMapping MAPPING = QuantileSketches.empty().getIndexMapping();
    static final byte[] MAPPING_BYTES = mappingBytes();
    static final byte ZERO_FLAG = marker(Flag.ZERO_COUNT);
    /** Sparse bins: index deltas with counts. */
    static final byte DELTAS_AND_COUNTS = marker(BinEncodingMode.INDEX_DELTAS_AND_COUNTS);
    /** Index deltas, every count 1. */
    static final byte DELTAS = marker(BinEncodingMode.INDEX_DELTAS);
    /** Dense bins: contiguous counts. */
    static final byte CONTIGUOUS = marker(BinEncodingMode.CONTIGUOUS_COUNTS);

    private SketchFormat() {}

    private static byte[] mappingBytes() {
        GrowingByteArrayOutput out = GrowingByteArrayOutput.withDefaultInitialCapacity();
        try {
            MAPPING.encode(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.trimmedCopy();
    }

    private static byte marker(BinEncodingMode mode) {
        return marker(mode.toFlag(Flag.Type.POSITIVE_STORE));
    }

    private static byte marker(Flag flag) {
        GrowingByteArrayOutput out = GrowingByteArrayOutput.withInitialCapacity(1);
        try {
            flag.encode(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.trimmedCopy()[0];
    }

    /** An output of a length computed beforehand: no growth; {@link #done} checks the length. */
    static final class Bytes implements Output {
        final byte[] bytes;
        int pos;

        Bytes(int length) {
            bytes = new byte[length];
        }

        @Override
        public void writeByte(byte b) {
            bytes[pos++] = b;
        }

        byte[] trimmed() {
            return pos == bytes.length ? bytes : Arrays.copyOf(bytes, pos);
        }

        byte[] done() {
            if (pos != bytes.length) {
                throw new IllegalStateException("sketch length " + pos + " != " + bytes.length);
            }
            return bytes;
        }
    }
}
