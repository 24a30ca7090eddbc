package io.llmslo.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmslo.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RubricValidatorTest {

    static final Path SHIPPED = Path.of("rubrics");

    @Test
    void shippedRubricsAreValidAndHaveRealAnchorSets() {
        RubricLoader.Loaded l = RubricLoader.validateAll(SHIPPED);
        assertThat(l.problems()).isEmpty();
        assertThat(l.rubrics()).containsOnlyKeys("helpfulness", "groundedness");
        for (Rubric r : l.rubrics().values()) {
            assertThat(r.examples()).hasSizeGreaterThanOrEqualTo(12);
            // Every score of the scale has at least one anchor.
            for (int s = r.scaleMin(); s <= r.scaleMax(); s++) {
                int score = s;
                assertThat(r.examples()).as("%s anchors with score %d", r.id(), s)
                        .anyMatch(a -> a.score() == score);
            }
            assertThat(r.examples()).allMatch(a -> !a.note().isBlank());
            assertThat(r.criteria()).hasSizeGreaterThanOrEqualTo(3);
        }
        // The job's default surface mapping resolves.
        assertThat(RubricLoader.forJob(SHIPPED, Map.of("chat", "helpfulness", "rag", "groundedness")))
                .hasSize(2);
    }

    static final String BROKEN = """
            id: Helpfulness
            version: 0
            scale: {min: 1, max: 5}
            pass_threshold: 7
            min_agreement: 1.5
            instructions: |
              Rate it.
            criteria:
              - id: correct
                description: right
              - id: correct
                description: also right
            examples:
              - prompt: "2+2?"
                response: "4"
                score: 5
              - prompt: "capital of France?"
                response: "Lyon"
                score: six
              - prompt: ""
                response: "x"
                score: 1
                notes: typo key
            colour: blue
            """;

    @Test
    void brokenRubricReportsEveryProblemWithFileLineAndField() {
        RubricValidator.Result r = RubricValidator.validate("rubrics/broken.yaml", BROKEN);
        assertThat(r.valid()).isFalse();
        assertThat(r.rubric()).isNull();
        assertThat(r.problems()).extracting(RubricProblem::toString).containsExactlyInAnyOrder(
                "rubrics/broken.yaml:1: field 'id' expected a lower-case identifier ([a-z][a-z0-9_-]*), got 'Helpfulness'",
                "rubrics/broken.yaml:2: field 'version' expected an integer >= 1, got 0",
                "rubrics/broken.yaml:4: field 'pass_threshold' expected an integer within scale 1..5, got 7",
                "rubrics/broken.yaml:5: field 'min_agreement' expected a number in (0, 1], got 1.5",
                "rubrics/broken.yaml:11: field 'criteria[1].id' duplicates criterion id 'correct'",
                "rubrics/broken.yaml:19: field 'examples[1].score' expected an integer within scale 1..5, got 'six'",
                "rubrics/broken.yaml:20: field 'examples[2].prompt' expected non-empty text, got an empty string",
                "rubrics/broken.yaml:23: field 'examples[2].notes' is not known here; expected one of [prompt, response, score, note]",
                "rubrics/broken.yaml:24: field 'colour' is not known here; expected one of [id, version, description, scale, pass_threshold, min_agreement, instructions, criteria, examples]",
                "rubrics/broken.yaml:13: field 'examples' expected at least 5 anchors, got 3");
    }

    @Test
    void missingFieldsAndBadYamlAreLocated() {
        var missing = RubricValidator.validate("r.yaml", "id: x\nversion: 1\n");
        assertThat(missing.problems()).extracting(RubricProblem::toString).contains(
                "r.yaml:1: field 'scale' is missing: expected {min: 1, max: 5}",
                "r.yaml:1: field 'examples' is missing: expected a list of at least 5 anchors {prompt, response, score, note}");
        var dup = RubricValidator.validate("r.yaml", "id: x\nid: y\n");
        assertThat(dup.problems()).extracting(RubricProblem::toString)
                .contains("r.yaml:2: is not valid YAML: Duplicate field 'id'");
        var bad = RubricValidator.validate("r.yaml", "id: x\nexamples: [\n  - a\n");
        assertThat(bad.problems()).hasSize(1);
        assertThat(bad.problems().get(0).toString()).startsWith("r.yaml:").contains("is not valid YAML");
        var scale = RubricValidator.validate("r.yaml", "scale: {min: 5, max: 1}\n");
        assertThat(scale.problems()).extracting(RubricProblem::toString)
                .contains("r.yaml:1: field 'scale.max' expected an integer greater than scale.min (5), got 1");
    }

    @Test
    void anchorsMustStraddleThePassThreshold(@TempDir Path dir) throws Exception {
        String text = Files.readString(SHIPPED.resolve("helpfulness.yaml"))
                .replaceAll("score: [123]\\b", "score: 4");
        var r = RubricValidator.validate("h.yaml", text);
        assertThat(r.problems()).extracting(RubricProblem::field).containsExactly("examples");
        assertThat(r.problems().get(0).message()).contains("none below");

        Files.writeString(dir.resolve("a.yaml"), Files.readString(SHIPPED.resolve("helpfulness.yaml")));
        Files.writeString(dir.resolve("b.yml"), Files.readString(SHIPPED.resolve("helpfulness.yaml")));
        assertThatThrownBy(() -> RubricLoader.load(dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("b.yml:1: field 'id' duplicates rubric id 'helpfulness'");
        assertThatThrownBy(() -> RubricLoader.forJob(SHIPPED, Map.of("chat", "helpfulnes")))
                .hasMessageContaining("judge.rubric_by_surface.chat names rubric 'helpfulnes'");
    }
}
