package io.llmslo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import io.llmslo.testing.HostileYaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every key of the bundled job files, and every map holding keys, is replaced in turn by each
 * hostile value; the file then either still loads (the value happens to be valid there) or fails
 * with a {@link ConfigException} naming the file, the key and what was expected — never any other
 * exception, never a silent acceptance of a nonsense value for a typed key.
 */
class HostileConfigTest {

    static final String FILE = "jobs/hostile.yaml";


    @Test
    void everyKeyOfTheBundledJobsWithEveryHostileValue() throws Exception {
        int tried = 0;
        int rejected = 0;
        // demo.yaml has replay.yaml's keys: two files cover every key once
        for (String job : List.of("jobs/replay.yaml", "jobs/production.yaml")) {
            for (HostileYaml.Variant v : HostileYaml.variants(Files.readString(Path.of(job)), HostileYaml::firstItemsOnly)) {
                tried++;
                try {
                    JobConfig.parse(FILE, v.yaml());
                    if (System.getProperty("hostile.dump") != null) {
                        System.out.println("[accepted] " + job + " " + v);
                    }
                } catch (ConfigException e) {
                    rejected++;
                    assertThat(e.getMessage()).as(v.toString()).startsWith(FILE + ":").contains("expected");
                } catch (RuntimeException e) {
                    throw new AssertionError(v + " threw " + e + " instead of a ConfigException", e);
                }
            }
        }
        System.out.printf("[hostile config] %d variants of the bundled job files, %d rejected with a config error%n",
                tried, rejected);
        assertThat(rejected).isGreaterThan(tried / 2);
    }

    /** Typed keys must reject values of the wrong type: spot checks that the loop above cannot make. */
    @ParameterizedTest
    @ValueSource(strings = {"parallelism", "join.acceptance_window", "join.max_rating_delay", "sampling.rate",
            "event_time.out_of_orderness", "judge.timeout", "output.history_interval", "state.checkpoint_interval"})
    void typedKeysRejectNonsense(String key) {
        for (String bad : List.of("'💥'", "[1]", "{x: 1}", "-1", "1.0e308", "'999999999999w'")) {
            String[] part = key.split("\\.");
            String yaml = MINIMAL + (part.length == 1 ? key + ": " + bad + "\n"
                    : part[0].equals("output") ? "  " + part[1] + ": " + bad + "\n" // MINIMAL ends in output:
                    : part[0] + ":\n  " + part[1] + ": " + bad + "\n");
            assertThatThrownBy(() -> JobConfig.parse(FILE, yaml)).as("%s: %s", key, bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(FILE + ": key '" + key + "' expected")
                    .hasMessageContaining(", got ")
                    .hasMessageContaining("(line ");
        }
    }

    static final String MINIMAL = """
            sources:
              responses: in/responses.jsonl
            output:
              jdbc_url: jdbc:sqlite:out.db
            """;

    @Test
    void durationsAreBoundedWithTheRangeInTheMessage() {
        assertThatThrownBy(() -> JobConfig.parse(FILE, MINIMAL + "join:\n  acceptance_window: 999999999999w\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(FILE + ": key 'join.acceptance_window' expected a duration between 1s and 1d,"
                        + " got '999999999999w' (line 6, column 3)");
        assertThatThrownBy(() -> JobConfig.parse(FILE, MINIMAL + "join:\n  max_rating_delay: 1000d\n"))
                .hasMessageContaining("key 'join.max_rating_delay' expected a duration between 1m and 90d, got '1000d'");
    }

    @Test
    void yamlSyntaxErrorsHaveLineAndColumn() {
        assertThatThrownBy(() -> JobConfig.parse(FILE, "sources:\n  responses: a\n  bad: [unclosed\noutput: x\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(FILE + ": not valid YAML at line 4, column ");
        assertThatThrownBy(() -> JobConfig.parse(FILE, "name: a\nname: b\n"))
                .hasMessage(FILE + ": not valid YAML at line 2, column 5: Duplicate field 'name'");
        // SnakeYAML reads .nan, Jackson refuses it: still a config error with its place
        assertThatThrownBy(() -> JobConfig.parse(FILE, MINIMAL + "sampling: {rate: .nan}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(FILE + ": not valid YAML at line 5");
        assertThatThrownBy(() -> JobConfig.parse(FILE, "a: &x [1]\nb: *y\n"))
                .hasMessageStartingWith(FILE + ": not valid YAML at line 2, column 4");
    }

    @Test
    void keysThatDoNotApplyToTheSourceTypeAreRejected() {
        assertThatThrownBy(() -> JobConfig.parse(FILE, MINIMAL.replace("  responses:",
                "  bootstrap_servers: kafka:9092\n  responses:")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(FILE + ": key 'sources.bootstrap_servers' does not apply to sources.type: files;"
                        + " expected one of [type, responses, feedback, ratings] (line 2, column 3)");
        assertThatThrownBy(() -> JobConfig.parse(FILE, """
                sources: {type: kafka, bootstrap_servers: "k:9092", responses: r.jsonl}
                output: {jdbc_url: "jdbc:sqlite:x.db"}
                """))
                .hasMessageContaining("key 'sources.responses' does not apply to sources.type: kafka");
    }

    @Test
    void unknownKeysPointAtTheirLine() {
        assertThatThrownBy(() -> JobConfig.parse(FILE, MINIMAL + "join:\n  acceptance_windo: 5m\n"))
                .hasMessage(FILE + ": key 'join.acceptance_windo' is not known here; expected one of"
                        + " [acceptance_window, max_rating_delay] (line 6, column 3)");
    }

    @Test
    void missingInputFilesAndDatabaseDirectoriesAreConfigErrorsNamingTheKey(@TempDir Path dir) throws Exception {
        Path responses = Files.writeString(dir.resolve("r.jsonl"), "");
        JobConfig missingFeedback = JobConfig.parse(FILE, """
                sources:
                  responses: %s
                  feedback: %s/nope.jsonl
                output:
                  jdbc_url: jdbc:sqlite:%s/out.db
                """.formatted(responses, dir, dir));
        assertThatThrownBy(missingFeedback::checkFiles)
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(FILE + ": key 'sources.feedback' expected a readable JSONL file, got '" + dir)
                .hasMessageContaining(": no such file")
                .hasMessageEndingWith("(line 3, column 3)");

        JobConfig missingDir = JobConfig.parse(FILE, """
                sources:
                  responses: %s
                output:
                  jdbc_url: jdbc:sqlite:%s/no/such/dir/out.db
                """.formatted(responses, dir));
        assertThatThrownBy(missingDir::checkFiles)
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(FILE + ": key 'output.jdbc_url' expected a SQLite file in an existing directory")
                .hasMessageContaining(": no directory");

        JobConfig fine = JobConfig.parse(FILE, """
                sources:
                  responses: %s
                output:
                  jdbc_url: jdbc:sqlite:%s/out.db
                """.formatted(responses, dir));
        fine.checkFiles();
    }

    @Test
    void controlCharactersInAValueAreShownEscaped() {
        assertThatThrownBy(() -> JobConfig.parse(FILE, MINIMAL + "state: {backend: \"x\\u001b[2J\"}\n"))
                .hasMessageContaining("got 'x\\u001b[2J'");
    }
}
