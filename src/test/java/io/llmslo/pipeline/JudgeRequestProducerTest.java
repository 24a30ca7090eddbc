package io.llmslo.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.config.JobConfig;
import org.junit.jupiter.api.Test;

/** The judge-requests producer batches unless the job file's Kafka properties say otherwise. */
class JudgeRequestProducerTest {

    static final String KAFKA = """
            sources: {type: kafka, bootstrap_servers: "localhost:9092"%s}
            output: {jdbc_url: "jdbc:sqlite:/tmp/x.db"}
            judge: {enabled: true}
            """;

    @Test
    void lingersAndBatchesByDefault() {
        JobConfig cfg = JobConfig.parse("k.yaml", KAFKA.formatted(""));
        var p = JudgeBranch.requestProducerProperties(cfg);
        assertThat(p.getProperty("linger.ms")).isEqualTo("100");
        assertThat(p.getProperty("batch.size")).isEqualTo("262144");
    }

    @Test
    void theJobFilesPropertiesWin() {
        JobConfig cfg = JobConfig.parse("k.yaml",
                KAFKA.formatted(", properties: {linger.ms: \"5\", security.protocol: SSL}"));
        var p = JudgeBranch.requestProducerProperties(cfg);
        assertThat(p.getProperty("linger.ms")).isEqualTo("5");
        assertThat(p.getProperty("batch.size")).isEqualTo("262144");
        assertThat(p.getProperty("security.protocol")).isEqualTo("SSL");
    }
}
