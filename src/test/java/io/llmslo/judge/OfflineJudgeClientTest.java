package io.llmslo.judge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
        OfflineJudgeClient c = new OfflineJudgeClient("all-minilm-l6-v2-anchors");
        for (Rubric r : rubrics.values()) {
            CalibrationStats s = heldOut(c, r);
            System.out.printf("offline judge, %s held out: n=%d exact=%.2f within1=%.2f useful=%.2f kappa=%.2f bias=%+.2f%n",
                    r.key(), s.nPairs(), s.exactAgreement(), s.withinOne(), s.usefulAgreement(), s.quadraticKappa(), s.meanBias());
            // Weak on purpose (see class doc), but it must carry signal: a constant or random
            // scorer has kappa ≈ 0.
            assertThat(s.withinOne()).as(r.id()).isGreaterThanOrEqualTo(0.5);
            assertThat(s.quadraticKappa()).as(r.id()).isGreaterThan(0.1);
        }
    }

    @Test
    void anOnTopicAnswerBeatsAnOffTopicOneAndEmptyIsTheMinimum() {
        OfflineJudgeClient c = new OfflineJudgeClient("m");
        Rubric h = rubrics.get("helpfulness");
        String prompt = "How do I list all files, including hidden ones, in a directory on Linux?";
        JudgeVerdict good = c.judge(h, prompt, "Use `ls -la`: -a includes hidden files (names starting with a dot) "
                + "and -l shows details. `ls -A` hides the . and .. entries.", NO_DEADLINE);
        JudgeVerdict bad = c.judge(h, prompt, "Bananas are an excellent source of potassium and taste great in smoothies.",
                NO_DEADLINE);
        JudgeVerdict empty = c.judge(h, prompt, "  ", NO_DEADLINE);
        System.out.println("good: " + good + "\nbad: " + bad);
        assertThat(good.score()).isGreaterThan(bad.score());
        assertThat(empty.score()).isEqualTo(1);
        assertThat(good.reason()).contains("offline embedding judge (weak)");
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
        System.out.printf("offline judge throughput: %.0f calls/s (one thread, short texts)%n", perSec);
    }
}
