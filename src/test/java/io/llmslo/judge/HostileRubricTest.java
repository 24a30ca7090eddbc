package io.llmslo.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.testing.HostileYaml;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Every key of the shipped rubrics with every hostile value: the validator returns a valid rubric
 * or located problems (file, line, field, expectation), and never throws.
 */
class HostileRubricTest {

    @Test
    void everyKeyOfTheShippedRubricsWithEveryHostileValue() throws Exception {
        int tried = 0;
        int rejected = 0;
        for (String name : new String[] {"helpfulness.yaml", "groundedness.yaml"}) {
            // anchors and criteria repeat one shape: their first item stands for all
            for (HostileYaml.Variant v : HostileYaml.variants(Files.readString(Path.of("rubrics", name)),
                    HostileYaml::firstItemsOnly)) {
                tried++;
                RubricValidator.Result r;
                try {
                    r = RubricValidator.validate("rubrics/hostile.yaml", v.yaml());
                } catch (RuntimeException e) {
                    throw new AssertionError(v + " threw " + e, e);
                }
                if (!r.valid()) {
                    rejected++;
                    assertThat(r.problems()).as(v.toString()).allSatisfy(p -> {
                        assertThat(p.file()).isEqualTo("rubrics/hostile.yaml");
                        assertThat(p.line()).isPositive();
                        assertThat(p.message()).isNotBlank();
                    });
                }
            }
        }
        System.out.printf("[hostile rubric] %d variants, %d rejected with located problems%n", tried, rejected);
        assertThat(rejected).isGreaterThan(tried / 2);
    }
}
