package io.llmslo.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.testing.HostileYaml;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Every key of the bundled scenarios with every hostile value: the scenario loads or fails with
 * a {@link ScenarioException} naming file, key and expectation — never another exception. Only
 * parsing is tried (not simulation), so loaded variants cost nothing.
 */
class HostileScenarioTest {

    @Test
    void everyKeyOfTheBundledScenariosWithEveryHostileValue() throws Exception {
        int tried = 0;
        int rejected = 0;
        for (String name : new String[] {"month.yaml", "sample.yaml"}) {
            String text;
            try (InputStream in = getClass().getResourceAsStream("/scenarios/" + name)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            for (HostileYaml.Variant v : HostileYaml.variants(text, HostileYaml::firstItemsOnly)) {
                tried++;
                try {
                    Scenario.parse(v.yaml(), "scenarios/hostile.yaml");
                } catch (ScenarioException e) {
                    rejected++;
                    assertThat(e.getMessage()).as(v.toString()).startsWith("scenarios/hostile.yaml: ")
                            .contains("expected");
                } catch (RuntimeException e) {
                    throw new AssertionError(v + " threw " + e + " instead of a ScenarioException", e);
                }
            }
        }
        System.out.printf("[hostile scenario] %d variants, %d rejected with a config error%n", tried, rejected);
        assertThat(rejected).isGreaterThan(tried / 2);
    }
}
