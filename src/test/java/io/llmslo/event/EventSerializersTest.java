package io.llmslo.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.serde.CompactTypeInfo;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The hand-written serializers of the parsed events: Flink picks them for {@link Envelope} and
 * {@link ResponseEvent} (not the POJO serializer), and every record component survives a round
 * trip, set or null, including components added later (values are built from the components by
 * reflection; an unknown component type fails here until the serializer and this test know it).
 */
class EventSerializersTest {

    static <T> T roundTrip(Class<T> type, T value) throws Exception {
        TypeInformation<T> info = TypeInformation.of(type);
        assertThat(info).as(type.getName()).isInstanceOf(CompactTypeInfo.class);
        TypeSerializer<T> s = info.createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(value, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        T back = s.deserialize(in);
        assertThat(in.available()).as("every byte read").isZero();
        assertThat(s.copy(value)).isEqualTo(value);
        assertThat(s.snapshotConfiguration().restoreSerializer()).isEqualTo(s);
        return back;
    }

    /** A record with every component set to a non-default value ({@code nulls}: every nullable one null). */
    static Object build(Class<?> type, Type generic, int seed, boolean nulls) throws Exception {
        if (type == String.class) {
            return nulls ? null : "v" + seed + "-é";
        }
        if (type == long.class) {
            return 1_000L * seed + 7;
        }
        if (type == Long.class) {
            return nulls ? null : Long.MIN_VALUE + seed;
        }
        if (type == int.class) {
            return 17 * seed;
        }
        if (type == Integer.class) {
            return nulls ? null : -3 * seed;
        }
        if (type == Double.class) {
            return nulls ? null : 0.25 * seed;
        }
        if (type == boolean.class) {
            return true;
        }
        if (type.isEnum()) {
            Object[] values = type.getEnumConstants();
            return nulls ? null : values[seed % values.length];
        }
        if (type == Map.class) {
            if (nulls) {
                return null;
            }
            Map<String, String> m = new HashMap<>();
            m.put("region", "eu-" + seed);
            m.put("tenant", null);
            return m;
        }
        if (type == List.class) {
            if (nulls) {
                return null;
            }
            Type element = ((ParameterizedType) generic).getActualTypeArguments()[0];
            List<Object> l = new ArrayList<>();
            l.add(build((Class<?>) element, element, seed + 1, false));
            l.add(null);
            l.add(build((Class<?>) element, element, seed + 2, true));
            return l;
        }
        if (type.isRecord()) {
            if (nulls && type != Envelope.class && type != ResponseEvent.class) {
                return null;
            }
            RecordComponent[] cs = type.getRecordComponents();
            Object[] args = new Object[cs.length];
            for (int i = 0; i < cs.length; i++) {
                args[i] = build(cs[i].getType(), cs[i].getGenericType(), seed + i, nulls);
            }
            Constructor<?> c = type.getDeclaredConstructor(Arrays.stream(cs).map(RecordComponent::getType)
                    .toArray(Class<?>[]::new));
            return c.newInstance(args);
        }
        throw new AssertionError("no test value for " + generic + ": extend the serializer and this test");
    }

    @Test
    void everyComponentOfAnEnvelopeAndItsEventsSurvives() throws Exception {
        Envelope full = (Envelope) build(Envelope.class, Envelope.class, 3, false);
        assertThat(full.response().attempts()).hasSize(3);
        assertThat(roundTrip(Envelope.class, full)).isEqualTo(full);
        Envelope bare = (Envelope) build(Envelope.class, Envelope.class, 4, true);
        assertThat(bare.response()).isNotNull();
        assertThat(roundTrip(Envelope.class, bare)).isEqualTo(bare);
        ResponseEvent r = (ResponseEvent) build(ResponseEvent.class, ResponseEvent.class, 5, false);
        assertThat(roundTrip(ResponseEvent.class, r)).isEqualTo(r);
    }

    @Test
    void theEnvelopesTheJobMakesSurvive() throws Exception {
        ResponseEvent r = (ResponseEvent) build(ResponseEvent.class, ResponseEvent.class, 6, false);
        for (Envelope e : List.of(Envelope.of(r), Envelope.of(new FeedbackEvent("req_1", 5L, Signal.ABANDON)),
                Envelope.of(new RatingEvent("req_1", 6L, "rater", "helpful", null, 4, true)),
                Envelope.of(new JudgeScoreEvent("req_1", 7L, null, 0, 0, null, null, "no_rubric", null, 0, 0, 0)),
                Envelope.dead(EventKind.RATING, DeadLetter.of("ratings", null, "bad json", "{")))) {
            assertThat(roundTrip(Envelope.class, e)).isEqualTo(e);
        }
    }
}
