package io.llmslo.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fast path must accept and reject exactly the strings {@link OffsetDateTime#parse} accepts
 * and rejects, with the same instant. The oracle is java.time itself: every expectation below is
 * {@code OffsetDateTime.parse(s).toInstant()} (or its exception), and the hostile table also
 * writes the expected outcome down, so a JDK that changed its mind would show here.
 */
class IsoInstantTest {

    /** Years 0000..9999: the four-digit years the fast path reads. */
    static final long MIN_SECOND = OffsetDateTime.parse("0000-01-01T00:00:00Z").toEpochSecond() + 86_400;
    static final long MAX_SECOND = OffsetDateTime.parse("9999-12-31T23:59:59Z").toEpochSecond() - 86_400;

    @Property(tries = 3000)
    void commonFormsTakeTheFastPathWithJavaTimesInstant(
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long any, @ForAll("forms") Form form) {
        long second = MIN_SECOND + Math.floorMod(any, MAX_SECOND - MIN_SECOND);
        Instant instant = Instant.ofEpochSecond(second, form.nano);
        String text = form.render(instant);
        Instant expected = OffsetDateTime.parse(text).toInstant();
        assertThat(IsoInstant.fast(text)).as(text).isEqualTo(expected);
        assertThat(IsoInstant.parse(text)).as(text).isEqualTo(expected);
    }

    @Property(tries = 5000)
    void mutatedStringsAgreeWithJavaTime(@ForAll("mutated") String text) {
        assertSameOutcome(text);
    }

    @Property(tries = 2000)
    void randomFieldValuesAgreeWithJavaTime(@ForAll @IntRange(min = 0, max = 9999) int year,
            @ForAll @IntRange(min = 0, max = 99) int month, @ForAll @IntRange(min = 0, max = 99) int day,
            @ForAll @IntRange(min = 0, max = 99) int hour, @ForAll @IntRange(min = 0, max = 99) int minute,
            @ForAll @IntRange(min = 0, max = 99) int second, @ForAll @IntRange(min = 0, max = 99) int offsetHours,
            @ForAll @IntRange(min = 0, max = 99) int offsetMinutes, @ForAll boolean negative) {
        String text = String.format("%04d-%02d-%02dT%02d:%02d:%02d.5%s%02d:%02d", year, month, day, hour, minute,
                second, negative ? "-" : "+", offsetHours, offsetMinutes);
        assertSameOutcome(text);
    }

    /**
     * Hostile strings and what java.time (so the parser) does with them; {@code reject} is a
     * DateTimeException, the parser's {@code field 'ts'} dead letter.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2026-10-01T12:34:56Z              | 2026-10-01T12:34:56Z",
        "2026-10-01T12:34Z                 | 2026-10-01T12:34:00Z",
        "2026-10-01t12:34:56z              | 2026-10-01T12:34:56Z", // ISO parses case-insensitively
        "2026-10-01T12:34:56.1Z            | 2026-10-01T12:34:56.100Z",
        "2026-10-01T12:34:56.123456789Z    | 2026-10-01T12:34:56.123456789Z",
        "2026-10-01T12:34:56.1234567890Z   | reject", // ten fraction digits
        "2026-10-01T12:34:56.Z             | 2026-10-01T12:34:56Z", // a point without digits: java.time takes it
        "2026-10-01T12:34:56+02:00         | 2026-10-01T10:34:56Z",
        "2026-10-01T00:30:00-05:30         | 2026-10-01T06:00:00Z",
        "2026-10-01T12:34:56-00:00         | 2026-10-01T12:34:56Z",
        "2026-10-01T12:34:56+17:59         | 2026-09-30T18:35:56Z",
        "2026-10-01T12:34:56+18:00         | 2026-09-30T18:34:56Z", // java.time's limit, slow path
        "2026-10-01T12:34:56+18:01         | reject",
        "2026-10-01T12:34:56+19:00         | reject",
        "2026-10-01T12:34:56+0200          | reject", // no colon
        "2026-10-01T12:34:56+02            | 2026-10-01T10:34:56Z", // lenient offset, slow path
        "2026-10-01T12:34:56+02:00:30      | 2026-10-01T10:34:26Z", // offset seconds, slow path
        "2026-10-01T12:34:56               | reject", // no zone
        "2026-10-01T12:34:56Z[UTC]         | reject", // zone id: trailing junk
        "2026-10-01T12:34:56Zjunk          | reject",
        "2026-10-01T12:34:5Z               | reject", // truncated
        "2026-10-01T12:3Z                  | reject",
        "2026-10-01T                       | reject",
        "2026-10-01                        | reject",
        "2026-13-01T00:00:00Z              | reject",
        "2026-00-01T00:00:00Z              | reject",
        "2026-04-31T00:00:00Z              | reject",
        "2026-02-29T00:00:00Z              | reject", // 2026 is a common year
        "2024-02-29T00:00:00Z              | 2024-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z              | reject", // divisible by 100, not 400
        "2000-02-29T00:00:00Z              | 2000-02-29T00:00:00Z",
        "2026-10-01T24:00:00Z              | reject",
        "2026-10-01T12:60:00Z              | reject",
        "2016-12-31T23:59:60Z              | reject", // a leap second: OffsetDateTime has none
        "0000-01-01T00:00:00Z              | 0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z    | 9999-12-31T23:59:59.999999999Z",
        "+10000-01-01T00:00:00Z            | +10000-01-01T00:00:00Z", // five digits need a sign
        "10000-01-01T00:00:00Z             | reject",
        "+999999999-12-31T23:59:59Z        | +999999999-12-31T23:59:59Z",
        "+1000000000-01-01T00:00:00Z       | reject", // beyond Year.MAX_VALUE
        "-0001-01-01T00:00:00Z             | -0001-01-01T00:00:00Z",
        "２０２６-10-01T12:34:56Z            | reject", // full-width digits
        "2026-10-01T12:34:56\u0660Z        | reject", // an Arabic-Indic digit
        "2026-10-01T12:34:56.\u0661Z       | reject",
        "2026/10/01T12:34:56Z              | reject",
        "2026-10-01 12:34:56Z              | reject",
        "2026-1-01T12:34:56Z               | reject",
    })
    void hostileStrings(String text, String expected) {
        if (expected.equals("reject")) {
            assertThatThrownBy(() -> OffsetDateTime.parse(text)).as("java.time").isInstanceOf(DateTimeException.class);
            assertThatThrownBy(() -> IsoInstant.parse(text)).as(text).isInstanceOf(DateTimeException.class);
            assertThat(IsoInstant.fast(text)).isNull();
        } else {
            Instant want = Instant.parse(expected);
            assertThat(OffsetDateTime.parse(text).toInstant()).as("java.time").isEqualTo(want);
            assertThat(IsoInstant.parse(text)).as(text).isEqualTo(want);
        }
        assertSameOutcome(text);
    }

    @ParameterizedTest
    @CsvSource({"0, true", "-17, true", "123456789012345678901234567890, true",
        "1234567890123456789012345678901, false", "-, false", "'', false", "--1, false", "1-, false",
        "+1, false", "1.0, false", "'\u0661', false", "1e3, false"})
    void epochDigitsAreWhatTheOldPatternMatched(String text, boolean expected) {
        assertThat(EventParser.isEpochDigits(text)).isEqualTo(expected).isEqualTo(text.matches("-?\\d{1,30}"));
    }

    private static void assertSameOutcome(String text) {
        Optional<Instant> want = javaTime(text);
        Instant fast = IsoInstant.fast(text);
        if (fast != null) {
            assertThat(want).as("fast path accepted what java.time rejects: %s", text).isPresent();
            assertThat(fast).as(text).isEqualTo(want.get());
        }
        Optional<Instant> got;
        try {
            got = Optional.of(IsoInstant.parse(text));
        } catch (DateTimeException e) {
            got = Optional.empty();
        }
        assertThat(got).as(text).isEqualTo(want);
    }

    private static Optional<Instant> javaTime(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** A way producers write an instant: fraction digits (none, or 1..9), seconds, offset, case. */
    record Form(int fractionDigits, boolean seconds, int offsetMinutes, boolean lowerCase, int nano) {
        String render(Instant instant) {
            OffsetDateTime t = instant.atOffset(ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
            String pattern = "uuuu-MM-dd'T'HH:mm" + (seconds ? ":ss" : "")
                    + (seconds && fractionDigits > 0 ? "." + "S".repeat(fractionDigits) : "");
            String offset = offsetMinutes == 0 && !lowerCase ? "Z" : offsetMinutes == 0 ? "z"
                    : (offsetMinutes < 0 ? "-" : "+") + String.format("%02d:%02d", Math.abs(offsetMinutes) / 60,
                            Math.abs(offsetMinutes) % 60);
            String body = t.format(DateTimeFormatter.ofPattern(pattern));
            return (lowerCase ? body.replace('T', 't') : body) + offset;
        }
    }

    @Provide
    Arbitrary<Form> forms() {
        return Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.of(true, true, true, false),
                        Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(-17 * 60 - 59, 17 * 60 + 59)),
                        Arbitraries.of(false, false, false, true), Arbitraries.integers().between(0, 999_999_999))
                .as(Form::new);
    }

    /** A valid string with one to three characters replaced, inserted or deleted. */
    @Provide
    Arbitrary<String> mutated() {
        Arbitrary<String> base = Arbitraries.of("2026-10-01T12:34:56Z", "2026-10-01T12:34:56.123Z",
                "2024-02-29T23:59:59.999999999+05:30", "2026-10-01T12:34-08:00", "2026-12-31T23:59:59z");
        Arbitrary<Character> chars = Arbitraries.of('0', '1', '2', '3', '5', '9', '-', ':', '.', 'T', 't', 'Z',
                'z', '+', ' ', '\u0660', '\uFF12', 'x', '6');
        Arbitrary<Double> where = Arbitraries.doubles().between(0, 1);
        Arbitrary<Integer> op = Arbitraries.integers().between(0, 2);
        Arbitrary<String> once = Combinators.combine(base, where, chars, op).as(IsoInstantTest::mutate);
        return Combinators.combine(once, where, chars, op, where, chars, op).as((s, w1, c1, o1, w2, c2, o2) ->
                mutate(mutate(s, w1, c1, o1), w2, c2, o2));
    }

    private static String mutate(String s, double where, char c, int op) {
        int at = Math.min(s.length() - 1, (int) (where * s.length()));
        if (s.isEmpty()) {
            return String.valueOf(c);
        }
        return switch (op) {
            case 0 -> s.substring(0, at) + c + s.substring(at + 1);
            case 1 -> s.substring(0, at) + c + s.substring(at);
            default -> s.substring(0, at) + s.substring(at + 1);
        };
    }
}
