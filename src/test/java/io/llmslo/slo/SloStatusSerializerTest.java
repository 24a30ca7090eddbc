package io.llmslo.slo;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.serde.CompactTypeInfo;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@link SloStatusSerializer}: Flink picks it for the status rows (not the POJO serializer), and
 * every record component survives a round trip — all set (each to a distinct value, by reflection
 * over the record's components, so a component added later is covered or fails here) and all
 * nullable ones null.
 */
class SloStatusSerializerTest {

    private static SloStatus roundTrip(SloStatus s) throws Exception {
        TypeInformation<SloStatus> info = TypeInformation.of(SloStatus.class);
        assertThat(info).isInstanceOf(CompactTypeInfo.class);
        TypeSerializer<SloStatus> ser = info.createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(64);
        ser.serialize(s, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        SloStatus back = ser.deserialize(in);
        assertThat(in.available()).as("every byte read").isZero();
        assertThat(ser.snapshotConfiguration().restoreSerializer()).isEqualTo(ser);
        return back;
    }

    /** A record with every component set to a value distinct from the others (nulls when {@code nulls}). */
    static <T extends Record> T build(Class<T> type, boolean nulls, int[] counter) throws Exception {
        RecordComponent[] cs = type.getRecordComponents();
        Object[] args = new Object[cs.length];
        Class<?>[] types = new Class<?>[cs.length];
        for (int i = 0; i < cs.length; i++) {
            Class<?> t = cs[i].getType();
            types[i] = t;
            int k = ++counter[0];
            if (t == long.class) {
                args[i] = 1_000L * k + 7;
            } else if (t == double.class) {
                args[i] = 0.25 * k;
            } else if (t == String.class) {
                args[i] = nulls ? null : "v" + k + "-ä";
            } else if (t == Double.class) {
                args[i] = nulls ? null : 0.125 * k;
            } else if (t == Long.class) {
                args[i] = nulls ? null : -3L * k;
            } else if (t == JudgeCorrection.Columns.class) {
                args[i] = nulls ? null : build(JudgeCorrection.Columns.class, false, counter);
            } else {
                throw new AssertionError("no test value for " + cs[i] + ": extend the serializer and this test");
            }
        }
        Constructor<T> c = type.getDeclaredConstructor(types);
        return c.newInstance(args);
    }

    @Test
    void everyComponentSurvivesARoundTrip() throws Exception {
        SloStatus full = build(SloStatus.class, false, new int[] {0});
        assertThat(full.judge()).isNotNull();
        assertThat(roundTrip(full)).isEqualTo(full);
    }

    @Test
    void nullColumnsStayNull() throws Exception {
        SloStatus sparse = build(SloStatus.class, true, new int[] {0});
        assertThat(sparse.judge()).isNull();
        assertThat(sparse.value()).isNull();
        assertThat(roundTrip(sparse)).isEqualTo(sparse);
        // a judge row whose optional columns are all null
        SloStatus judgeRow = sparse.withJudge(new JudgeCorrection.Columns(null, null, null, null, 5, 0, null, null, 0,
                JudgeCorrection.UNCALIBRATED));
        assertThat(roundTrip(judgeRow)).isEqualTo(judgeRow);
    }
}
