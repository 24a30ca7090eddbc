package io.llmslo.source;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Reads lines as raw bytes (no charset decoding: the parser checks UTF-8 itself), never holding
 * more than {@code limit} bytes of one line. A longer line keeps its head, and a hash of all of its
 * bytes, prefixed with {@code keyPrefix}, so it still gets a dead-letter row of its own.
 */
final class BoundedLineReader {

    /** A line without its terminator ({@code \n} or {@code \r\n}); {@code overLimitKey} is set when cut. */
    record Line(byte[] bytes, String overLimitKey) {}

    private final InputStream in;
    private final int limit;
    private final byte[] keyPrefix;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int end;

    BoundedLineReader(InputStream in, int limit, byte[] keyPrefix) {
        this.in = in;
        this.limit = limit;
        this.keyPrefix = keyPrefix;
    }

    Line next() throws IOException {
        // the common case: the whole line is in the buffer, one copy
        for (int nl = pos; nl < end; nl++) {
            if (buf[nl] == '\n') {
                int len = nl - pos;
                if (len > limit) {
                    break;
                }
                int keep = len > 0 && buf[nl - 1] == '\r' ? len - 1 : len;
                byte[] line = Arrays.copyOfRange(buf, pos, pos + keep);
                pos = nl + 1;
                return new Line(line, null);
            }
        }
        byte[] line = new byte[Math.min(256, limit)];
        int len = 0;
        MessageDigest whole = null;
        boolean any = false;
        while (true) {
            if (pos == end) {
                end = in.read(buf, 0, buf.length);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    break;
                }
            }
            any = true;
            int nl = pos;
            while (nl < end && buf[nl] != '\n') {
                nl++;
            }
            int chunk = nl - pos;
            if (whole == null && len + chunk > limit) {
                whole = sha256();
                whole.update(line, 0, len);
            }
            if (whole != null) {
                whole.update(buf, pos, chunk);
                int keep = Math.min(chunk, limit - len);
                if (keep > 0) {
                    line = grow(line, len + keep);
                    System.arraycopy(buf, pos, line, len, keep);
                    len += keep;
                }
            } else {
                line = grow(line, len + chunk);
                System.arraycopy(buf, pos, line, len, chunk);
                len += chunk;
            }
            pos = nl;
            if (nl < end) {
                pos++; // consume the '\n'
                break;
            }
        }
        if (!any) {
            return null;
        }
        if (whole != null) {
            return new Line(Arrays.copyOf(line, len), HexFormat.of().formatHex(whole.digest(), 0, 16));
        }
        if (len > 0 && line[len - 1] == '\r') {
            len--;
        }
        return new Line(Arrays.copyOf(line, len), null);
    }

    private static byte[] grow(byte[] a, int need) {
        return need <= a.length ? a : Arrays.copyOf(a, Math.max(need, a.length * 2));
    }

    private MessageDigest sha256() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(keyPrefix);
            return md;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
