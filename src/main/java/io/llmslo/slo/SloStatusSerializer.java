package io.llmslo.slo;

import io.llmslo.serde.CompactSerializer;
import io.llmslo.serde.CompactTypeInfo;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Field-by-field serializer of {@link SloStatus}: every evaluation's row crosses the network from
 * the evaluators to the status and history sinks (4.5 M rows in the demo month, each twice), and
 * the reflective POJO serializer of a 25-component record with boxed columns was ~6 % of the
 * demo's CPU. Nullable columns carry a presence flag. {@code SloStatusSerializerTest} round-trips
 * every component, so a component added to the record without this serializer fails there (and
 * the canonical constructor call below stops compiling).
 */
public final class SloStatusSerializer extends CompactSerializer<SloStatus> {

    private static final long serialVersionUID = 1L;
    public static final SloStatusSerializer INSTANCE = new SloStatusSerializer();

    @Override
    public SloStatus createInstance() {
        return null;
    }

    @Override
    public boolean isImmutableType() {
        return true; // a record of immutable values
    }

    @Override
    public SloStatus copy(SloStatus from) {
        return from;
    }

    @Override
    public void serialize(SloStatus s, DataOutputView out) throws IOException {
        writeString(s.slo(), out);
        writeString(s.cohort(), out);
        out.writeLong(s.evalTime());
        writeString(s.window(), out);
        out.writeLong(s.n());
        out.writeLong(s.good());
        writeDouble(s.value(), out);
        out.writeDouble(s.target());
        writeDouble(s.ciLow(), out);
        writeDouble(s.ciHigh(), out);
        writeDouble(s.pValue(), out);
        writeString(s.status(), out);
        writeDouble(s.burn1h(), out);
        writeDouble(s.burn6h(), out);
        writeDouble(s.burn24h(), out);
        writeDouble(s.burn7d(), out);
        writeDouble(s.budgetRemaining(), out);
        writeString(s.alert(), out);
        writeDouble(s.quantileValue(), out);
        writeDouble(s.value7dAgo(), out);
        writeDouble(s.eValue(), out);
        writeDouble(s.eThreshold(), out);
        writeDouble(s.alphaAdjusted(), out);
        out.writeBoolean(s.detectedAt() != null);
        if (s.detectedAt() != null) {
            out.writeLong(s.detectedAt());
        }
        JudgeCorrection.Columns j = s.judge();
        out.writeBoolean(j != null);
        if (j != null) {
            writeDouble(j.corrected(), out);
            writeDouble(j.correctedLow(), out);
            writeDouble(j.correctedHigh(), out);
            writeDouble(j.lambda(), out);
            out.writeLong(j.judged());
            out.writeLong(j.pairs());
            writeString(j.scope(), out);
            writeDouble(j.agreement(), out);
            out.writeLong(j.calibrationPairs());
            writeString(j.gate(), out);
        }
    }

    @Override
    public SloStatus deserialize(DataInputView in) throws IOException {
        String slo = readString(in);
        String cohort = readString(in);
        long evalTime = in.readLong();
        String window = readString(in);
        long n = in.readLong();
        long good = in.readLong();
        Double value = readDouble(in);
        double target = in.readDouble();
        Double ciLow = readDouble(in);
        Double ciHigh = readDouble(in);
        Double pValue = readDouble(in);
        String status = readString(in);
        Double burn1h = readDouble(in);
        Double burn6h = readDouble(in);
        Double burn24h = readDouble(in);
        Double burn7d = readDouble(in);
        Double budgetRemaining = readDouble(in);
        String alert = readString(in);
        Double quantileValue = readDouble(in);
        Double value7dAgo = readDouble(in);
        Double eValue = readDouble(in);
        Double eThreshold = readDouble(in);
        Double alphaAdjusted = readDouble(in);
        Long detectedAt = in.readBoolean() ? in.readLong() : null;
        JudgeCorrection.Columns judge = null;
        if (in.readBoolean()) {
            judge = new JudgeCorrection.Columns(readDouble(in), readDouble(in), readDouble(in), readDouble(in),
                    in.readLong(), in.readLong(), readString(in), readDouble(in), in.readLong(), readString(in));
        }
        return new SloStatus(slo, cohort, evalTime, window, n, good, value, target, ciLow, ciHigh, pValue, status,
                burn1h, burn6h, burn24h, burn7d, budgetRemaining, alert, quantileValue, value7dAgo, eValue, eThreshold,
                alphaAdjusted, detectedAt, judge);
    }

    private static void writeDouble(Double d, DataOutputView out) throws IOException {
        out.writeBoolean(d != null);
        if (d != null) {
            out.writeDouble(d);
        }
    }

    private static Double readDouble(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readDouble() : null;
    }

    @Override
    public TypeSerializerSnapshot<SloStatus> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SloStatus> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    public static final class Info extends TypeInfoFactory<SloStatus> {
        @Override
        public TypeInformation<SloStatus> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return new CompactTypeInfo<>(SloStatus.class, INSTANCE);
        }
    }
}
