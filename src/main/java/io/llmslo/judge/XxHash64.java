package io.llmslo.judge;

import java.nio.charset.StandardCharsets;

/**
 * XXH64 (xxHash, 64-bit, Yann Collet; spec: github.com/Cyan4973/xxHash doc/xxhash_spec.md) with
 * seed 0, over the UTF-8 bytes of a string.
 *
 * <p>Implemented here rather than taken from a library because no xxHash/Murmur3-64 artifact is
 * on the compile classpath (commons-codec and zero-allocation-hashing are absent; the lz4-java
 * copy comes in transitively through flink-runtime and is not ours to rely on). The test checks
 * the published vectors and agrees with lz4-java's XXH64 on random input, so the value of a
 * request id never changes across JVMs, versions or machines: that stability is the sampling
 * contract (DESIGN §5).
 */
public final class XxHash64 {

    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;

    private XxHash64() {}

    public static long hash(String s) {
        return hash(s.getBytes(StandardCharsets.UTF_8), 0L);
    }

    public static long hash(byte[] b, long seed) {
        int len = b.length;
        int i = 0;
        long h;
        if (len >= 32) {
            long v1 = seed + P1 + P2;
            long v2 = seed + P2;
            long v3 = seed;
            long v4 = seed - P1;
            do {
                v1 = round(v1, getLong(b, i));
                v2 = round(v2, getLong(b, i + 8));
                v3 = round(v3, getLong(b, i + 16));
                v4 = round(v4, getLong(b, i + 24));
                i += 32;
            } while (i <= len - 32);
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12)
                    + Long.rotateLeft(v4, 18);
            h = mergeRound(h, v1);
            h = mergeRound(h, v2);
            h = mergeRound(h, v3);
            h = mergeRound(h, v4);
        } else {
            h = seed + P5;
        }
        h += len;
        while (i + 8 <= len) {
            h ^= round(0, getLong(b, i));
            h = Long.rotateLeft(h, 27) * P1 + P4;
            i += 8;
        }
        if (i + 4 <= len) {
            h ^= (getInt(b, i) & 0xFFFFFFFFL) * P1;
            h = Long.rotateLeft(h, 23) * P2 + P3;
            i += 4;
        }
        while (i < len) {
            h ^= (b[i] & 0xFFL) * P5;
            h = Long.rotateLeft(h, 11) * P1;
            i++;
        }
        // Avalanche.
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h;
    }

    private static long round(long acc, long input) {
        acc += input * P2;
        acc = Long.rotateLeft(acc, 31);
        return acc * P1;
    }

    private static long mergeRound(long acc, long val) {
        acc ^= round(0, val);
        return acc * P1 + P4;
    }

    private static long getLong(byte[] b, int i) {
        return (b[i] & 0xFFL)
                | (b[i + 1] & 0xFFL) << 8
                | (b[i + 2] & 0xFFL) << 16
                | (b[i + 3] & 0xFFL) << 24
                | (b[i + 4] & 0xFFL) << 32
                | (b[i + 5] & 0xFFL) << 40
                | (b[i + 6] & 0xFFL) << 48
                | (b[i + 7] & 0xFFL) << 56;
    }

    private static int getInt(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
    }
}
