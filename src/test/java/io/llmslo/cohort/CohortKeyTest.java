package io.llmslo.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.slo.CohortKeys;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CohortKeyTest {

    @Test
    void parsesWhatCohortKeysWritesAndWritesItBackUnchanged() {
        CohortKeys keys = new CohortKeys(List.of(List.of("surface", "cohort.region"), List.of("model")));
        List<String> written = keys.keysFor("latency", Map.of("surface", "chat", "cohort.region", "a,b=c\\d", "model", "m"));
        assertThat(written).containsExactly("*", "surface=chat,cohort.region=a\\,b\\=c\\\\d", "model=m");
        assertThat(CohortKey.parse(written.get(0))).isEmpty();
        assertThat(CohortKey.parse(written.get(1))).containsExactly(new CohortKey.Part("surface", "chat"),
                new CohortKey.Part("cohort.region", "a,b=c\\d"));
        for (String k : written) {
            assertThat(CohortKey.format(CohortKey.parse(k))).isEqualTo(k);
        }
    }
}
