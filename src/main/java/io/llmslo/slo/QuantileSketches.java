package io.llmslo.slo;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.store.SparseStore;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * DDSketch with 0.5 % relative accuracy: mergeable across buckets, so a window's quantile is the
 * merge of its buckets' sketches, and any quantile is within 1 % of the true order statistic.
 */
public final class QuantileSketches {

    public static final double RELATIVE_ACCURACY = 0.005;

    private QuantileSketches() {}

    public static DDSketch empty() {
        return DDSketches.unboundedDense(RELATIVE_ACCURACY);
    }

    public static DDSketch decode(byte[] bytes) {
        if (bytes == null) {
            return empty();
        }
        try {
            return DDSketch.decode(ByteArrayInput.wrap(bytes), UnboundedSizeDenseStore::new);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt sketch in state", e);
        }
    }

    public static byte[] encode(DDSketch sketch) {
        GrowingByteArrayOutput out = GrowingByteArrayOutput.withDefaultInitialCapacity();
        try {
            sketch.encode(out, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.trimmedCopy();
    }

    /**
     * Adds one value to a serialized minute sketch. A sparse store keeps a minute's few values
     * cheap to decode and re-encode; merges read it into a dense sketch like any other.
     */
    public static byte[] add(byte[] bytes, double value) {
        DDSketch s;
        if (bytes == null) {
            s = DDSketches.sparse(RELATIVE_ACCURACY);
        } else {
            try {
                s = DDSketch.decode(ByteArrayInput.wrap(bytes), SparseStore::new);
            } catch (IOException e) {
                throw new UncheckedIOException("corrupt sketch in state", e);
            }
        }
        s.accept(indexable(value, s));
        return encode(s);
    }

    /**
     * A value the sketch can hold: DDSketch throws outside its indexable range (1e308 ms), and a
     * stage must never throw on a value (DESIGN §7b). The parser already rejects such values;
     * this is the second line: NaN and negatives count as 0, huge values as the largest one.
     */
    public static double indexable(double value, DDSketch s) {
        if (!(value > 0)) {
            return 0.0;
        }
        return Math.min(value, s.getIndexMapping().maxIndexableValue());
    }

    /**
     * How many values of a serialized sketch exceed {@code threshold}, and how many it holds:
     * {above, total}. Exact up to the sketch's relative accuracy (a value within 0.5 % of the
     * threshold may land on either side). Read off the bytes ({@link SketchBins}).
     */
    public static long[] countAbove(byte[] bytes, double threshold) {
        return SketchBins.countAbove(bytes, threshold);
    }

    /** The merge of two serialized sketches, serialized as a sparse store (either may be null). */
    public static byte[] merge(byte[] a, byte[] b) {
        return SketchBins.merge(a, b);
    }

    public static void mergeInto(DDSketch target, byte[] bytes) {
        if (bytes == null) {
            return;
        }
        try {
            target.decodeAndMergeWith(ByteArrayInput.wrap(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt sketch in state", e);
        }
    }
}
