package io.llmslo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.config.JobConfig;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.junit.jupiter.api.Test;
import org.rocksdb.CompressionType;

/**
 * The engine options the job sets itself (docs/production.md), read back through Flink's own
 * typed options, so a misspelt key or value fails here and not silently on a cluster.
 */
class JobRunnerTest {

    private static JobConfig job(String backend) {
        return JobConfig.parse("job.yaml", """
                sources: {responses: r.jsonl}
                output: {jdbc_url: "jdbc:sqlite:t.db"}
                state: {backend: %s}
                """.formatted(backend));
    }

    @Test
    void rocksDbJobsCarryTheirRocksDbOptions() {
        Configuration conf = JobRunner.engineConfig(job("rocksdb"));
        assertThat(conf.get(RocksDBConfigurableOptions.USE_BLOOM_FILTER)).isTrue();
        assertThat(conf.get(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL))
                .containsExactly(CompressionType.LZ4_COMPRESSION);
        assertThat(conf.get(TaskManagerOptions.MANAGED_MEMORY_SIZE)).isEqualTo(JobRunner.LOCAL_MANAGED_MEMORY);
    }

    @Test
    void heapJobsLeaveRocksDbAlone() {
        Configuration conf = JobRunner.engineConfig(job("heap"));
        assertThat(conf.contains(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL)).isFalse();
        assertThat(conf.contains(RocksDBConfigurableOptions.USE_BLOOM_FILTER)).isFalse();
        assertThat(conf.get(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL))
                .isEqualTo(List.of(CompressionType.SNAPPY_COMPRESSION)); // Flink's default
    }

    @Test
    void everyJobIsStrictAboutTypesAndReusesObjects() {
        for (String backend : List.of("rocksdb", "heap")) {
            Configuration conf = JobRunner.engineConfig(job(backend));
            assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isFalse();
            assertThat(conf.get(PipelineOptions.OBJECT_REUSE)).isTrue();
        }
    }
}
