package io.llmslo.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.store.SparseStore;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link SketchBins} against the DDSketch library paths it replaces (the independent source is the
 * library itself): the same merged bytes, hour bytes, quantiles and counts above a threshold, for
 * seeded random sketches in every encoding this job writes (partials sparse and dense, merged
 * minutes, hours).
 */
class SketchBinsTest {

    private static final double[] QUANTILES = {0, 0.01, 0.5, 0.95, 0.99, 1};

    @Test
    void aMergeOfTwoSketchesIsTheBytesOfTheSparseStoreMerge() {
        SplittableRandom rnd = new SplittableRandom(91);
        for (int i = 0; i < 3000; i++) {
            byte[] a = sketch(rnd);
            byte[] b = sketch(rnd);
            assertThat(SketchBins.merge(a, b)).as("pair %d", i).isEqualTo(libraryMerge(a, b));
            // merged minutes merge again (a third subtask's partial)
            byte[] c = sketch(rnd);
            assertThat(SketchBins.merge(SketchBins.merge(a, b), c)).isEqualTo(libraryMerge(libraryMerge(a, b), c));
        }
        byte[] a = sketch(rnd);
        assertThat(SketchBins.merge(a, null)).isSameAs(a);
        assertThat(SketchBins.merge(null, a)).isSameAs(a);
        assertThat(SketchBins.merge(null, null)).isNull();
    }

    @Test
    void binsOfManySketchesEncodeAndAnswerQuantilesAsTheDenseDdSketch() {
        SplittableRandom rnd = new SplittableRandom(92);
        SketchBins bins = new SketchBins();
        for (int round = 0; round < 600; round++) {
            bins.clear();
            DDSketch ref = QuantileSketches.empty();
            int parts = 1 + rnd.nextInt(60);
            for (int i = 0; i < parts; i++) {
                byte[] s = rnd.nextInt(10) == 0 ? null : sketch(rnd);
                bins.add(s);
                mergeInto(ref, s);
            }
            assertThat(bins.encode()).as("round %d", round).isEqualTo(QuantileSketches.encode(ref));
            assertThat(bins.count()).isEqualTo(ref.getCount());
            for (double q : QUANTILES) {
                assertThat(bins.quantile(q)).isEqualTo(ref.getCount() > 0 ? ref.getValueAtQuantile(q) : null);
            }
            // an hour's bytes read back (the next window's merge)
            assertThat(new SketchBins().add(bins.encode()).encode()).isEqualTo(QuantileSketches.encode(ref));
        }
    }

    @Test
    void theQuantileOfTwoBinsIsTheQuantileOfTheirMerge() {
        SplittableRandom rnd = new SplittableRandom(93);
        for (int round = 0; round < 1000; round++) {
            SketchBins a = new SketchBins();
            SketchBins b = new SketchBins();
            DDSketch ref = QuantileSketches.empty();
            for (int i = rnd.nextInt(8); i > 0; i--) {
                byte[] s = sketch(rnd);
                a.add(s);
                mergeInto(ref, s);
            }
            for (int i = rnd.nextInt(4); i > 0; i--) {
                byte[] s = sketch(rnd);
                b.add(s);
                mergeInto(ref, s);
            }
            for (double q : QUANTILES) {
                Double expected = ref.getCount() > 0 ? ref.getValueAtQuantile(q) : null;
                assertThat(SketchBins.quantile(q, a, b)).as("round %d q %s", round, q).isEqualTo(expected);
                assertThat(SketchBins.quantile(q, b, a)).isEqualTo(expected);
            }
            SketchBins sum = new SketchBins().add(a).add(b);
            assertThat(sum.encode()).isEqualTo(QuantileSketches.encode(ref));
        }
    }

    /** A 24-hour window moved on an hour at a time: add the new hour, subtract the one that left. */
    @Test
    void aWindowMovedOnByAddingAndSubtractingHoursEqualsItsRebuild() {
        SplittableRandom rnd = new SplittableRandom(94);
        List<byte[]> hours = new ArrayList<>();
        for (int h = 0; h < 24 * 6; h++) {
            hours.add(rnd.nextInt(6) == 0 ? null : hour(rnd));
        }
        SketchBins moving = new SketchBins();
        for (int h = 0; h < 24; h++) {
            moving.add(hours.get(h));
        }
        for (int end = 24; end < hours.size(); end++) {
            moving.add(hours.get(end)).subtract(hours.get(end - 24));
            DDSketch ref = QuantileSketches.empty();
            for (int h = end - 23; h <= end; h++) {
                mergeInto(ref, hours.get(h));
            }
            assertThat(moving.count()).isEqualTo(ref.getCount());
            for (double q : QUANTILES) {
                assertThat(moving.quantile(q)).as("end %d q %s", end, q)
                        .isEqualTo(ref.getCount() > 0 ? ref.getValueAtQuantile(q) : null);
            }
            assertThat(moving.encode()).isEqualTo(QuantileSketches.encode(ref));
        }
    }

    @Test
    void countsAboveAThresholdAsTheDecodedSketch() {
        SplittableRandom rnd = new SplittableRandom(95);
        for (int i = 0; i < 3000; i++) {
            byte[] s = rnd.nextBoolean() ? sketch(rnd) : hour(rnd);
            double threshold = Math.exp(12 * rnd.nextDouble() - 4);
            assertThat(SketchBins.countAbove(s, threshold)).isEqualTo(libraryCountAbove(s, threshold));
        }
        assertThat(SketchBins.countAbove(null, 1)).containsExactly(0, 0);
        for (int index = -5000; index <= 5000; index++) {
            assertThat(SketchBins.valueOf(index)).isEqualTo(SketchBins.MAPPING.value(index));
        }
    }

    @Test
    void aSketchOfAnotherMappingIsRejectedAsDdSketchRejectsItsMerge() {
        byte[] other = QuantileSketches.encode(sparseOf(DDSketches.unboundedDense(0.02), 5.0));
        assertThatThrownBy(() -> new SketchBins().add(other)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QuantileSketches.mergeInto(QuantileSketches.empty(), other))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] truncated = java.util.Arrays.copyOf(sketch(new SplittableRandom(1)), 20);
        assertThatThrownBy(() -> new SketchBins().add(truncated)).isInstanceOf(java.io.UncheckedIOException.class);
    }

    private static DDSketch sparseOf(DDSketch s, double v) {
        s.accept(v);
        return s;
    }

    /** A minute's sketch as this job writes it: a partial (sparse, or dense) or merged partials. */
    static byte[] sketch(SplittableRandom rnd) {
        int shape = rnd.nextInt(4);
        int size = rnd.nextInt(5) == 0 ? 1 + rnd.nextInt(400) : 1 + rnd.nextInt(12);
        PartialSketch p = new PartialSketch();
        if (size >= 64 && rnd.nextBoolean()) {
            p.dense();
        }
        for (int i = 0; i < size; i++) {
            p.accept(value(rnd, shape));
        }
        byte[] bytes = p.encode();
        if (rnd.nextInt(3) == 0) {
            // a minute bucket holding two subtasks' partials
            PartialSketch q = new PartialSketch();
            q.accept(value(rnd, shape));
            bytes = libraryMerge(bytes, q.encode());
        }
        return bytes;
    }

    /** An hour's sketch as closeHours wrote it: the dense DDSketch of its minutes. */
    static byte[] hour(SplittableRandom rnd) {
        DDSketch h = QuantileSketches.empty();
        for (int m = 1 + rnd.nextInt(60); m > 0; m--) {
            mergeInto(h, sketch(rnd));
        }
        return QuantileSketches.encode(h);
    }

    private static double value(SplittableRandom rnd, int shape) {
        return switch (shape) {
            case 0 -> Math.exp(6 + 1.2 * Math.sqrt(-2 * Math.log(1 - rnd.nextDouble()))
                    * Math.cos(2 * Math.PI * rnd.nextDouble()));
            case 1 -> rnd.nextInt(5) == 0 ? 0.0 : Math.exp(10 * rnd.nextDouble());
            case 2 -> 200 + rnd.nextInt(3);
            default -> rnd.nextDouble() * (rnd.nextBoolean() ? 1e-3 : 1e6);
        };
    }

    private static void mergeInto(DDSketch target, byte[] bytes) {
        if (bytes == null) {
            return;
        }
        try {
            target.decodeAndMergeWith(ByteArrayInput.wrap(bytes));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** QuantileSketches.merge before SketchBins. */
    private static byte[] libraryMerge(byte[] a, byte[] b) {
        try {
            DDSketch s = DDSketch.decode(ByteArrayInput.wrap(a), SparseStore::new);
            s.decodeAndMergeWith(ByteArrayInput.wrap(b));
            return QuantileSketches.encode(s);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** QuantileSketches.countAbove before SketchBins. */
    private static long[] libraryCountAbove(byte[] bytes, double threshold) {
        DDSketch s;
        try {
            s = DDSketch.decode(ByteArrayInput.wrap(bytes), UnboundedSizeDenseStore::new);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        long[] out = {0, Math.round(s.getCount())};
        s.getPositiveValueStore().forEach((index, count) -> {
            if (s.getIndexMapping().value(index) > threshold) {
                out[0] += Math.round(count);
            }
        });
        return out;
    }
}
