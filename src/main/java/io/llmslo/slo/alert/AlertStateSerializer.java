package io.llmslo.slo.alert;

import io.llmslo.detect.DetectorState;
import io.llmslo.serde.CompactSerializer;
import io.llmslo.serde.CompactTypeInfo;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link AlertState} with its {@link DetectorState} field by field: read and written at every
 * evaluation of every series with the sequential detector (a few dozen numbers), so not through
 * the reflective POJO serializer.
 */
public final class AlertStateSerializer extends CompactSerializer<AlertState> {

    private static final long serialVersionUID = 1L;
    public static final AlertStateSerializer INSTANCE = new AlertStateSerializer();

    @Override
    public AlertState createInstance() {
        return new AlertState();
    }

    @Override
    public AlertState copy(AlertState s) {
        AlertState c = new AlertState();
        c.open = s.open == null ? null : new LinkedHashMap<>(s.open);
        c.detector = copy(s.detector);
        return c;
    }

    private static DetectorState copy(DetectorState d) {
        if (d == null) {
            return null;
        }
        DetectorState c = new DetectorState();
        c.consumedN = d.consumedN;
        c.consumedGood = d.consumedGood;
        c.cusum = d.cusum == null ? null : d.cusum.clone();
        c.runN = d.runN == null ? null : d.runN.clone();
        c.runBad = d.runBad == null ? null : d.runBad.clone();
        c.runStart = d.runStart == null ? null : d.runStart.clone();
        c.lastStep = d.lastStep;
        c.recovery = d.recovery == null ? null : d.recovery.clone();
        c.incidentRate = d.incidentRate == null ? null : d.incidentRate.clone();
        c.incidentN = d.incidentN == null ? null : d.incidentN.clone();
        c.incidentBad = d.incidentBad == null ? null : d.incidentBad.clone();
        c.openedAt = d.openedAt == null ? null : d.openedAt.clone();
        return c;
    }

    @Override
    public void serialize(AlertState s, DataOutputView out) throws IOException {
        if (s.open == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(s.open.size());
            for (Map.Entry<String, Long> e : s.open.entrySet()) {
                writeString(e.getKey(), out);
                out.writeBoolean(e.getValue() != null);
                if (e.getValue() != null) {
                    out.writeLong(e.getValue());
                }
            }
        }
        DetectorState d = s.detector;
        out.writeBoolean(d != null);
        if (d == null) {
            return;
        }
        out.writeLong(d.consumedN);
        out.writeLong(d.consumedGood);
        writeDoubles(d.cusum, out);
        writeLongs(d.runN, out);
        writeLongs(d.runBad, out);
        writeLongs(d.runStart, out);
        out.writeLong(d.lastStep);
        writeDoubles(d.recovery, out);
        writeDoubles(d.incidentRate, out);
        writeLongs(d.incidentN, out);
        writeLongs(d.incidentBad, out);
        writeLongs(d.openedAt, out);
    }

    @Override
    public AlertState deserialize(DataInputView in) throws IOException {
        AlertState s = new AlertState();
        int n = in.readInt();
        if (n < 0) {
            s.open = null;
        } else {
            for (int i = 0; i < n; i++) {
                String k = readString(in);
                s.open.put(k, in.readBoolean() ? in.readLong() : null);
            }
        }
        if (!in.readBoolean()) {
            return s;
        }
        DetectorState d = new DetectorState();
        d.consumedN = in.readLong();
        d.consumedGood = in.readLong();
        d.cusum = readDoubles(in);
        d.runN = readLongs(in);
        d.runBad = readLongs(in);
        d.runStart = readLongs(in);
        d.lastStep = in.readLong();
        d.recovery = readDoubles(in);
        d.incidentRate = readDoubles(in);
        d.incidentN = readLongs(in);
        d.incidentBad = readLongs(in);
        d.openedAt = readLongs(in);
        s.detector = d;
        return s;
    }

    private static void writeLongs(long[] a, DataOutputView out) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a != null) {
            for (long v : a) {
                out.writeLong(v);
            }
        }
    }

    private static long[] readLongs(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readLong();
        }
        return a;
    }

    private static void writeDoubles(double[] a, DataOutputView out) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a != null) {
            for (double v : a) {
                out.writeDouble(v);
            }
        }
    }

    private static double[] readDoubles(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readDouble();
        }
        return a;
    }

    @Override
    public TypeSerializerSnapshot<AlertState> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<AlertState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    public static final class Info extends TypeInfoFactory<AlertState> {
        @Override
        public TypeInformation<AlertState> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return new CompactTypeInfo<>(AlertState.class, INSTANCE);
        }
    }
}
