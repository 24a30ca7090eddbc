package io.llmslo.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The parser is the job's boundary (DESIGN §7b): whatever bytes arrive, it returns exactly one
 * envelope — an event or a dead letter with a reason — and never throws. Random bytes and random
 * mutations of valid records (bit flips, insertions, deletions, duplicated spans, huge numbers,
 * NUL and invalid UTF-8) check that; in-range values check the other side: they stay valid and
 * keep their value.
 */
class EventParserPropertiesTest {

    static final String VALID = "{\"request_id\":\"r-1\",\"ts\":\"2026-10-01T10:00:00.123Z\",\"surface\":\"chat\","
            + "\"model\":\"m-1\",\"provider\":\"openai\",\"cohort\":{\"region\":\"eu\",\"locale\":\"de-DE\"},"
            + "\"streaming\":true,\"outcome\":\"success\",\"refused\":false,\"ttft_ms\":210,\"total_ms\":1480,"
            + "\"turns\":2,\"turn_ms\":[700,780],\"input_tokens\":179,\"output_tokens\":84,\"cost_usd\":0.000515,"
            + "\"failover\":{\"used\":true,\"ms\":35,\"providers\":[\"openai\",\"azure\"]},"
            + "\"attempts\":[{\"provider\":\"openai\",\"outcome\":\"error\",\"ms\":40}],\"prompt\":\"hi\",\"response\":\"hello\"}";

    final EventParser parser = new EventParser();

    @Property(tries = 3000)
    void randomBytesYieldOneEnvelope(@ForAll byte[] bytes, @ForAll EventKind kind) {
        assertOneEnvelope(kind, bytes);
    }

    @Property(tries = 3000)
    void mutatedValidRecordsYieldOneEnvelope(@ForAll("mutations") byte[] bytes, @ForAll EventKind kind) {
        assertOneEnvelope(kind, bytes);
    }

    @Property(tries = 500)
    void inRangeLatenciesStayValidAndExact(@ForAll @DoubleRange(min = 0, max = 1e9) double ms,
            @ForAll @LongRange(min = 0, max = 1_000_000_000L) long tokens) {
        String line = VALID.replace("\"total_ms\":1480", "\"total_ms\":" + ms)
                .replace("\"input_tokens\":179", "\"input_tokens\":" + tokens);
        Envelope e = parser.parse(EventKind.RESPONSE, line);
        assertThat(e.isDead()).as("%s", e.deadLetter()).isFalse();
        assertThat(e.response().totalMs()).isEqualTo(ms);
        assertThat(e.response().inputTokens()).isEqualTo(tokens);
    }

    @Property(tries = 500)
    void outOfRangeLatenciesAreDeadLettersNamingTheField(@ForAll @DoubleRange(min = 1.0000001e9, max = Double.MAX_VALUE) double ms) {
        Envelope e = parser.parse(EventKind.RESPONSE, VALID.replace("\"ttft_ms\":210", "\"ttft_ms\":" + ms));
        assertThat(e.isDead()).isTrue();
        assertThat(e.deadLetter().reason()).startsWith("field 'ttft_ms'");
    }

    @Property(tries = 500)
    void integersBeyondALongAreNeverWrapped(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long low) {
        // 2^64 + low wraps to `low` as a long: it must be rejected, not read as `low`
        String big = new java.math.BigInteger("18446744073709551616").add(java.math.BigInteger.valueOf(low)).toString();
        Envelope e = parser.parse(EventKind.RESPONSE, VALID.replace("\"output_tokens\":84", "\"output_tokens\":" + big));
        assertThat(e.isDead()).isTrue();
        assertThat(e.deadLetter().reason()).startsWith("field 'output_tokens'");
    }

    /** One to three mutations of the valid record, each at a random place of the current bytes. */
    @Provide
    Arbitrary<byte[]> mutations() {
        byte[] valid = VALID.getBytes(StandardCharsets.UTF_8);
        Arbitrary<Double> where = Arbitraries.doubles().between(0, 1);
        Arbitrary<UnaryOperator<byte[]>> flip = Combinators.combine(where, Arbitraries.integers().between(0, 7))
                .as((f, bit) -> b -> { byte[] c = b.clone(); c[pos(f, c)] ^= (byte) (1 << bit); return c; });
        Arbitrary<UnaryOperator<byte[]>> insert = Combinators.combine(where, Arbitraries.bytes())
                .as((f, x) -> b -> splice(b, pos(f, b), 0, new byte[] {x}));
        Arbitrary<UnaryOperator<byte[]>> delete = Combinators.combine(where, Arbitraries.integers().between(1, 40))
                .as((f, n) -> b -> { int i = pos(f, b); return splice(b, i, Math.min(n, b.length - i), new byte[0]); });
        Arbitrary<UnaryOperator<byte[]>> duplicate = Combinators.combine(where, Arbitraries.integers().between(1, 60))
                .as((f, n) -> b -> { int i = pos(f, b); return splice(b, i, 0, Arrays.copyOfRange(b, i, Math.min(b.length, i + n))); });
        Arbitrary<UnaryOperator<byte[]>> hostileValue = Combinators.combine(where, Arbitraries.of(
                "1e308", "-1", "18446744073709551620", "9223372036854775808", "\"\\u0000\"", "\"\\ud800\"",
                "null", "[]", "{}", "\"+999999999-12-31T23:59:59Z\"", "1.7976931348623157e308", "\"x\"", "true",
                "0", "-0", "1e-400", "99999999999999999999999999999999", ",\"outcome\":\"error\"", "[[[[[[[[[["))
                .as((f, v) -> b -> splice(b, pos(f, b), 0, v.getBytes(StandardCharsets.UTF_8)));
        Arbitrary<UnaryOperator<byte[]>> badUtf8 = Combinators.combine(where, Arbitraries.of(
                new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC0, (byte) 0x80}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xE2, (byte) 0x82}, new byte[] {0}, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}))
                .as((f, x) -> b -> splice(b, pos(f, b), 0, x));
        return Arbitraries.oneOf(flip, insert, delete, duplicate, hostileValue, badUtf8)
                .list().ofMinSize(1).ofMaxSize(3)
                .map(ops -> {
                    byte[] b = valid;
                    for (UnaryOperator<byte[]> op : ops) {
                        b = op.apply(b);
                    }
                    return b;
                });
    }

    private static int pos(double f, byte[] b) {
        return b.length == 0 ? 0 : Math.min(b.length - 1, (int) (f * b.length));
    }

    private void assertOneEnvelope(EventKind kind, byte[] bytes) {
        Envelope e = parser.parse(kind, bytes, null);
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(kind);
        int set = (e.response() != null ? 1 : 0) + (e.feedback() != null ? 1 : 0) + (e.rating() != null ? 1 : 0)
                + (e.deadLetter() != null ? 1 : 0);
        assertThat(set).as("exactly one of event or dead letter").isEqualTo(1);
        if (e.isDead()) {
            DeadLetter d = e.deadLetter();
            assertThat(d.reason()).isNotBlank().doesNotStartWith("internal:");
            assertThat(d.source()).isEqualTo(kind.source());
            assertThat(d.key()).hasSize(32);
            assertThat(d.payload().length()).isLessThanOrEqualTo(DeadLetter.MAX_PAYLOAD);
        } else {
            assertThat(e.requestId()).isNotBlank();
            assertThat(e.ts()).isBetween(EventTimeBounds.DEFAULT_EARLIEST.toEpochMilli(),
                    EventTimeBounds.DEFAULT_LATEST.toEpochMilli());
        }
    }

    private static byte[] splice(byte[] src, int at, int remove, byte[] insert) {
        byte[] out = new byte[src.length - remove + insert.length];
        System.arraycopy(src, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(src, at + remove, out, at + insert.length, src.length - at - remove);
        return out;
    }
}
