package io.llmslo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The decoupled judge's keys (DESIGN §5): Kafka jobs only, decoupled by default there. */
class JudgeQueueConfigTest {

    static final String KAFKA = """
            sources: {type: kafka, bootstrap_servers: "localhost:9092"}
            output: {jdbc_url: "jdbc:sqlite:/tmp/x.db"}
            """;
    static final String FILES = """
            sources: {type: files, responses: r.jsonl}
            output: {jdbc_url: "jdbc:sqlite:/tmp/x.db"}
            """;

    @Test
    void kafkaJobsJudgeDecoupledWithTheDocumentedDefaults() {
        JobConfig c = JobConfig.parse("k.yaml", KAFKA + "judge: {enabled: true}\n");
        assertThat(c.judgeQueue).isEqualTo(new JobConfig.JudgeQueue("llm.judge_requests", "llm.judge_scores",
                Duration.ofMinutes(10)));
    }

    @Test
    void topicsAndBudgetAreConfigurableAndDecoupledFalseJudgesInline() {
        JobConfig c = JobConfig.parse("k.yaml", KAFKA
                + "judge: {requests_topic: a.req, scores_topic: a.scores, max_backlog: 90s}\n");
        assertThat(c.judgeQueue).isEqualTo(new JobConfig.JudgeQueue("a.req", "a.scores", Duration.ofSeconds(90)));
        assertThat(JobConfig.parse("k.yaml", KAFKA + "judge: {decoupled: false}\n").judgeQueue).isNull();
        assertThat(JobConfig.parse("k.yaml", KAFKA + "judge: {enabled: false}\n").judgeQueue).isNull();
    }

    @Test
    void fileReplaysJudgeInlineAndRejectTheKeys() {
        assertThat(JobConfig.parse("f.yaml", FILES).judgeQueue).isNull();
        assertThatThrownBy(() -> JobConfig.parse("f.yaml", FILES + "judge: {max_backlog: 10m}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("f.yaml")
                .hasMessageContaining("max_backlog")
                .hasMessageContaining("does not apply to sources.type: files");
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> JobConfig.parse("k.yaml", KAFKA + "judge: {max_backlog: 0s}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("judge.max_backlog");
        assertThatThrownBy(() -> JobConfig.parse("k.yaml", KAFKA + "judge: {scores_topic: \"a b\"}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("judge.scores_topic");
    }

    @Test
    void productionJudgesDecoupled() throws Exception {
        Path p = Path.of("jobs/production.yaml");
        assertThat(JobConfig.parse(p.toString(), Files.readString(p)).judgeQueue).isNotNull();
    }
}
