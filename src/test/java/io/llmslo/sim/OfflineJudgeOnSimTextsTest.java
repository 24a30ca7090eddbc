package io.llmslo.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.judge.JudgeVerdict;
import io.llmslo.judge.OfflineJudgeClient;
import io.llmslo.judge.Rubric;
import io.llmslo.judge.RubricLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The offline judge on a second held-out set: the simulator's texts (SimTextJudgeSet), none of
 * which the judge was fitted on. Synthetic ground truth (good answers should pass; off-topic,
 * evasive and refused ones should fail); mediocre answers, which the simulated people find
 * useful half the time, are only reported.
 */
class OfflineJudgeOnSimTextsTest {

    @Test
    void separatesTheSimulatorsGoodAnswersFromItsBadOnes() {
        Map<String, Rubric> rubrics = RubricLoader.load(Path.of("rubrics"));
        OfflineJudgeClient c = new OfflineJudgeClient("m");
        List<SimTextJudgeSet.Item> items = SimTextJudgeSet.items();
        int agree = 0;
        int labelled = 0;
        Map<String, int[]> passByKind = new TreeMap<>();
        for (SimTextJudgeSet.Item it : items) {
            JudgeVerdict v = c.judge(rubrics.get(it.rubric()), it.prompt(), it.response(), Long.MAX_VALUE);
            assertThat(v.ok()).as(v.toString()).isTrue();
            boolean pass = rubrics.get(it.rubric()).passes(v.score());
            int[] k = passByKind.computeIfAbsent(it.rubric() + " " + it.kind(), x -> new int[2]);
            k[0] += pass ? 1 : 0;
            k[1]++;
            if (it.shouldPass() != null) {
                labelled++;
                agree += pass == it.shouldPass() ? 1 : 0;
            }
        }
        System.out.printf("offline judge on the simulator's texts: good-vs-bad agreement %d of %d (%.3f)%n", agree, labelled,
                agree / (double) labelled);
        passByKind.forEach((k, v) -> System.out.printf("  %-24s pass %d of %d%n", k, v[0], v[1]));
        assertThat(labelled).isEqualTo(200);
        // floor a few items below the measured count (BENCHMARKS.md "Offline judge")
        assertThat(agree).isGreaterThanOrEqualTo(FLOOR);
    }

    static final int FLOOR = 183;
}
