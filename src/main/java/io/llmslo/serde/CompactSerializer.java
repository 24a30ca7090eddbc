package io.llmslo.serde;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A stateless serializer of one small type, written field by field (no reflection). Subclasses
 * give {@link #serialize}, {@link #deserialize(DataInputView)}, {@link #copy(Object)} and a
 * snapshot ({@code SimpleTypeSerializerSnapshot} with a public no-arg constructor); a change of
 * the byte format needs a new snapshot version, or savepoints of the old one will not restore.
 */
public abstract class CompactSerializer<T> extends TypeSerializerSingleton<T> {

    private static final long serialVersionUID = 1L;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    /** A nullable string: a presence flag, then modified UTF-8 of any length. */
    public static void writeString(String s, DataOutputView out) throws IOException {
        org.apache.flink.types.StringValue.writeString(s, out); // handles null
    }

    public static String readString(DataInputView in) throws IOException {
        return org.apache.flink.types.StringValue.readString(in);
    }

    /** A nullable string array with nullable elements. */
    public static void writeStrings(String[] a, DataOutputView out) throws IOException {
        if (a == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(a.length);
        for (String s : a) {
            writeString(s, out);
        }
    }

    public static String[] readStrings(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        String[] a = new String[n];
        for (int i = 0; i < n; i++) {
            a[i] = readString(in);
        }
        return a;
    }

    /** A nullable byte array. */
    public static void writeBytes(byte[] b, DataOutputView out) throws IOException {
        if (b == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(b.length);
        out.write(b);
    }

    public static byte[] readBytes(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }
}
