package io.llmslo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final String FILE = "jobs/hostile.yaml";

    /** YAML snippets: wrong types, extremes, overflow, control characters, injection-looking text. */
    static final List<String> HOSTILE = List.of(
            "''", "'   '", "'💥'", "\"\\0\"", "\"a\\nb\\u001b[31m\"", "-1", "0", "1.0e308", "-1.0e308",
            "9223372036854775808", "123456789012345678901234567890", "true", "[1, 2]", "[]",
            "{x: 1}", "{}", "'999999999999w'", "'PT99999999999999999H'", "'-5m'", "'${HOME}'",
            "'../../../../etc/passwd'", "'x'", "null");

    @Test
    void everyKeyOfTheBundledJobsWithEveryHostileValue() throws Exception {
        int tried = 0;
        int rejected = 0;
        for (String job : List.of("jobs/replay.yaml", "jobs/production.yaml", "jobs/demo.yaml")) {
            JsonNode base = YAML.readTree(Files.readString(Path.of(job)));
            for (String[] path : paths(base, new ArrayList<>())) {
                for (String hostile : HOSTILE) {
                    JsonNode doc = base.deepCopy();
                    replace(doc, path, YAML.readTree("v: " + hostile).get("v"));
                    String text = YAML.writeValueAsString(doc);
                    tried++;
                    try {
                        JobConfig.parse(FILE, text);
                        if (System.getProperty("hostile.dump") != null) {
                            System.out.println("[accepted] " + job + " " + String.join(".", path) + " = " + hostile);
                        }
                    } catch (ConfigException e) {
                        rejected++;
                        assertThat(e.getMessage()).as("%s = %s", String.join(".", path), hostile)
                                .startsWith(FILE + ":").contains("expected");
                    } catch (RuntimeException e) {
                        throw new AssertionError("key " + String.join(".", path) + " = " + hostile
                                + " threw " + e + " instead of a ConfigException", e);
                    }
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
                .hasMessageContaining("no such file")
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
                .hasMessageContaining("no directory");

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

    // ---- document surgery -------------------------------------------------------------------

    /** Every path to a value or a map/list inside {@code node}, root excluded. */
    private static List<String[]> paths(JsonNode node, List<String> prefix) {
        List<String[]> out = new ArrayList<>();
        if (node instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                List<String> p = new ArrayList<>(prefix);
                p.add(e.getKey());
                out.add(p.toArray(String[]::new));
                out.addAll(paths(e.getValue(), p));
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                List<String> p = new ArrayList<>(prefix);
                p.add("[" + i + "]");
                out.add(p.toArray(String[]::new));
                out.addAll(paths(a.get(i), p));
            }
        }
        return out;
    }

    private static void replace(JsonNode doc, String[] path, JsonNode value) {
        JsonNode parent = doc;
        for (int i = 0; i < path.length - 1; i++) {
            parent = step(parent, path[i]);
        }
        String last = path[path.length - 1];
        ContainerNode<?> c = (ContainerNode<?>) parent;
        if (c instanceof ArrayNode a) {
            a.set(Integer.parseInt(last.substring(1, last.length() - 1)), value);
        } else {
            ((ObjectNode) c).set(last, value);
        }
    }

    private static JsonNode step(JsonNode n, String key) {
        return key.startsWith("[") ? n.get(Integer.parseInt(key.substring(1, key.length() - 1))) : n.get(key);
    }
}
