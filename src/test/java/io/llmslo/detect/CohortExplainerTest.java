package io.llmslo.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Excess = bad − p0 · n, by hand (p0 = 0.1). */
class CohortExplainerTest {

    @Test
    void aLocaleRegressionIsExplainedByTheLocale() {
        Map<String, long[]> c = new LinkedHashMap<>();
        c.put("*", new long[] {1000, 150});                              // excess 50
        c.put("surface=chat", new long[] {500, 95});                     // 45
        c.put("surface=chat,cohort.locale=ja-JP", new long[] {100, 50}); // 40 ≥ 0.75 · 50
        c.put("surface=chat,model=m-1,cohort.locale=ja-JP", new long[] {50, 25}); // 20 < 37.5
        assertThat(CohortExplainer.explain(c, 0.1, 0.75)).isEqualTo("surface=chat,cohort.locale=ja-JP");
    }

    @Test
    void aGlobalOutageIsExplainedByTheGlobalCohort() {
        Map<String, long[]> c = new LinkedHashMap<>();
        c.put("*", new long[] {1000, 400});           // excess 300
        c.put("surface=chat", new long[] {500, 200});  // 150 < 225
        c.put("surface=agent", new long[] {500, 200}); // 150
        assertThat(CohortExplainer.explain(c, 0.1, 0.75)).isEqualTo("*");
    }

    @Test
    void noExcessNoExplanation() {
        assertThat(CohortExplainer.explain(Map.of("*", new long[] {100, 5}), 0.1, 0.75)).isNull();
    }
}
