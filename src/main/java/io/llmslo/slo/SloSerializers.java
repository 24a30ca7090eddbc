package io.llmslo.slo;

import io.llmslo.ppi.PpiMoments;
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
 * Field-by-field serializers of the evaluator's state values ({@link Bucket}, {@link
 * SeriesProgress}) and of the records the cohort partials shuffle ({@link PartialBatch} of {@link PartialBucket}s): every
 * evaluation reads and writes several buckets, and with RocksDB each one was a reflective POJO
 * (de)serialization. {@code SloSerializersTest} round-trips every field, so a field added to one
 * of these classes without its serializer fails there.
 */
public final class SloSerializers {

    private SloSerializers() {}

    static void writeMoments(PpiMoments m, DataOutputView out) throws IOException {
        out.writeBoolean(m != null);
        if (m == null) {
            return;
        }
        out.writeLong(m.judged);
        out.writeLong(m.judgedHigh);
        out.writeLong(m.pairs);
        out.writeDouble(m.sw);
        out.writeDouble(m.sw2);
        out.writeDouble(m.swY);
        out.writeDouble(m.swH);
        out.writeDouble(m.sw2Y);
        out.writeDouble(m.sw2H);
        out.writeDouble(m.sw2YH);
        out.writeDouble(m.swYH);
    }

    static PpiMoments readMoments(DataInputView in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        PpiMoments m = new PpiMoments();
        m.judged = in.readLong();
        m.judgedHigh = in.readLong();
        m.pairs = in.readLong();
        m.sw = in.readDouble();
        m.sw2 = in.readDouble();
        m.swY = in.readDouble();
        m.swH = in.readDouble();
        m.sw2Y = in.readDouble();
        m.sw2H = in.readDouble();
        m.sw2YH = in.readDouble();
        m.swYH = in.readDouble();
        return m;
    }

    /** {@link Bucket}: n, good, sketch bytes, pair sums, minute mask. */
    public static final class BucketSerializer extends CompactSerializer<Bucket> {
        private static final long serialVersionUID = 1L;
        public static final BucketSerializer INSTANCE = new BucketSerializer();

        @Override
        public Bucket createInstance() {
            return new Bucket();
        }

        @Override
        public Bucket copy(Bucket b) {
            Bucket c = new Bucket(b.n, b.good, b.sketch == null ? null : b.sketch.clone());
            c.pairs = b.pairs == null ? null : b.pairs.copy();
            c.minutes = b.minutes;
            return c;
        }

        @Override
        public void serialize(Bucket b, DataOutputView out) throws IOException {
            out.writeLong(b.n);
            out.writeLong(b.good);
            writeBytes(b.sketch, out);
            writeMoments(b.pairs, out);
            out.writeLong(b.minutes);
        }

        @Override
        public Bucket deserialize(DataInputView in) throws IOException {
            Bucket b = new Bucket(in.readLong(), in.readLong(), readBytes(in));
            b.pairs = readMoments(in);
            b.minutes = in.readLong();
            return b;
        }

        @Override
        public TypeSerializerSnapshot<Bucket> snapshotConfiguration() {
            return new BucketSnapshot();
        }
    }

    public static final class BucketSnapshot extends SimpleTypeSerializerSnapshot<Bucket> {
        public BucketSnapshot() {
            super(() -> BucketSerializer.INSTANCE);
        }
    }

    public static final class BucketInfo extends TypeInfoFactory<Bucket> {
        @Override
        public TypeInformation<Bucket> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return new CompactTypeInfo<>(Bucket.class, BucketSerializer.INSTANCE);
        }
    }

    /** {@link SeriesProgress}: its instants. */
    public static final class ProgressSerializer extends CompactSerializer<SeriesProgress> {
        private static final long serialVersionUID = 1L;
        public static final ProgressSerializer INSTANCE = new ProgressSerializer();

        @Override
        public SeriesProgress createInstance() {
            return new SeriesProgress();
        }

        @Override
        public SeriesProgress copy(SeriesProgress p) {
            SeriesProgress c = new SeriesProgress();
            c.firstEval = p.firstEval;
            c.lastEval = p.lastEval;
            c.prunedAt = p.prunedAt;
            c.sketchedTo = p.sketchedTo;
            c.maxT = p.maxT;
            c.dataTo = p.dataTo;
            c.addedTo = p.addedTo;
            c.nextEval = p.nextEval;
            c.cleanupAt = p.cleanupAt;
            return c;
        }

        @Override
        public void serialize(SeriesProgress p, DataOutputView out) throws IOException {
            out.writeLong(p.firstEval);
            out.writeLong(p.lastEval);
            out.writeLong(p.prunedAt);
            out.writeLong(p.sketchedTo);
            out.writeLong(p.maxT);
            out.writeLong(p.dataTo);
            out.writeLong(p.addedTo);
            out.writeLong(p.nextEval);
            out.writeLong(p.cleanupAt);
        }

        @Override
        public SeriesProgress deserialize(DataInputView in) throws IOException {
            SeriesProgress p = new SeriesProgress();
            p.firstEval = in.readLong();
            p.lastEval = in.readLong();
            p.prunedAt = in.readLong();
            p.sketchedTo = in.readLong();
            p.maxT = in.readLong();
            p.dataTo = in.readLong();
            p.addedTo = in.readLong();
            p.nextEval = in.readLong();
            p.cleanupAt = in.readLong();
            return p;
        }

        @Override
        public TypeSerializerSnapshot<SeriesProgress> snapshotConfiguration() {
            return new ProgressSnapshot();
        }
    }

    public static final class ProgressSnapshot extends SimpleTypeSerializerSnapshot<SeriesProgress> {
        public ProgressSnapshot() {
            super(() -> ProgressSerializer.INSTANCE);
        }
    }

    public static final class ProgressInfo extends TypeInfoFactory<SeriesProgress> {
        @Override
        public TypeInformation<SeriesProgress> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return new CompactTypeInfo<>(SeriesProgress.class, ProgressSerializer.INSTANCE);
        }
    }

    /**
     * {@link PartialBucket}: SLO and cohort once (the key "slo|cohort" is rebuilt from them, sent
     * only when it differs), the counts, the sketch bytes and the pair sums.
     */
    public static final class PartialSerializer extends CompactSerializer<PartialBucket> {
        private static final long serialVersionUID = 1L;
        public static final PartialSerializer INSTANCE = new PartialSerializer();

        @Override
        public boolean isImmutableType() {
            return false; // the sketch array and pair sums are mutable objects
        }

        @Override
        public PartialBucket createInstance() {
            return new PartialBucket("|", "", "", 0, 0, 0, Long.MIN_VALUE, null);
        }

        @Override
        public PartialBucket copy(PartialBucket p) {
            return new PartialBucket(p.key(), p.slo(), p.cohort(), p.minuteEnd(), p.n(), p.good(), p.maxT(),
                    p.sketch() == null ? null : p.sketch().clone(), p.pairs() == null ? null : p.pairs().copy());
        }

        @Override
        public void serialize(PartialBucket p, DataOutputView out) throws IOException {
            writeString(p.slo(), out);
            writeString(p.cohort(), out);
            boolean derived = derived(p.key(), p.slo(), p.cohort());
            out.writeBoolean(derived);
            if (!derived) {
                writeString(p.key(), out);
            }
            out.writeLong(p.minuteEnd());
            out.writeLong(p.n());
            out.writeLong(p.good());
            out.writeLong(p.maxT());
            writeBytes(p.sketch(), out);
            writeMoments(p.pairs(), out);
        }

        /** Whether the key is "slo|cohort" (then it is rebuilt, not sent). */
        static boolean derived(String key, String slo, String cohort) {
            return key != null && slo != null && cohort != null
                    && key.length() == slo.length() + 1 + cohort.length()
                    && key.startsWith(slo) && key.charAt(slo.length()) == '|' && key.endsWith(cohort);
        }

        @Override
        public PartialBucket deserialize(DataInputView in) throws IOException {
            String slo = readString(in);
            String cohort = readString(in);
            String key = in.readBoolean() ? slo + "|" + cohort : readString(in);
            return new PartialBucket(key, slo, cohort, in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                    readBytes(in), readMoments(in));
        }

        @Override
        public TypeSerializerSnapshot<PartialBucket> snapshotConfiguration() {
            return new PartialSnapshot();
        }
    }

    public static final class PartialSnapshot extends SimpleTypeSerializerSnapshot<PartialBucket> {
        public PartialSnapshot() {
            super(() -> PartialSerializer.INSTANCE);
        }
    }

    public static final class PartialInfo extends TypeInfoFactory<PartialBucket> {
        @Override
        public TypeInformation<PartialBucket> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return new CompactTypeInfo<>(PartialBucket.class, PartialSerializer.INSTANCE);
        }
    }

    /**
     * {@link PartialBatch}: SLO and cohort once (the key "slo|cohort" rebuilt from them, sent only
     * when it differs), then per minute its end, counts, latest time, sketch bytes and pair sums.
     */
    public static final class BatchSerializer extends CompactSerializer<PartialBatch> {
        private static final long serialVersionUID = 1L;
        public static final BatchSerializer INSTANCE = new BatchSerializer();

        @Override
        public boolean isImmutableType() {
            return false; // the sketch arrays and pair sums are mutable objects
        }

        @Override
        public PartialBatch createInstance() {
            return new PartialBatch("|", "", "", java.util.List.of());
        }

        @Override
        public PartialBatch copy(PartialBatch b) {
            PartialBucket[] minutes = new PartialBucket[b.minutes().size()];
            for (int i = 0; i < minutes.length; i++) {
                minutes[i] = PartialSerializer.INSTANCE.copy(b.minutes().get(i));
            }
            return new PartialBatch(b.key(), b.slo(), b.cohort(), java.util.List.of(minutes));
        }

        @Override
        public void serialize(PartialBatch b, DataOutputView out) throws IOException {
            writeString(b.slo(), out);
            writeString(b.cohort(), out);
            boolean derived = PartialSerializer.derived(b.key(), b.slo(), b.cohort());
            out.writeBoolean(derived);
            if (!derived) {
                writeString(b.key(), out);
            }
            out.writeInt(b.minutes().size());
            for (PartialBucket p : b.minutes()) {
                out.writeLong(p.minuteEnd());
                out.writeLong(p.n());
                out.writeLong(p.good());
                out.writeLong(p.maxT());
                writeBytes(p.sketch(), out);
                writeMoments(p.pairs(), out);
            }
        }

        @Override
        public PartialBatch deserialize(DataInputView in) throws IOException {
            String slo = readString(in);
            String cohort = readString(in);
            String key = in.readBoolean() ? slo + "|" + cohort : readString(in);
            PartialBucket[] minutes = new PartialBucket[in.readInt()];
            for (int i = 0; i < minutes.length; i++) {
                minutes[i] = new PartialBucket(key, slo, cohort, in.readLong(), in.readLong(), in.readLong(),
                        in.readLong(), readBytes(in), readMoments(in));
            }
            return new PartialBatch(key, slo, cohort, java.util.List.of(minutes));
        }

        @Override
        public TypeSerializerSnapshot<PartialBatch> snapshotConfiguration() {
            return new BatchSnapshot();
        }
    }

    public static final class BatchSnapshot extends SimpleTypeSerializerSnapshot<PartialBatch> {
        public BatchSnapshot() {
            super(() -> BatchSerializer.INSTANCE);
        }
    }

    public static final class BatchInfo extends TypeInfoFactory<PartialBatch> {
        @Override
        public TypeInformation<PartialBatch> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return new CompactTypeInfo<>(PartialBatch.class, BatchSerializer.INSTANCE);
        }
    }
}
