package io.llmslo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RubricCommandTest {

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new RubricCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void validateAcceptsTheShippedRubrics() {
        Run r = run("validate", "rubrics");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("ok  helpfulness").contains("ok  groundedness").contains("anchors");
    }

    @Test
    void validatePrintsEveryProblemAndExitsOne(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), """
                id: bad
                version: 1
                scale: {min: 1, max: 5}
                pass_threshold: 7
                min_agreement: 0.8
                instructions: rate it
                criteria: []
                examples: []
                """);
        Files.writeString(dir.resolve("worse.yaml"), "id: [unclosed\n");
        Run r = run("validate", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
                .contains(dir.resolve("bad.yaml") + ":4: field 'pass_threshold' expected an integer within scale 1..5, got 7")
                .contains(dir.resolve("bad.yaml") + ":7: field 'criteria' expected a non-empty list")
                .contains(dir.resolve("bad.yaml") + ":8: field 'examples' expected at least 5 anchors, got 0")
                .contains(dir.resolve("worse.yaml") + ":")
                .contains("is not valid YAML")
                .contains("4 problems in 2 files");
    }

    @Test
    void calibrateRunsTheOfflineJudgeOverTheAnchorsAndPrintsTheFigures() {
        Run r = run("calibrate", "rubrics/helpfulness.yaml");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("rubric helpfulness@3").contains("judge offline / e5-small-v2-anchors")
                .contains("n_pairs").contains("exact agreement").contains("within one").contains("useful agreement")
                .contains("kappa (quadratic weights)").contains("kappa on useful (Cohen)").contains("Fleiss, Cohen & Everitt")
                .contains("held-out pass agreement").contains("mean bias").contains("confusion");
        // useful agreement, Cohen's kappa and held-out agreement each with an interval
        assertThat(r.out()).containsPattern("useful agreement +0\\.\\d\\d \\[0\\.\\d\\d, [01]\\.\\d\\d\\]")
                .containsPattern("kappa on useful \\(Cohen\\) +-?[01]\\.\\d\\d \\[-?\\d\\.\\d\\d, -?\\d\\.\\d\\d\\]")
                .containsPattern("held-out pass agreement +0\\.\\d\\d \\[0\\.\\d\\d, [01]\\.\\d\\d\\]");
        System.out.println(r.out());
    }

    @Test
    void calibrateWithAJobFileUsesItsJudge(@TempDir Path dir) throws Exception {
        // A provider whose key variable is not set: a clear config error naming the variable, exit 1.
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, """
                sources: {responses: r.jsonl}
                output: {jdbc_url: 'jdbc:sqlite::memory:'}
                judge:
                  provider: anthropic
                  api_key_env: LLM_SLO_TEST_SURELY_UNSET_KEY
                """);
        Run r = run("calibrate", "rubrics/groundedness.yaml", "--job", job.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("environment variable LLM_SLO_TEST_SURELY_UNSET_KEY is not set");
    }
}
