package io.llmslo.judge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The in-process embedding judge: real model, no network. */
class OfflineJudgeClientTest {

    static Map<String, Rubric> rubrics;
    static final long NO_DEADLINE = Long.MAX_VALUE;

    @BeforeAll
    static void load() {
        rubrics = RubricLoader.load(Path.of("rubrics"));
    }

    static CalibrationStats heldOut(OfflineJudgeClient c, Rubric r) {
        CalibrationStats s = CalibrationStats.of(r);
        for (Rubric.Anchor a : r.examples()) {
            JudgeVerdict v = c.judge(r, a.prompt(), a.response(), NO_DEADLINE);
            assertThat(v.ok()).as(v.toString()).isTrue();
            assertThat(v.reason()).contains("scored held out");
            s.add(v.score(), a.score(), r.passes(a.score()), r.passThreshold());
        }
        return s;
    }

    @Test
    void heldOutAgreementOnTheShippedAnchorsIsBetterThanChance() {
        OfflineJudgeClient c = new OfflineJudgeClient("e5-small-v2-anchors");
        for (Rubric r : rubrics.values()) {
            CalibrationStats s = heldOut(c, r);
            System.out.printf("offline judge, %s held out: n=%d exact=%.2f within1=%.2f useful=%.2f kappa=%.2f bias=%+.2f%n",
                    r.key(), s.nPairs(), s.exactAgreement(), s.withinOne(), s.usefulAgreement(), s.quadraticKappa(), s.meanBias());
            // Weak on purpose (see class doc), but it must carry signal: a constant or random
            // scorer has kappa ≈ 0.
            assertThat(s.withinOne()).as(r.id()).isGreaterThanOrEqualTo(0.5);
            assertThat(s.quadraticKappa()).as(r.id()).isGreaterThan(0.1);
            // judging the anchors one by one gives exactly the nested leave-one-out figure
            assertThat(s.usefulAgreement()).as(r.id()).isEqualTo(c.heldOutAgreement(r)[0]);
        }
    }

    /**
     * Floors one anchor below the measured counts (BENCHMARKS.md "Offline judge": helpfulness@3
     * 16 of 21, groundedness@2 14 of 18; the previous judge had 15 and 9): deterministic counts on
     * the shipped anchors, so a change that weakens the judge fails here.
     */
    @Test
    void heldOutPassAgreementStaysAtItsMeasuredLevel() {
        OfflineJudgeClient c = new OfflineJudgeClient("m");
        Map<String, Integer> floor = Map.of("helpfulness", 15, "groundedness", 13);
        for (Rubric r : rubrics.values()) {
            double[] h = c.heldOutAgreement(r);
            long agree = Math.round(h[0] * h[1]);
            System.out.printf("offline judge, %s: held-out pass agreement %d of %d%n", r.key(), agree, (long) h[1]);
            assertThat(agree).as(r.id()).isGreaterThanOrEqualTo(floor.get(r.id()));
        }
    }

    /**
     * No anchor is ever scored by a model that saw its own label: changing anchor i's human score
     * leaves anchor i's held-out prediction exactly as it was (while the full model, and other
     * anchors' fold models, do move).
     */
    @Test
    void anAnchorsOwnLabelNeverReachesItsHeldOutScore() {
        OfflineJudgeClient c = new OfflineJudgeClient("m");
        Rubric g = rubrics.get("groundedness");
        double[] before = c.heldOutPredictions(g);
        for (int i : new int[] {0, 8, 17}) {
            ArrayList<Rubric.Anchor> anchors = new ArrayList<>(g.examples());
            Rubric.Anchor a = anchors.get(i);
            anchors.set(i, new Rubric.Anchor(a.prompt(), a.response(), a.score() >= 3 ? 1 : 5, a.note()));
            Rubric flipped = new Rubric(g.id(), g.version(), g.description(), g.scaleMin(), g.scaleMax(), g.passThreshold(),
                    g.minAgreement(), g.instructions(), g.criteria(), anchors, g.source());
            double[] after = c.heldOutPredictions(flipped);
            assertThat(after[i]).as("anchor %d", i).isEqualTo(before[i]);
            int moved = 0;
            for (int j = 0; j < after.length; j++) {
                if (j != i && after[j] != before[j]) {
                    moved++;
                }
            }
            assertThat(moved).as("the flipped label does reach the other anchors' models").isPositive();
            JudgeVerdict v = c.judge(flipped, a.prompt(), a.response(), NO_DEADLINE);
            assertThat(v.reason()).contains("anchor #" + (i + 1) + ", scored held out");
            assertThat(v.score()).isEqualTo(c.judge(g, a.prompt(), a.response(), NO_DEADLINE).score());
        }
    }

    @Test
    void anOnTopicAnswerBeatsAnOffTopicOneAndEmptyIsTheMinimum() {
        OfflineJudgeClient c = new OfflineJudgeClient("m");
        Rubric h = rubrics.get("helpfulness");
        String prompt = "How do I list all files, including hidden ones, in a directory on Linux?";
        String onTopic = "Use `ls -la`: -a includes hidden files (names starting with a dot) "
                + "and -l shows details. `ls -A` hides the . and .. entries.";
        String offTopic = "Bananas are an excellent source of potassium and taste great in smoothies.";
        JudgeVerdict good = c.judge(h, prompt, onTopic, NO_DEADLINE);
        JudgeVerdict bad = c.judge(h, prompt, offTopic, NO_DEADLINE);
        JudgeVerdict empty = c.judge(h, prompt, "  ", NO_DEADLINE);
        System.out.println("good: " + good + "\nbad: " + bad);
        // the scale is coarse (both may round to the same integer): compare the predictions
        assertThat(c.predict(h, prompt, onTopic)).isGreaterThan(c.predict(h, prompt, offTopic));
        assertThat(good.score()).isGreaterThanOrEqualTo(bad.score());
        assertThat(h.passes(bad.score())).isFalse();
        assertThat(empty.score()).isEqualTo(1);
        assertThat(good.reason()).contains("offline embedding judge (weak)");
    }

    @Test
    void anAnswerWithFiguresTheContextDoesNotHoldScoresBelowOneThatQuotesIt() {
        OfflineJudgeClient c = new OfflineJudgeClient("m");
        Rubric g = rubrics.get("groundedness");
        String prompt = """
                CONTEXT:
                [1] The gym is open from 06:00 to 22:00 on weekdays and from 08:00 to 18:00 at weekends.
                [2] Members can bring one guest per month for free; further guests pay 12 EUR.
                QUESTION: When is the gym open at weekends, and what does a guest cost?
                """;
        JudgeVerdict quoted = c.judge(g, prompt, "At weekends the gym is open from 08:00 to 18:00. One guest per month "
                + "is free; further guests pay 12 EUR.", NO_DEADLINE);
        JudgeVerdict invented = c.judge(g, prompt, "At weekends it opens 07:00 to 23:00, and guests always pay 25 EUR "
                + "plus a 40 EUR registration fee, with a student discount of 15 percent.", NO_DEADLINE);
        System.out.println("quoted: " + quoted + "\ninvented: " + invented);
        assertThat(quoted.score()).isGreaterThan(invented.score());
        assertThat(invented.reason()).contains("numbers absent");
    }

    @Test
    void throughput() {
        OfflineJudgeClient c = new OfflineJudgeClient("m");
        Rubric h = rubrics.get("helpfulness");
        c.judge(h, "warm up", "warm up the model and the anchor index", NO_DEADLINE);
        int n = 200;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            JudgeVerdict v = c.judge(h, "Question number " + i + ": how do I sort a dict by value in Python?",
                    "Use sorted(d.items(), key=lambda kv: kv[1]) which returns a list of pairs; wrap in dict() " + i, NO_DEADLINE);
            assertThat(v.ok()).isTrue();
        }
        double perSec = n / ((System.nanoTime() - t0) / 1e9);
        // measured, not asserted (tests count, benchmarks measure)
        System.out.printf("offline judge throughput: %.0f calls/s (one thread, short texts, each new)%n", perSec);
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            c.judge(h, "Question number " + (i % 10) + ": how do I sort a dict by value in Python?",
                    "Use sorted(d.items(), key=lambda kv: kv[1]) which returns a list of pairs; wrap in dict() " + (i % 10),
                    NO_DEADLINE);
        }
        System.out.printf("offline judge throughput: %.0f calls/s (texts repeating, embeddings cached)%n",
                n / ((System.nanoTime() - t1) / 1e9));
    }
}
