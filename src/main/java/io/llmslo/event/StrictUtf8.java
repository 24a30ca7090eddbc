package io.llmslo.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Whether bytes are well-formed UTF-8 (Unicode 15, table 3-7: no overlong forms, no surrogates,
 * nothing above U+10FFFF, no truncated sequence), which is exactly what the JDK's UTF-8 decoder
 * accepts when it reports malformed input. The parser asks this first and decodes a well-formed
 * record with {@code new String(bytes, UTF_8)} (one intrinsic copy) instead of a strict
 * {@code CharsetDecoder} into a {@code CharBuffer} and a second copy into a {@code String}; only a
 * malformed record takes the decoder, which also says where it is malformed.
 */
final class StrictUtf8 {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    private StrictUtf8() {}

    static boolean isWellFormed(byte[] b, int start, int length) {
        int i = start;
        int end = start + length;
        while (i < end) {
            // ASCII eight bytes at a time: JSON records are mostly ASCII
            if (i + 8 <= end && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) {
                i += 8;
                continue;
            }
            int lead = b[i] & 0xFF;
            if (lead < 0x80) {
                i++;
                continue;
            }
            int need;
            int min = 0x80; // bounds of the second byte
            int max = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                need = 1;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                need = 2;
                if (lead == 0xE0) {
                    min = 0xA0; // overlong
                } else if (lead == 0xED) {
                    max = 0x9F; // surrogates
                }
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                need = 3;
                if (lead == 0xF0) {
                    min = 0x90; // overlong
                } else if (lead == 0xF4) {
                    max = 0x8F; // above U+10FFFF
                }
            } else {
                return false; // 80..C1 (continuation or overlong lead), F5..FF
            }
            if (i + need >= end) {
                return false;
            }
            int second = b[i + 1] & 0xFF;
            if (second < min || second > max) {
                return false;
            }
            for (int k = 2; k <= need; k++) {
                if ((b[i + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            i += need + 1;
        }
        return true;
    }
}
