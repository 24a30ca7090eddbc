package io.llmslo.event;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 decoding (overlong forms, surrogates, code points above U+10FFFF and truncated
 * sequences are errors), cheap for well-formed input. {@code new String(bytes, UTF_8)} is the
 * JDK's fastest decoder (an intrinsic copy for ASCII) but replaces each malformed sequence with
 * U+FFFD instead of failing; so when its result holds no U+FFFD the input was well-formed and the
 * result is what strict decoding gives. Only a record holding U+FFFD (malformed, or a genuine
 * replacement character) takes the strict {@link CharsetDecoder}, which also says where it fails.
 */
final class StrictUtf8 {

    private StrictUtf8() {}

    /** The text, or {@code null} when the bytes are not well-formed UTF-8. */
    static String decode(byte[] b, int start, int length) {
        String fast = new String(b, start, length, StandardCharsets.UTF_8);
        if (fast.indexOf('\uFFFD') < 0) {
            return fast;
        }
        return malformedAt(b, start, length) < 0 ? fast : null;
    }

    /** The index in {@code b} of the first malformed sequence, or -1 when there is none. */
    static int malformedAt(byte[] b, int start, int length) {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b, start, length);
        CharBuffer out = CharBuffer.allocate(length);
        CoderResult r = dec.decode(in, out, true);
        if (!r.isError()) {
            r = dec.flush(out);
        }
        return r.isError() ? in.position() : -1;
    }
}
