package io.llmslo.slo;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.join.RequestState;
import io.llmslo.ppi.PpiMoments;
import io.llmslo.serde.CompactTypeInfo;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The hand-written serializers of state values and shuffled records: Flink picks them (not the
 * POJO serializer), and every field survives a round trip, including fields added later (each
 * public field is set to a value different from its default by reflection).
 */
class SloSerializersTest {

    static <T> T roundTrip(Class<T> type, T value) throws Exception {
        TypeInformation<T> info = TypeInformation.of(type);
        assertThat(info).as(type.getName()).isInstanceOf(CompactTypeInfo.class);
        TypeSerializer<T> s = info.createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(value, out);
        T back = s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(s.copy(value)).usingRecursiveComparison().isEqualTo(value);
        // the snapshot restores the same serializer (savepoints)
        assertThat(s.snapshotConfiguration().restoreSerializer()).isEqualTo(s);
        return back;
    }

    /** Every public instance field set to a non-default value. */
    static <T> T filled(T o) throws Exception {
        int i = 3;
        for (Field f : o.getClass().getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            Class<?> t = f.getType();
            i++;
            if (t == long.class) {
                f.setLong(o, 1_000L * i + 7);
            } else if (t == int.class) {
                f.setInt(o, 17 * i);
            } else if (t == double.class) {
                f.setDouble(o, 0.25 * i);
            } else if (t == boolean.class) {
                f.setBoolean(o, true);
            } else if (t == byte[].class) {
                f.set(o, new byte[] {1, 2, (byte) i});
            } else if (t == String[].class) {
                f.set(o, new String[] {"chat", null, "de-DE" + i});
            } else if (t == io.llmslo.event.Envelope[].class) {
                f.set(o, new io.llmslo.event.Envelope[] {
                    io.llmslo.event.Envelope.of(new io.llmslo.event.FeedbackEvent("req_" + i, i, io.llmslo.event.Signal.ABANDON)),
                    io.llmslo.event.Envelope.of(new io.llmslo.event.RatingEvent("req_" + i, i, "r", "helpful", 2, 4, true))});
            } else if (t == long[].class) {
                f.set(o, new long[] {i, Long.MIN_VALUE, 42});
            } else if (t == double[].class) {
                f.set(o, new double[] {0.5 * i, 0});
            } else if (t == java.util.Map.class) {
                java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
                m.put("page", Long.MIN_VALUE);
                m.put("ticket", 1_000L * i);
                f.set(o, m);
            } else if (t == io.llmslo.detect.DetectorState.class) {
                f.set(o, filled(new io.llmslo.detect.DetectorState()));
            } else if (t == PpiMoments.class) {
                f.set(o, filled(new PpiMoments()));
            } else {
                throw new AssertionError("no test value for field " + f + ": extend the serializer and this test");
            }
        }
        return o;
    }

    @Test
    void bucketsWithAndWithoutSketchAndPairsSurvive() throws Exception {
        Bucket full = filled(new Bucket());
        assertThat(roundTrip(Bucket.class, full)).usingRecursiveComparison().isEqualTo(full);
        Bucket bare = new Bucket(5, 3, null);
        assertThat(roundTrip(Bucket.class, bare)).usingRecursiveComparison().isEqualTo(bare);
    }

    @Test
    void seriesProgressSurvives() throws Exception {
        SeriesProgress p = filled(new SeriesProgress());
        assertThat(roundTrip(SeriesProgress.class, p)).usingRecursiveComparison().isEqualTo(p);
        SeriesProgress fresh = new SeriesProgress();
        assertThat(roundTrip(SeriesProgress.class, fresh)).usingRecursiveComparison().isEqualTo(fresh);
    }

    @Test
    void requestStateSurvives() throws Exception {
        RequestState s = filled(new RequestState());
        assertThat(roundTrip(RequestState.class, s)).usingRecursiveComparison().isEqualTo(s);
        RequestState fresh = new RequestState();
        assertThat(roundTrip(RequestState.class, fresh)).usingRecursiveComparison().isEqualTo(fresh);
    }

    @Test
    void alertStateWithItsDetectorSurvives() throws Exception {
        io.llmslo.slo.alert.AlertState s = filled(new io.llmslo.slo.alert.AlertState());
        assertThat(roundTrip(io.llmslo.slo.alert.AlertState.class, s)).usingRecursiveComparison().isEqualTo(s);
        io.llmslo.slo.alert.AlertState fresh = new io.llmslo.slo.alert.AlertState();
        assertThat(roundTrip(io.llmslo.slo.alert.AlertState.class, fresh)).usingRecursiveComparison().isEqualTo(fresh);
    }

    @Test
    void partialBucketsSurviveAndTheirKeyIsRebuilt() throws Exception {
        PartialBucket p = new PartialBucket("latency.ttft_p95|surface=chat", "latency.ttft_p95", "surface=chat",
                120_000L, 4, 3, 119_999L, new byte[] {9, 8, 7}, filled(new PpiMoments()));
        assertThat(roundTrip(PartialBucket.class, p)).usingRecursiveComparison().isEqualTo(p);
        PartialBucket odd = new PartialBucket("other-key", "a", "b", 60_000L, 1, 0, 59_000L, null, null);
        assertThat(roundTrip(PartialBucket.class, odd)).usingRecursiveComparison().isEqualTo(odd);
        assertThat(PartialBucket.class.getRecordComponents()).as("a component added: serialize it too").hasSize(9);
    }

    @Test
    void partialBatchesSurviveWithEveryMinuteUnderTheBatchKey() throws Exception {
        String key = "latency.ttft_p95|surface=chat";
        PartialBatch b = new PartialBatch(key, "latency.ttft_p95", "surface=chat", java.util.List.of(
                new PartialBucket(key, "latency.ttft_p95", "surface=chat", 120_000L, 4, 3, 119_999L,
                        new byte[] {9, 8, 7}, filled(new PpiMoments())),
                new PartialBucket(key, "latency.ttft_p95", "surface=chat", 180_000L, 1, 0, 121_000L, null, null)));
        assertThat(roundTrip(PartialBatch.class, b)).usingRecursiveComparison().isEqualTo(b);
        PartialBatch odd = PartialBatch.of(new PartialBucket("other-key", "a", "b", 60_000L, 1, 0, 59_000L, null, null));
        assertThat(roundTrip(PartialBatch.class, odd)).usingRecursiveComparison().isEqualTo(odd);
        assertThat(PartialBatch.class.getRecordComponents()).as("a component added: serialize it too").hasSize(4);
    }
}
