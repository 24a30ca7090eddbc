package io.llmslo.cli;

import io.llmslo.config.JobConfig;
import io.llmslo.event.Envelope;
import io.llmslo.pipeline.LlmSloJob;
import io.llmslo.sink.JdbcSettings;
import io.llmslo.sink.JdbcUpsertSink;
import io.llmslo.sink.TableSchemas;
import io.llmslo.sink.TableSpec;
import io.llmslo.source.EventSources;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Builds the execution environment a job file asks for, wires sources and sinks, and runs. */
public final class JobRunner {

    private JobRunner() {}

    /** Engine options from the job file: state backend, checkpoints, strict serialization. */
    public static Configuration engineConfig(JobConfig cfg) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, cfg.state.backend().equals("rocksdb") ? "rocksdb" : "hashmap");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, cfg.state.incremental());
        if (cfg.state.checkpointDir() != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, cfg.state.checkpointDir());
        }
        if (cfg.state.checkpointInterval() != null) {
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, cfg.state.checkpointInterval());
            conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                    cfg.state.exactlyOnce() ? CheckpointingMode.EXACTLY_ONCE : CheckpointingMode.AT_LEAST_ONCE);
        }
        // every stream and state type is a POJO/record: a silent Kryo fallback is a bug
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return conf;
    }

    public static LlmSloJob.Sinks jdbcSinks(JobConfig cfg) {
        JdbcSettings jdbc = jdbcSettings(cfg);
        return new LlmSloJob.Sinks(
                new JdbcUpsertSink<>(jdbc, TableSchemas.sloStatus()),
                new JdbcUpsertSink<>(jdbc, TableSchemas.sloHistory()),
                new JdbcUpsertSink<>(jdbc, TableSchemas.sloAlerts()),
                new JdbcUpsertSink<>(jdbc, TableSchemas.deadLetters()),
                new JdbcUpsertSink<>(jdbc, TableSchemas.judgeScores()));
    }

    public static JdbcSettings jdbcSettings(JobConfig cfg) {
        return new JdbcSettings(cfg.output.jdbcUrl(), cfg.output.jdbcUser(), cfg.output.jdbcPasswordEnv(),
                cfg.output.batchSize(), cfg.output.flushInterval().toMillis());
    }

    /** Creates every table up front, so a dashboard pointed at a fresh database sees the schema. */
    public static void createTables(JobConfig cfg) throws SQLException {
        try (Connection c = jdbcSettings(cfg).connect()) {
            for (TableSpec<?> t : TableSchemas.all()) {
                TableSchemas.create(c, t);
            }
        }
    }

    public static StreamExecutionEnvironment environment(JobConfig cfg) {
        Configuration conf = engineConfig(cfg);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        // a context environment (test MiniCluster, `flink run`) may not take the options above
        env.configure(conf, JobRunner.class.getClassLoader());
        env.setParallelism(cfg.parallelism);
        return env;
    }

    public static JobExecutionResult run(JobConfig cfg) throws Exception {
        createTables(cfg);
        StreamExecutionEnvironment env = environment(cfg);
        DataStream<Envelope> events = EventSources.create(env, cfg);
        LlmSloJob.build(cfg, events, jdbcSinks(cfg), JudgeStages.forConfig(cfg));
        return env.execute("llm-slo " + cfg.name);
    }
}
