package io.llmslo.event;

import io.llmslo.serde.CompactSerializer;
import io.llmslo.serde.CompactTypeInfo;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Field-by-field serializers of the parsed events: every event crosses the source's edge and the
 * {@code keyBy} to the request joiner as an {@link Envelope}, and held signals wait in the
 * joiner's state. Flink's POJO serializer for these records (one reflective accessor, null flag and
 * nested serializer per field, map and list serializers for the response's collections) was a
 * visible share of the joiner's CPU on dense traffic. {@code EventSerializersTest} round-trips
 * every record component, so a component added without its serializer fails there.
 *
 * <p>Collections come back as {@link HashMap} and {@link ArrayList}, as Flink's map and list
 * serializers return them; null values, elements and boxed numbers survive.
 */
public final class EventSerializers {

    private EventSerializers() {}

    /** {@link Envelope}: kind, id, time, then the one payload that is set (any of them, in fact). */
    public static final class EnvelopeSerializer extends CompactSerializer<Envelope> {
        private static final long serialVersionUID = 1L;
        public static final EnvelopeSerializer INSTANCE = new EnvelopeSerializer();

        @Override
        public Envelope createInstance() {
            return new Envelope(null, null, 0, null, null, null, null, null);
        }

        @Override
        public Envelope copy(Envelope e) {
            // records are immutable but the response's collections are not
            return new Envelope(e.kind(), e.requestId(), e.ts(),
                    e.response() == null ? null : ResponseEventSerializer.INSTANCE.copy(e.response()),
                    e.feedback(), e.rating(), e.score(), e.deadLetter());
        }

        @Override
        public void serialize(Envelope e, DataOutputView out) throws IOException {
            writeEnum(e.kind(), out);
            writeString(e.requestId(), out);
            out.writeLong(e.ts());
            out.writeByte((e.response() != null ? 1 : 0) | (e.feedback() != null ? 2 : 0)
                    | (e.rating() != null ? 4 : 0) | (e.score() != null ? 8 : 0) | (e.deadLetter() != null ? 16 : 0));
            if (e.response() != null) {
                ResponseEventSerializer.INSTANCE.serialize(e.response(), out);
            }
            if (e.feedback() != null) {
                writeFeedback(e.feedback(), out);
            }
            if (e.rating() != null) {
                writeRating(e.rating(), out);
            }
            if (e.score() != null) {
                writeScore(e.score(), out);
            }
            if (e.deadLetter() != null) {
                writeDeadLetter(e.deadLetter(), out);
            }
        }

        @Override
        public Envelope deserialize(DataInputView in) throws IOException {
            EventKind kind = readEnum(EventKind.values(), in);
            String id = readString(in);
            long ts = in.readLong();
            int present = in.readByte();
            ResponseEvent r = (present & 1) != 0 ? ResponseEventSerializer.INSTANCE.deserialize(in) : null;
            FeedbackEvent f = (present & 2) != 0 ? readFeedback(in) : null;
            RatingEvent rating = (present & 4) != 0 ? readRating(in) : null;
            JudgeScoreEvent s = (present & 8) != 0 ? readScore(in) : null;
            DeadLetter d = (present & 16) != 0 ? readDeadLetter(in) : null;
            return new Envelope(kind, id, ts, r, f, rating, s, d);
        }

        @Override
        public TypeSerializerSnapshot<Envelope> snapshotConfiguration() {
            return new EnvelopeSnapshot();
        }
    }

    public static final class EnvelopeSnapshot extends SimpleTypeSerializerSnapshot<Envelope> {
        public EnvelopeSnapshot() {
            super(() -> EnvelopeSerializer.INSTANCE);
        }
    }

    public static final class EnvelopeInfo extends TypeInfoFactory<Envelope> {
        @Override
        public TypeInformation<Envelope> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return new CompactTypeInfo<>(Envelope.class, EnvelopeSerializer.INSTANCE);
        }
    }

    /** {@link ResponseEvent}, text included (only responses the judge may read still carry it). */
    public static final class ResponseEventSerializer extends CompactSerializer<ResponseEvent> {
        private static final long serialVersionUID = 1L;
        public static final ResponseEventSerializer INSTANCE = new ResponseEventSerializer();

        @Override
        public ResponseEvent createInstance() {
            return new ResponseEvent(null, 0, null, null, null, null, false, null, false, null, null, null, null,
                    null, null, null, null, null, null, null);
        }

        @Override
        public ResponseEvent copy(ResponseEvent r) {
            Failover f = r.failover();
            return new ResponseEvent(r.requestId(), r.ts(), r.surface(), r.model(), r.provider(),
                    r.cohort() == null ? null : new HashMap<>(r.cohort()), r.streaming(), r.outcome(), r.refused(),
                    r.ttftMs(), r.totalMs(), r.turns(), r.turnMs() == null ? null : new ArrayList<>(r.turnMs()),
                    r.inputTokens(), r.outputTokens(), r.costUsd(),
                    f == null ? null : new Failover(f.used(), f.ms(),
                            f.providers() == null ? null : new ArrayList<>(f.providers())),
                    r.attempts() == null ? null : new ArrayList<>(r.attempts()), r.prompt(), r.response());
        }

        @Override
        public void serialize(ResponseEvent r, DataOutputView out) throws IOException {
            writeString(r.requestId(), out);
            out.writeLong(r.ts());
            writeString(r.surface(), out);
            writeString(r.model(), out);
            writeString(r.provider(), out);
            writeStringMap(r.cohort(), out);
            out.writeByte((r.streaming() ? 1 : 0) | (r.refused() ? 2 : 0));
            writeEnum(r.outcome(), out);
            writeDouble(r.ttftMs(), out);
            writeDouble(r.totalMs(), out);
            out.writeBoolean(r.turns() != null);
            if (r.turns() != null) {
                out.writeInt(r.turns());
            }
            writeDoubles(r.turnMs(), out);
            writeLong(r.inputTokens(), out);
            writeLong(r.outputTokens(), out);
            writeDouble(r.costUsd(), out);
            Failover f = r.failover();
            out.writeBoolean(f != null);
            if (f != null) {
                out.writeBoolean(f.used());
                writeDouble(f.ms(), out);
                writeStringList(f.providers(), out);
            }
            List<Attempt> attempts = r.attempts();
            out.writeInt(attempts == null ? -1 : attempts.size());
            if (attempts != null) {
                for (Attempt a : attempts) {
                    out.writeBoolean(a != null);
                    if (a != null) {
                        writeString(a.provider(), out);
                        writeString(a.outcome(), out);
                        writeDouble(a.ms(), out);
                    }
                }
            }
            writeString(r.prompt(), out);
            writeString(r.response(), out);
        }

        @Override
        public ResponseEvent deserialize(DataInputView in) throws IOException {
            String id = readString(in);
            long ts = in.readLong();
            String surface = readString(in);
            String model = readString(in);
            String provider = readString(in);
            Map<String, String> cohort = readStringMap(in);
            int flags = in.readByte();
            Outcome outcome = readEnum(Outcome.values(), in);
            Double ttft = readDouble(in);
            Double total = readDouble(in);
            Integer turns = in.readBoolean() ? in.readInt() : null;
            List<Double> turnMs = readDoubles(in);
            Long inputTokens = readLong(in);
            Long outputTokens = readLong(in);
            Double cost = readDouble(in);
            Failover failover = null;
            if (in.readBoolean()) {
                boolean used = in.readBoolean();
                Double ms = readDouble(in);
                failover = new Failover(used, ms, readStringList(in));
            }
            int n = in.readInt();
            List<Attempt> attempts = null;
            if (n >= 0) {
                attempts = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    attempts.add(in.readBoolean() ? new Attempt(readString(in), readString(in), readDouble(in)) : null);
                }
            }
            return new ResponseEvent(id, ts, surface, model, provider, cohort, (flags & 1) != 0, outcome,
                    (flags & 2) != 0, ttft, total, turns, turnMs, inputTokens, outputTokens, cost, failover, attempts,
                    readString(in), readString(in));
        }

        @Override
        public TypeSerializerSnapshot<ResponseEvent> snapshotConfiguration() {
            return new ResponseEventSnapshot();
        }
    }

    public static final class ResponseEventSnapshot extends SimpleTypeSerializerSnapshot<ResponseEvent> {
        public ResponseEventSnapshot() {
            super(() -> ResponseEventSerializer.INSTANCE);
        }
    }

    public static final class ResponseEventInfo extends TypeInfoFactory<ResponseEvent> {
        @Override
        public TypeInformation<ResponseEvent> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return new CompactTypeInfo<>(ResponseEvent.class, ResponseEventSerializer.INSTANCE);
        }
    }

    static void writeFeedback(FeedbackEvent f, DataOutputView out) throws IOException {
        writeString(f.requestId(), out);
        out.writeLong(f.ts());
        writeEnum(f.signal(), out);
    }

    static FeedbackEvent readFeedback(DataInputView in) throws IOException {
        return new FeedbackEvent(readString(in), in.readLong(), readEnum(Signal.values(), in));
    }

    static void writeRating(RatingEvent r, DataOutputView out) throws IOException {
        writeString(r.requestId(), out);
        out.writeLong(r.ts());
        writeString(r.raterId(), out);
        writeString(r.rubric(), out);
        out.writeBoolean(r.rubricVersion() != null);
        if (r.rubricVersion() != null) {
            out.writeInt(r.rubricVersion());
        }
        out.writeInt(r.score());
        out.writeBoolean(r.useful());
    }

    static RatingEvent readRating(DataInputView in) throws IOException {
        String id = readString(in);
        long ts = in.readLong();
        String rater = readString(in);
        String rubric = readString(in);
        Integer version = in.readBoolean() ? in.readInt() : null;
        return new RatingEvent(id, ts, rater, rubric, version, in.readInt(), in.readBoolean());
    }

    static void writeScore(JudgeScoreEvent s, DataOutputView out) throws IOException {
        writeString(s.requestId(), out);
        out.writeLong(s.ts());
        writeString(s.rubric(), out);
        out.writeInt(s.rubricVersion());
        out.writeInt(s.passThreshold());
        writeString(s.judgeModel(), out);
        out.writeBoolean(s.score() != null);
        if (s.score() != null) {
            out.writeInt(s.score());
        }
        writeString(s.error(), out);
        writeString(s.reason(), out);
        out.writeLong(s.latencyMs());
        out.writeLong(s.inputTokens());
        out.writeLong(s.outputTokens());
    }

    static JudgeScoreEvent readScore(DataInputView in) throws IOException {
        String id = readString(in);
        long ts = in.readLong();
        String rubric = readString(in);
        int version = in.readInt();
        int pass = in.readInt();
        String model = readString(in);
        Integer score = in.readBoolean() ? in.readInt() : null;
        return new JudgeScoreEvent(id, ts, rubric, version, pass, model, score, readString(in), readString(in),
                in.readLong(), in.readLong(), in.readLong());
    }

    static void writeDeadLetter(DeadLetter d, DataOutputView out) throws IOException {
        writeString(d.source(), out);
        writeLong(d.eventTime(), out);
        writeString(d.reason(), out);
        writeString(d.payload(), out);
        writeString(d.key(), out);
        out.writeLong(d.count());
    }

    static DeadLetter readDeadLetter(DataInputView in) throws IOException {
        return new DeadLetter(readString(in), readLong(in), readString(in), readString(in), readString(in),
                in.readLong());
    }

    private static String readString(DataInputView in) throws IOException {
        return CompactSerializer.readString(in);
    }

    private static void writeString(String s, DataOutputView out) throws IOException {
        CompactSerializer.writeString(s, out);
    }

    static void writeEnum(Enum<?> e, DataOutputView out) throws IOException {
        out.writeByte(e == null ? -1 : e.ordinal());
    }

    static <E extends Enum<E>> E readEnum(E[] values, DataInputView in) throws IOException {
        int i = in.readByte();
        return i < 0 ? null : values[i];
    }

    static void writeDouble(Double d, DataOutputView out) throws IOException {
        out.writeBoolean(d != null);
        if (d != null) {
            out.writeDouble(d);
        }
    }

    static Double readDouble(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readDouble() : null;
    }

    static void writeLong(Long l, DataOutputView out) throws IOException {
        out.writeBoolean(l != null);
        if (l != null) {
            out.writeLong(l);
        }
    }

    static Long readLong(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }

    static void writeDoubles(List<Double> l, DataOutputView out) throws IOException {
        out.writeInt(l == null ? -1 : l.size());
        if (l != null) {
            for (Double d : l) {
                writeDouble(d, out);
            }
        }
    }

    static List<Double> readDoubles(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        List<Double> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(readDouble(in));
        }
        return l;
    }

    static void writeStringList(List<String> l, DataOutputView out) throws IOException {
        out.writeInt(l == null ? -1 : l.size());
        if (l != null) {
            for (String s : l) {
                writeString(s, out);
            }
        }
    }

    static List<String> readStringList(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        List<String> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(readString(in));
        }
        return l;
    }

    static void writeStringMap(Map<String, String> m, DataOutputView out) throws IOException {
        out.writeInt(m == null ? -1 : m.size());
        if (m != null) {
            for (Map.Entry<String, String> e : m.entrySet()) {
                writeString(e.getKey(), out);
                writeString(e.getValue(), out);
            }
        }
    }

    static Map<String, String> readStringMap(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        Map<String, String> m = org.apache.flink.util.CollectionUtil.newHashMapWithExpectedSize(n); // as MapSerializer
        for (int i = 0; i < n; i++) {
            m.put(readString(in), readString(in));
        }
        return m;
    }
}
