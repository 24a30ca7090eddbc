package io.llmslo.join;

import io.llmslo.event.Envelope;
import io.llmslo.event.EventSerializers;
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
 * {@link RequestState} field by field: one flag byte for the three booleans and whether signals are held, the two instants,
 * the schema and the packed dimension values, raters and scored rubrics, and the signals held for
 * a response still to come. Read and written for most events the
 * joiner sees and kept {@code max_rating_delay} per request, so both its cost and its bytes count.
 */
public final class RequestStateSerializer extends CompactSerializer<RequestState> {

    private static final long serialVersionUID = 1L;
    public static final RequestStateSerializer INSTANCE = new RequestStateSerializer();

    @Override
    public RequestState createInstance() {
        return new RequestState();
    }

    @Override
    public RequestState copy(RequestState s) {
        RequestState c = new RequestState();
        c.responded = s.responded;
        c.ts = s.ts;
        c.success = s.success;
        c.dims = s.dims == null ? null : s.dims.clone();
        c.dimsSchema = s.dimsSchema;
        c.acceptanceDone = s.acceptanceDone;
        c.expiry = s.expiry;
        c.raters = s.raters == null ? null : s.raters.clone();
        c.scored = s.scored == null ? null : s.scored.clone();
        c.pending = s.pending == null ? null : s.pending.clone(); // envelopes are immutable records
        return c;
    }

    @Override
    public void serialize(RequestState s, DataOutputView out) throws IOException {
        out.writeByte((s.responded ? 1 : 0) | (s.success ? 2 : 0) | (s.acceptanceDone ? 4 : 0)
                | (s.pending != null ? 8 : 0));
        out.writeLong(s.ts);
        out.writeLong(s.expiry);
        out.writeInt(s.dimsSchema);
        writeStrings(s.dims, out);
        writeStrings(s.raters, out);
        writeStrings(s.scored, out);
        if (s.pending != null) {
            out.writeInt(s.pending.length);
            for (Envelope e : s.pending) {
                EventSerializers.EnvelopeSerializer.INSTANCE.serialize(e, out);
            }
        }
    }

    @Override
    public RequestState deserialize(DataInputView in) throws IOException {
        RequestState s = new RequestState();
        int flags = in.readByte();
        s.responded = (flags & 1) != 0;
        s.success = (flags & 2) != 0;
        s.acceptanceDone = (flags & 4) != 0;
        s.ts = in.readLong();
        s.expiry = in.readLong();
        s.dimsSchema = in.readInt();
        s.dims = readStrings(in);
        s.raters = readStrings(in);
        s.scored = readStrings(in);
        if ((flags & 8) != 0) {
            int n = in.readInt();
            s.pending = new Envelope[n];
            for (int i = 0; i < n; i++) {
                s.pending[i] = EventSerializers.EnvelopeSerializer.INSTANCE.deserialize(in);
            }
        }
        return s;
    }

    @Override
    public TypeSerializerSnapshot<RequestState> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RequestState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    public static final class Info extends TypeInfoFactory<RequestState> {
        @Override
        public TypeInformation<RequestState> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return new CompactTypeInfo<>(RequestState.class, INSTANCE);
        }
    }
}
