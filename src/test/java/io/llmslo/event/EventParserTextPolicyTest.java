package io.llmslo.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A parser with a {@link TextPolicy} gives exactly what the keep-all parser gives with the
 * dropped text removed afterwards: the same events, and for a bad record the same dead letter
 * (reason, payload, key): a dropped text's JSON checks (escapes, control characters, the closing
 * quote) still fail the record as before.
 */
class EventParserTextPolicyTest {

    /** The judge off: no response keeps its text. */
    static final TextPolicy NONE = r -> false;

    /** A sample. */
    static final TextPolicy IDS_ENDING_IN_1 = r -> r.requestId().endsWith("1");

    final EventParser all = new EventParser();
    final EventParser none = new EventParser(EventTimeBounds.defaults(), NONE);
    final EventParser sample = new EventParser(EventTimeBounds.defaults(), IDS_ENDING_IN_1);

    @Property(tries = 3000)
    void mutatedRecordsGiveTheKeepAllResultWithoutTheDroppedText(@ForAll("mutations") byte[] bytes,
            @ForAll EventKind kind) {
        assertSame(kind, bytes);
    }

    @Provide
    Arbitrary<byte[]> mutations() {
        return new EventParserPropertiesTest().mutations();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"prompt\":\"hi\",\"response\":\"hello\"", // the valid record as it is
        "\"prompt\":\"a \\\"quoted\\\" \\u00e9 \\n word\",\"response\":\"\"",
        "\"prompt\":\"bad \\q escape\",\"response\":\"hello\"",
        "\"prompt\":\"hi\",\"response\":\"bad \\u12 escape\"",
        "\"prompt\":\"raw \u0001 control\",\"response\":\"hello\"",
        "\"prompt\":\"raw \n newline\",\"response\":\"hello\"",
        "\"prompt\":\"hi\",\"response\":\"unterminated",
        "\"prompt\":\"hi\",\"response\":\"hello\",\"prompt\":\"again\"", // duplicate key
        "\"prompt\":42,\"response\":\"hello\"",
        "\"prompt\":[\"a\"],\"response\":{\"text\":\"b\"}",
        "\"prompt\":null,\"response\":null",
        "\"prompt\":\"hi\",\"response\":\"hello\"}{\"request_id\":\"r-2\"", // two records glued
        "\"prompt\":\"hi\",\"response\":\"hello\"} trailing",
        "\"prompt\":\"hi\",\"response\":\"hello\",\"cohort\":{\"prompt\":\"x\u0001y\"}", // nested: a name, checked
        "\"prompt\":\"\\ud800\",\"response\":\"lone surrogate escape\"",
    })
    void hostileTextGivesTheSameDeadLetterOrEvent(String fields) {
        String line = EventParserPropertiesTest.VALID.replace("\"prompt\":\"hi\",\"response\":\"hello\"", fields);
        for (String id : new String[] {"r-1", "r-2"}) {
            assertSame(EventKind.RESPONSE, line.replace("\"r-1\"", "\"" + id + "\"").getBytes(StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"r-1", "r-2"})
    void aKeptTextIsReadAndADroppedOneIsGone(String id) {
        String line = EventParserPropertiesTest.VALID.replace("\"r-1\"", "\"" + id + "\"");
        assertThat(none.parse(EventKind.RESPONSE, line).response().prompt()).isNull();
        assertThat(none.parse(EventKind.RESPONSE, line).response().response()).isNull();
        ResponseEvent r = sample.parse(EventKind.RESPONSE, line).response();
        assertThat(r.response()).isEqualTo(id.endsWith("1") ? "hello" : null);
        assertThat(r.prompt()).isEqualTo(id.endsWith("1") ? "hi" : null);
    }

    private void assertSame(EventKind kind, byte[] bytes) {
        Envelope want = all.parse(kind, bytes, null);
        assertThat(none.parse(kind, bytes, null)).isEqualTo(drop(want, NONE));
        assertThat(sample.parse(kind, bytes, null)).isEqualTo(drop(want, IDS_ENDING_IN_1));
    }

    private static Envelope drop(Envelope e, TextPolicy policy) {
        ResponseEvent r = e.response();
        return r == null || policy.keeps(r) ? e : Envelope.of(r.withoutText());
    }
}
