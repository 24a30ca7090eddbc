package io.llmslo.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A partial's sketch must encode to exactly the bytes of the DDSketch path it replaces (the
 * independent source is the DDSketch library itself): a sparse-store sketch of the values, switched
 * to a dense store (merge, then the rest of the values) at the {@link PartialBuckets#DENSE_FROM}th
 * observation, encoded by {@link QuantileSketches#encode}. Seeded random value sets of 1..500 values.
 */
class PartialSketchTest {

    @Test
    void encodesTheSameBytesAsTheDdSketchPathForRandomValueSets() {
        SplittableRandom rnd = new SplittableRandom(20261201);
        for (int size = 1; size <= 500; size++) {
            for (int shape = 0; shape < 4; shape++) {
                double[] values = values(rnd, size, shape);
                // the switch to a dense store happens at a value position, or never (the
                // DENSE_FROM'th observation of the partial had no value, or came first)
                int switchAt = rnd.nextInt(4) == 0 ? -1 : 1 + rnd.nextInt(size + 1);
                assertThat(partial(values, switchAt)).as("size %d shape %d switch %d", size, shape, switchAt)
                        .isEqualTo(reference(values, switchAt));
            }
        }
    }

    @Test
    void anEmptyOrZeroOnlySketchEncodesAsTheLibraryDoes() {
        assertThat(new PartialSketch().encode()).isEqualTo(QuantileSketches.encode(DDSketches.sparse(0.005)));
        assertThat(partial(new double[] {0, 0, 1e-320}, -1)).isEqualTo(reference(new double[] {0, 0, 1e-320}, -1));
        assertThat(partial(new double[] {0, 5, 0}, 2)).isEqualTo(reference(new double[] {0, 5, 0}, 2));
    }

    @Test
    void aDenseStoreWritesContiguousCountsOnATie() {
        // three adjacent bins of count 1: contiguous (3 + index + delta 1 + three counts) and index
        // deltas (index, two deltas of 1, three counts, no header) have the same length
        var mapping = QuantileSketches.empty().getIndexMapping();
        int i = mapping.index(250.0);
        double[] values = {mapping.value(i), mapping.value(i + 1), mapping.value(i + 2)};
        byte[] dense = partial(values, 2);
        assertThat(dense).isEqualTo(reference(values, 2));
        assertThat(dense).isNotEqualTo(partial(values, -1));
    }

    @Test
    void rejectsAnUntrackableValueAsDdSketchDoes() {
        PartialSketch s = new PartialSketch();
        assertThatThrownBy(() -> s.accept(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DDSketches.sparse(0.005).accept(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static double[] values(SplittableRandom rnd, int size, int shape) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = switch (shape) {
                case 0 -> Math.exp(6 + 1.2 * gaussian(rnd)); // latencies, ms
                case 1 -> rnd.nextInt(5) == 0 ? 0.0 : Math.exp(10 * rnd.nextDouble()); // zeros, wide range
                case 2 -> 200 + rnd.nextInt(3); // few bins, high counts
                default -> rnd.nextDouble() * (rnd.nextBoolean() ? 1e-3 : 1e6); // sub-ms and huge
            };
        }
        return v;
    }

    private static double gaussian(SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    /** switchAt: the 1-based position of the value at which the partial went dense; -1 never. */
    private static byte[] partial(double[] values, int switchAt) {
        PartialSketch s = new PartialSketch();
        for (int i = 0; i < values.length; i++) {
            if (i + 1 == switchAt && i > 0) {
                s.dense();
            }
            s.accept(values[i]);
        }
        return s.encode();
    }

    /** The path PartialBuckets took before PartialSketch. */
    private static byte[] reference(double[] values, int switchAt) {
        DDSketch sketch = null;
        for (int i = 0; i < values.length; i++) {
            if (sketch == null) {
                sketch = DDSketches.sparse(QuantileSketches.RELATIVE_ACCURACY);
            } else if (i + 1 == switchAt) {
                DDSketch dense = QuantileSketches.empty();
                dense.mergeWith(sketch);
                sketch = dense;
            }
            sketch.accept(Math.max(0.0, values[i]));
        }
        return QuantileSketches.encode(sketch);
    }
}
