package io.llmslo.source;

import io.llmslo.config.JobConfig;
import io.llmslo.event.Envelope;
import io.llmslo.event.EventKind;
import io.llmslo.pipeline.TextDrop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The input streams as one stream of envelopes with event-time watermarks: JSONL files for
 * replays (bounded) or Kafka topics (unbounded). Either way parsing happens in the source and
 * the watermark strategy is the source's, so Kafka gets per-partition watermarks. The parser drops
 * the text the judge will not read ({@link TextDrop}), so it never crosses the first shuffle. A Kafka job
 * with the decoupled judge also reads its scores ({@code judge.scores_topic}), a fourth source
 * that never takes part in event time (see {@link #scoreWatermarks}).
 */
public final class EventSources {

    /** Sources may run ahead of the slowest one by at most this much event time. */
    static final Duration MAX_DRIFT = Duration.ofHours(6);

    /** Event-time step between watermarks emitted on events (see ProgressiveWatermarks). */
    static final long WATERMARK_STEP_MS = 60_000;

    private EventSources() {}

    public static DataStream<Envelope> create(StreamExecutionEnvironment env, JobConfig cfg) {
        return create(env, cfg, null);
    }

    /**
     * As {@link #create(StreamExecutionEnvironment, JobConfig)}; with {@code kafkaStoppingOffsets}
     * set, the Kafka sources are bounded (e.g. {@code OffsetsInitializer.latest()} at submit
     * time), so a Kafka run has a well-defined end, like a file replay.
     */
    public static DataStream<Envelope> create(StreamExecutionEnvironment env, JobConfig cfg,
            OffsetsInitializer kafkaStoppingOffsets) {
        List<DataStream<Envelope>> streams = new ArrayList<>();
        for (EventKind kind : EventKind.values()) {
            String where = location(cfg, kind);
            if (where == null) {
                continue;
            }
            DataStream<Envelope> s = cfg.sources.kafka()
                    ? kafka(env, cfg, kind, where, kafkaStoppingOffsets)
                    : file(env, cfg, kind, where);
            streams.add(s);
        }
        DataStream<Envelope> all = streams.get(0);
        for (int i = 1; i < streams.size(); i++) {
            all = all.union(streams.get(i));
        }
        return all;
    }

    /**
     * Bounded out-of-orderness from each event's {@code ts}. For Kafka, watermark alignment keeps
     * the three topics within {@link #MAX_DRIFT} of each other, so a backfill of ratings does not
     * pile up in the joiner's state. FileSource cannot pause its splits, so file replays run
     * unaligned: feedback and ratings read ahead wait in the joiner (small records, bounded by
     * the files).
     */
    static WatermarkStrategy<Envelope> watermarks(JobConfig cfg) {
        return watermarks(cfg, true);
    }

    /**
     * @param align false for bounded Kafka sources: flink-connector-kafka 5.0.0-2.2 may pause a
     *     split that has just finished and fail with "No current assignment for partition"
     *     (FLINK-39728, fixed after that release). Unbounded splits never finish.
     */
    static WatermarkStrategy<Envelope> watermarks(JobConfig cfg, boolean align) {
        long outOfOrderness = cfg.eventTime.outOfOrderness().toMillis();
        WatermarkStrategy<Envelope> w = WatermarkStrategy
                .<Envelope>forGenerator(ctx -> new ProgressiveWatermarks(outOfOrderness, WATERMARK_STEP_MS))
                // a dead letter's ts is not event time: it may be the implausible value itself
                .withTimestampAssigner((e, previous) -> e.isDead() || e.ts() == Long.MIN_VALUE ? previous : e.ts());
        if (cfg.sources.kafka()) {
            w = w.withIdleness(cfg.eventTime.idleness());
            if (align) {
                w = w.withWatermarkAlignment("llm-events", MAX_DRIFT, Duration.ofMillis(100));
            }
        }
        return w;
    }

    /**
     * The judge scores' strategy: no watermark at all, the source is idle for event time. A
     * score's {@code ts} is its response's time, which the judge's backlog (up to
     * {@code judge.max_backlog}) puts behind the other topics: taking part would hold the job's
     * watermark back by the judge's lag, and watermark alignment would then pause the response
     * topic for a slow judge. Scores need no watermark: the joiner joins them to the request's
     * state whatever their lateness, and the evaluator corrects the instants they reach late.
     */
    static WatermarkStrategy<Envelope> scoreWatermarks() {
        return WatermarkStrategy.<Envelope>forGenerator(ctx -> new WatermarkGenerator<>() {
                    @Override
                    public void onEvent(Envelope e, long timestamp, WatermarkOutput output) {}

                    @Override
                    public void onPeriodicEmit(WatermarkOutput output) {
                        output.markIdle();
                    }
                })
                .withTimestampAssigner((e, previous) -> e.isDead() || e.ts() == Long.MIN_VALUE ? previous : e.ts());
    }

    private static String location(JobConfig cfg, EventKind kind) {
        return switch (kind) {
            case RESPONSE -> cfg.sources.responses();
            case FEEDBACK -> cfg.sources.feedback();
            case RATING -> cfg.sources.ratings();
            case SCORE -> cfg.sources.kafka() && cfg.judgeQueue != null ? cfg.judgeQueue.scoresTopic() : null;
        };
    }

    private static DataStream<Envelope> file(StreamExecutionEnvironment env, JobConfig cfg,
            EventKind kind, String path) {
        FileSource<Envelope> source =
                FileSource.forRecordStreamFormat(new EnvelopeLineFormat(kind, cfg.eventTime.bounds(),
                        cfg.eventTime.maxJump().toMillis(), TextDrop.forJob(cfg)), new Path(path)).build();
        return env.fromSource(source, watermarks(cfg), kind.source() + "-file")
                .uid("source-" + kind.source());
    }

    /**
     * One topic. Watermarks are generated per partition inside the source (the strategy is the
     * source's, not a downstream operator's), so a lagging partition holds event time back and
     * an idle one stops doing so after {@code event_time.idleness}. Offsets are committed to the
     * group on checkpoints only, for monitoring lag; on restore the checkpointed offsets win.
     */
    private static DataStream<Envelope> kafka(StreamExecutionEnvironment env, JobConfig cfg,
            EventKind kind, String topic, OffsetsInitializer stopping) {
        KafkaSourceBuilder<Envelope> builder = KafkaSource.<Envelope>builder()
                .setBootstrapServers(cfg.sources.bootstrapServers())
                .setTopics(topic)
                .setGroupId(cfg.sources.groupId())
                .setStartingOffsets(offsets(cfg.sources.startingOffsets()))
                .setDeserializer(new EnvelopeKafkaDeserializer(kind, cfg.eventTime.bounds(), TextDrop.forJob(cfg)))
                // one consumer per topic and subtask: name them after the stream in broker logs
                .setClientIdPrefix(cfg.sources.groupId() + "-" + kind.source())
                // secrets stay ${env:NAME} references, resolved by the Kafka client in the task
                .setProperties(KafkaClientProperties.of(cfg));
        if (stopping != null) {
            builder.setBounded(stopping);
        }
        WatermarkStrategy<Envelope> w = kind == EventKind.SCORE ? scoreWatermarks() : watermarks(cfg, stopping == null);
        return env.fromSource(builder.build(), w, kind.source() + "-kafka")
                .uid("source-" + kind.source());
    }

    /** {@code sources.starting_offsets} as the Kafka connector's initializer (the judge worker's too). */
    public static OffsetsInitializer offsets(String spec) {
        if (spec.startsWith("timestamp:")) {
            return OffsetsInitializer.timestamp(Long.parseLong(spec.substring("timestamp:".length())));
        }
        return switch (spec) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            default -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    }
}
