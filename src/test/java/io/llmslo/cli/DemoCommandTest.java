package io.llmslo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.config.JobConfig;
import io.llmslo.sim.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

    @Test
    void theGeneratedJobFileIsJobsDemoYamlWithTheOutFolder() throws Exception {
        String generated = DemoCommand.jobYaml(Path.of("demo"), Path.of("rubrics"));
        String checkedIn = Files.readString(Path.of("jobs/demo.yaml"));
        // same settings: compare without comments
        assertThat(strip(generated)).isEqualTo(strip(checkedIn));

        JobConfig cfg = JobConfig.parse("demo.yaml", DemoCommand.jobYaml(Path.of("/tmp/it's here"), Path.of("rubrics")));
        assertThat(cfg.output.jdbcUrl()).isEqualTo("jdbc:sqlite:/tmp/it's here/llm-slo.db");
        assertThat(cfg.judge.provider()).isEqualTo("offline");
        assertThat(cfg.bounded()).isTrue();
    }

    @Test
    void daysShortenTheMonthScenario() {
        Scenario month = Scenario.load(DemoCommand.SCENARIO);
        assertThat(DemoCommand.withDays(month, 3).days()).isEqualTo(3);
        assertThat(DemoCommand.withDays(month, 3).incidents()).isEqualTo(month.incidents());
        assertThat(DemoCommand.withDays(month, month.days())).isSameAs(month);
    }

    private static String strip(String yaml) {
        return yaml.lines().filter(l -> !l.strip().startsWith("#") && !l.isBlank()).reduce("", (a, b) -> a + b + "\n");
    }
}
