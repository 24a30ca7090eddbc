package io.llmslo.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The oracle is the JDK's strict UTF-8 decoder (malformed input reported: the parser's only check
 * before this class existed): the fast decode must give that decoder's text for exactly the byte
 * strings it accepts, and null for the others; U+FFFD in the input itself must not confuse it.
 */
class StrictUtf8Test {

    @Test
    void everySequenceOfOneOrTwoBytesAgreesWithTheJdkDecoder() {
        for (int a = 0; a < 256; a++) {
            assertAgrees(new byte[] {(byte) a});
            for (int b = 0; b < 256; b++) {
                assertAgrees(new byte[] {(byte) a, (byte) b});
            }
        }
    }

    @Test
    void threeByteSequencesAgreeForEverySecondByte() {
        // the third byte matters only as a continuation byte (80..BF) or not: its edges suffice
        for (int a = 0xE0; a <= 0xEF; a++) {
            for (int b = 0; b < 256; b++) {
                for (int c : new int[] {0x00, 0x7F, 0x80, 0xBF, 0xC0, 0xFF}) {
                    assertAgrees(new byte[] {(byte) a, (byte) b, (byte) c});
                }
            }
        }
    }

    @Test
    void fourByteSequencesAtTheirBoundariesAgree() {
        int[] edges = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
        for (int a = 0xF0; a <= 0xF7; a++) {
            for (int b : edges) {
                for (int c : edges) {
                    for (int d : edges) {
                        assertAgrees(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
                    }
                }
            }
        }
    }

    @Property(tries = 5000)
    void randomTextAfterAnyAsciiPrefixAgrees(@ForAll("utf8ish") byte[] tail, @ForAll @IntRange(min = 0, max = 17) int prefix) {
        byte[] b = new byte[prefix + tail.length];
        Arrays.fill(b, 0, prefix, (byte) 'a');
        System.arraycopy(tail, 0, b, prefix, tail.length);
        assertAgrees(b);
    }

    /** Valid text (ASCII, Latin, CJK, emoji) with now and then a random byte. */
    @Provide
    Arbitrary<byte[]> utf8ish() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange('\u0000', '\u00FF').withCharRange('\u4E00', '\u4E10')
                .withChars('€', '°', '\uD83D', '\uDE00', '\uFFFD').ofMaxLength(40);
        return text.flatMap(s -> {
            byte[] valid = s.getBytes(StandardCharsets.UTF_8);
            return Arbitraries.integers().between(-1, Math.max(0, valid.length - 1)).flatMap(at ->
                    Arbitraries.bytes().map(x -> {
                        byte[] c = valid.clone();
                        if (at >= 0 && at < c.length) {
                            c[at] = x;
                        }
                        return c;
                    }));
        });
    }

    @Test
    void aGenuineReplacementCharacterIsText() {
        byte[] b = "ok \uFFFD fine".getBytes(StandardCharsets.UTF_8);
        assertThat(StrictUtf8.decode(b, 0, b.length)).isEqualTo("ok \uFFFD fine");
        assertThat(StrictUtf8.malformedAt(b, 0, b.length)).isEqualTo(-1);
    }

    @Test
    void theMalformedPositionCountsFromTheArraysStart() {
        byte[] b = {'x', 'x', 'a', (byte) 0xFF, 'b'};
        assertThat(StrictUtf8.decode(b, 2, 3)).isNull();
        assertThat(StrictUtf8.malformedAt(b, 2, 3)).isEqualTo(3);
    }

    private static void assertAgrees(byte[] b) {
        byte[] shifted = new byte[b.length + 3];
        System.arraycopy(b, 0, shifted, 3, b.length);
        assertThat(StrictUtf8.decode(shifted, 3, b.length)).as("%s", Arrays.toString(b)).isEqualTo(jdkStrict(b));
    }

    private static String jdkStrict(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
