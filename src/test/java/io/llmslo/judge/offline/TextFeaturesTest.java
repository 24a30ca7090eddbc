package io.llmslo.judge.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Expected values derived by hand in the comments (tokens, stop words, stems). */
class TextFeaturesTest {

    static final String RAG = """
            CONTEXT:
            [1] Parking costs 5 EUR per hour.
            QUESTION: How much does parking cost?
            """;

    @Test
    void aContextBlockIsSplitFromTheQuestion() {
        assertThat(TextFeatures.parts(RAG)).isEqualTo(new TextFeatures.Parts(true, "How much does parking cost?"));
        assertThat(TextFeatures.parts("  Just a question?  ")).isEqualTo(new TextFeatures.Parts(false, "Just a question?"));
        assertThat(TextFeatures.parts("QUESTION: first? CONTEXT: [1] x").hasContext()).isFalse();
    }

    @Test
    void aHostilePromptIsLinearWork() {
        // 200 000 context markers and no question: one pass, not one scan per marker
        String hostile = "CONTEXT:".repeat(200_000);
        assertThat(TextFeatures.parts(hostile).hasContext()).isFalse();
        assertThat(TextFeatures.of(hostile, "a'".repeat(100_000))[0]).isZero();
    }

    @Test
    void coverageNoveltyAndNumbersOfAnAnswerAgainstItsContext() {
        // answer content stems: park, cost, 7, eur, per, hour, cash ("only" is a stop word);
        // prompt stems hold all but 7 and cash -> 2 of 7 novel; numbers: 7 not in {1, 5} -> 1;
        // question stems {much, park, cost}: park and cost covered -> 2/3; 40 characters.
        double[] f = TextFeatures.of(RAG, "Parking costs 7 EUR per hour, cash only.");
        assertThat(f[0]).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(f[1]).isZero();
        assertThat(f[2]).isCloseTo(Math.log(41), within(1e-12));
        assertThat(f[3]).isCloseTo(2.0 / 7, within(1e-12));
        assertThat(f[4]).isEqualTo(1.0);
    }

    @Test
    void withoutAContextNoveltyIsNotMeasurable() {
        double[] f = TextFeatures.of("How do I reverse a list?", "Slice the list: xs[::-1].");
        assertThat(f[3]).isNaN();
        assertThat(f[4]).isNaN();
        // question stems {reverse, list}; answer stems {slice, list, 1} ("xs" is too short) -> 1/2
        assertThat(f[0]).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void refusalsAndNonAnswersAreCounted() {
        assertThat(TextFeatures.of("q", "Sorry, I cannot help; please consult a doctor.")[1]).isEqualTo(3.0);
        assertThat(TextFeatures.of("q", "Use git reset --soft HEAD~1.")[1]).isZero();
    }

    @Test
    void stemsMeetAcrossSuffixes() {
        assertThat(TextFeatures.stem("bookings")).isEqualTo("booking");
        assertThat(TextFeatures.stem("parking")).isEqualTo("park");
        assertThat(TextFeatures.stem("costs")).isEqualTo("cost");
        assertThat(TextFeatures.stem("uses")).isEqualTo("uses");
    }
}
