package io.llmslo.cli;

import io.llmslo.config.ConfigException;
import io.llmslo.config.JobConfig;
import io.llmslo.event.Envelope;
import io.llmslo.pipeline.JudgeBranch;
import io.llmslo.pipeline.LlmSloJob;
import io.llmslo.sink.AlertKafkaSink;
import io.llmslo.sink.AlertmanagerSink;
import io.llmslo.sink.JdbcSettings;
import io.llmslo.sink.JdbcUpsertSink;
import io.llmslo.sink.TableSchemas;
import io.llmslo.sink.TableSpec;
import io.llmslo.slo.AlertTransitionFilter;
import io.llmslo.slo.SloEvaluatorFunction;
import io.llmslo.slo.SloStatus;
import io.llmslo.source.EventSources;
import io.llmslo.source.KafkaClientProperties;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Builds the execution environment a job file asks for, wires sources and sinks, and runs. */
public final class JobRunner {

    private JobRunner() {}

    /**
     * RocksDB's block compression per level, as the text Flink parses into its typed option (a
     * list set here would reach the backend unconverted): one value for every level.
     */
    static final ConfigOption<String> COMPRESSION_PER_LEVEL =
            ConfigOptions.key("state.backend.rocksdb.compression.per.level").stringType().noDefaultValue();
    static final String LZ4 = "LZ4_COMPRESSION";

    /** RocksDB's memory in a local run (all slots together); see docs/production.md. */
    static final MemorySize LOCAL_MANAGED_MEMORY = MemorySize.ofMebiBytes(512);

    /** Engine options from the job file: state backend, checkpoints, strict serialization, object reuse. */
    public static Configuration engineConfig(JobConfig cfg) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, cfg.state.backend().equals("rocksdb") ? "rocksdb" : "hashmap");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, cfg.state.incremental());
        if (cfg.state.checkpointDir() != null) {
            String dir = checkpointUri(cfg.state.checkpointDir());
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
            // `flink stop <job>` without -p lands next to the checkpoints
            conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, dir.replaceAll("/+$", "") + "/savepoints");
            // a cancelled or failed job leaves its last checkpoint to restart from (`flink run -s`)
            conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        }
        if (cfg.state.checkpointInterval() != null) {
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, cfg.state.checkpointInterval());
            conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                    cfg.state.exactlyOnce() ? CheckpointingMode.EXACTLY_ONCE : CheckpointingMode.AT_LEAST_ONCE);
            // with RocksDB and a big window, keep the job mostly processing, not checkpointing
            conf.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, cfg.state.checkpointInterval().dividedBy(2));
        }
        if (cfg.prometheusPort != null) {
            // local runs only: a cluster takes reporters from its own config (see docker-compose.yml)
            conf.set(ConfigOptions.key("metrics.reporter.prom.factory.class").stringType().noDefaultValue(),
                    "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            conf.set(ConfigOptions.key("metrics.reporter.prom.port").stringType().noDefaultValue(), cfg.prometheusPort);
        }
        if (cfg.state.backend().equals("rocksdb")) {
            // most state reads of the evaluator look up buckets that do not exist (a minute without
            // traffic): a bloom filter answers those from memory instead of searching every SST file
            conf.set(ConfigOptions.key("state.backend.rocksdb.use-bloom-filter").booleanType().noDefaultValue(), true);
            // RocksDB's block cache and write buffers are the TaskManager's managed memory, shared by
            // every keyed operator of a slot. A local run's MiniCluster gives it 128 MB in all: tiny
            // memtables, a flush and compactions every few thousand requests, reads that miss the
            // cache. On a cluster this option is the TaskManagers' own and is ignored here.
            conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, LOCAL_MANAGED_MEMORY);
            // LZ4 instead of RocksDB's default Snappy on every level: the same kind of fast block
            // compressor, about the same size, cheaper to run: on the dense bench day RocksDB's flush
            // and compaction threads use 35-50 % less CPU (docs/production.md, BENCHMARKS.md)
            conf.set(COMPRESSION_PER_LEVEL, LZ4);
        }
        // every stream and state type is a POJO/record: a silent Kryo fallback is a bug
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // no deep copy of every record between chained operators (the joiner's observations, each
        // with its dimension map, into the cohort partials): every stream type is an immutable
        // record and no function changes a record it received or emitted or re-emits an object (audited for
        // issue 9, listed in BENCHMARKS.md "Third pass"); the async judge copies its inputs itself
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        return conf;
    }

    /**
     * Flink wants a URI; a plain path in the job file means a local directory (relative to the
     * working directory of the process reading the job file). URIs (file://, s3://) pass as is.
     */
    static String checkpointUri(String dir) {
        if (dir.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            return dir;
        }
        return Path.of(dir).toAbsolutePath().normalize().toUri().toString();
    }

    public static LlmSloJob.Sinks jdbcSinks(JobConfig cfg) {
        JdbcSettings jdbc = jdbcSettings(cfg);
        // slo_status and slo_history from one sink (each evaluation crosses to it once); the status
        // slot stays empty
        return new LlmSloJob.Sinks(
                null,
                JdbcUpsertSink.statusAndHistory(jdbc),
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

    /**
     * A local run's MiniCluster listens on loopback only (DESIGN §7b): its REST API has no
     * authentication (an unauthenticated PATCH cancels the job) and its blob server serves job
     * jars. On a real cluster these options are the cluster's own and this changes nothing.
     */
    static Configuration loopback(Configuration conf) {
        conf.set(RestOptions.BIND_ADDRESS, LOOPBACK);
        conf.set(RestOptions.ADDRESS, LOOPBACK);
        conf.set(JobManagerOptions.BIND_HOST, LOOPBACK); // RPC and the blob server
        conf.set(JobManagerOptions.ADDRESS, LOOPBACK);
        conf.set(TaskManagerOptions.BIND_HOST, LOOPBACK);
        conf.set(TaskManagerOptions.HOST, LOOPBACK);
        return conf;
    }

    static final String LOOPBACK = "127.0.0.1";

    public static StreamExecutionEnvironment environment(JobConfig cfg) {
        Configuration conf = loopback(engineConfig(cfg));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        // a context environment (test MiniCluster, `flink run`) may not take the options above
        env.configure(conf, JobRunner.class.getClassLoader());
        env.setParallelism(cfg.parallelism);
        return env;
    }

    public static JobExecutionResult run(JobConfig cfg) throws Exception {
        // execute(), not executeAsync().getJobExecutionResult(): under a web/REST submission the
        // job client cannot fetch a result, and execute() returns a detached result there
        return prepare(cfg).execute("llm-slo " + cfg.name);
    }

    /** Submits the job without waiting for it (progress: {@link JobClient#getAccumulators()}). */
    public static JobClient start(JobConfig cfg) throws Exception {
        StreamExecutionEnvironment env = prepare(cfg);
        return env.executeAsync("llm-slo " + cfg.name);
    }

    private static StreamExecutionEnvironment prepare(JobConfig cfg) throws Exception {
        cfg.checkFiles();
        createTables(cfg);
        return graph(cfg);
    }

    /** The job's environment with its whole graph built, not yet executed (run, plan). */
    public static StreamExecutionEnvironment graph(JobConfig cfg) {
        StreamExecutionEnvironment env = environment(cfg);
        DataStream<Envelope> events = EventSources.create(env, cfg);
        LlmSloJob.Outputs outputs = LlmSloJob.build(cfg, events, jdbcSinks(cfg), JudgeBranch.forJob(cfg,
                new JdbcUpsertSink<>(jdbcSettings(cfg), TableSchemas.judgeCalibration()),
                new JdbcUpsertSink<>(jdbcSettings(cfg), TableSchemas.reviewQueue())));
        addAlertTopic(cfg, outputs);
        addAlertmanager(cfg, outputs);
        return env;
    }

    /**
     * Alert transitions to the Alertmanagers of the job file's {@code alertmanager:} section, from
     * one writer (parallelism 1: alerts are rare and one writer owns their open/resolve order).
     */
    public static void addAlertmanager(JobConfig cfg, LlmSloJob.Outputs outputs) {
        if (cfg.alertmanager == null) {
            return;
        }
        if (!(outputs.statuses() instanceof SingleOutputStreamOperator<SloStatus> evaluator)) {
            throw new IllegalStateException("the status stream is not the evaluator's output");
        }
        evaluator.getSideOutput(SloEvaluatorFunction.ALERT_NOTICES)
                .sinkTo(new AlertmanagerSink(cfg.alertmanager, cfg.name))
                .name("slo-alerts-alertmanager")
                .uid("slo-alerts-alertmanager")
                .setParallelism(1);
    }

    /**
     * Alert transitions to {@code output.alerts_topic} as JSON keyed by {@code slo|cohort}, on the
     * same brokers and with the same client properties (TLS, SASL) as the sources.
     */
    public static void addAlertTopic(JobConfig cfg, LlmSloJob.Outputs outputs) {
        if (cfg.output.alertsTopic() == null) {
            return;
        }
        if (!cfg.sources.kafka()) {
            throw new ConfigException(cfg.file + ": key 'output.alerts_topic' needs sources.type: kafka"
                    + " (the topic is written with the sources' bootstrap_servers and properties)");
        }
        outputs.alerts()
                .keyBy(AlertTransitionFilter::keyOf)
                .process(new AlertTransitionFilter())
                .name("alert-transitions")
                .uid("alert-transitions")
                .sinkTo(AlertKafkaSink.create(cfg.sources.bootstrapServers(), cfg.output.alertsTopic(),
                        KafkaClientProperties.of(cfg)))
                .name("slo-alerts-topic")
                .uid("slo-alerts-topic");
    }
}
