package io.llmslo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `run` turns every configuration problem into exit code 2 before any engine starts. */
class RunCommandTest {

    @TempDir
    Path dir;

    @Test
    void configurationProblemsExitWithTwo() throws Exception {
        Path responses = Files.writeString(dir.resolve("r.jsonl"), "");
        String ok = "sources: {responses: %s}\noutput: {jdbc_url: \"jdbc:sqlite:%s\"}\n";
        assertThat(run("not: [valid")).isEqualTo(2);
        assertThat(run("sources: {responses: " + dir.resolve("missing.jsonl") + "}\noutput: {jdbc_url: \"jdbc:sqlite:"
                + dir.resolve("t.db") + "\"}\n")).isEqualTo(2);
        assertThat(run(ok.formatted(responses, dir.resolve("no/such/dir/t.db")))).isEqualTo(2);
        assertThat(run(ok.formatted(responses, dir.resolve("t.db")) + "join: {acceptance_window: 999999999999w}\n"))
                .isEqualTo(2);
        assertThat(Main.execute("run", "--job", dir.resolve("nope.yaml").toString())).isEqualTo(2);
    }

    private int run(String yaml) throws Exception {
        Path job = Files.writeString(Files.createTempFile(dir, "job", ".yaml"), yaml);
        return Main.execute("run", "--job", job.toString());
    }
}
