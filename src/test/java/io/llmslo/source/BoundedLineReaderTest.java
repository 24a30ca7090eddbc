package io.llmslo.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Lines as the reader returns them, against the definition: the bytes between newlines, one
 * trailing {@code \r} removed, a line longer than the limit cut to it and keyed; whatever the
 * stream's read sizes and wherever lines cross the 64 KiB buffer.
 */
class BoundedLineReaderTest {

    static final int LIMIT = 300;

    @Property(tries = 60)
    void linesAreTheBytesBetweenNewlines(@ForAll long seed) throws IOException {
        Random r = new Random(seed);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        List<byte[]> raw = new ArrayList<>();
        int lines = 200 + r.nextInt(600);
        boolean finalNewline = r.nextBoolean();
        for (int i = 0; i < lines; i++) {
            int len = switch (r.nextInt(10)) {
                case 0 -> 0;
                case 1 -> LIMIT - 1 + r.nextInt(3); // around the limit
                case 2 -> LIMIT + r.nextInt(2000);  // over it
                default -> r.nextInt(LIMIT);
            };
            byte[] b = new byte[len];
            for (int k = 0; k < len; k++) {
                b[k] = (byte) (r.nextInt(20) == 0 ? '\r' : 'a' + r.nextInt(26));
            }
            raw.add(b);
            file.writeBytes(b);
            if (i < lines - 1 || finalNewline) {
                file.write('\n');
            }
        }
        byte[] all = file.toByteArray();
        InputStream in = new FilterInputStream(new ByteArrayInputStream(all)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1 + r.nextInt(r.nextBoolean() ? 100 : 70_000)));
            }
        };
        BoundedLineReader reader = new BoundedLineReader(in, LIMIT, "k\0".getBytes());
        for (int i = 0; i < raw.size(); i++) {
            byte[] want = raw.get(i);
            if (i == raw.size() - 1 && want.length == 0 && !finalNewline) {
                break; // nothing after the last newline is no line
            }
            BoundedLineReader.Line got = reader.next();
            assertThat(got).as("line %d", i).isNotNull();
            if (want.length > LIMIT) {
                assertThat(got.overLimitKey()).as("line %d", i).isNotNull();
                assertThat(got.bytes()).isEqualTo(Arrays.copyOf(want, LIMIT));
            } else {
                assertThat(got.overLimitKey()).as("line %d", i).isNull();
                int len = want.length > 0 && want[want.length - 1] == '\r' ? want.length - 1 : want.length;
                assertThat(got.bytes()).as("line %d", i).isEqualTo(Arrays.copyOf(want, len));
            }
        }
        assertThat(reader.next()).isNull();
    }
}
