package io.llmslo.pipeline;

import io.llmslo.event.DeadLetter;

import io.llmslo.event.RecordGuard;

import io.llmslo.config.JobConfig;
import io.llmslo.event.RatingEvent;
import io.llmslo.event.ResponseEvent;
import io.llmslo.judge.CalibrationAggregator;
import io.llmslo.judge.CalibrationJoiner;
import io.llmslo.judge.CalibrationPair;
import io.llmslo.judge.CalibrationRow;
import io.llmslo.judge.JudgeClients;
import io.llmslo.judge.JudgeFunction;
import io.llmslo.judge.JudgeRequest;
import io.llmslo.judge.JudgeRequestJson;
import io.llmslo.judge.JudgeResult;
import io.llmslo.judge.ReviewQueue;
import io.llmslo.judge.ReviewQueueFunction;
import io.llmslo.judge.ReviewQueueItem;
import io.llmslo.judge.ReviewedScore;
import io.llmslo.judge.Rubric;
import io.llmslo.judge.RubricLoader;
import io.llmslo.judge.SampleFloorFunction;
import io.llmslo.judge.Sampler;
import io.llmslo.sink.JsonKafkaSink;
import io.llmslo.slo.AlertEvent;
import io.llmslo.source.KafkaClientProperties;
import io.llmslo.slo.JudgeCorrection;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The judge branch of DESIGN §1, the one place it is wired: deterministic sample → LLM judge →
 * scores; and calibration: judge scores joined with human ratings per request, aggregated per
 * rubric version into {@code judge_calibration}. {@link LlmSloJob} plugs it in when the job file
 * enables the judge ({@link #forJob}), tests build it with their own sinks.
 *
 * <p>Two ways to judge (DESIGN §5): inline (bounded replays, or {@code judge.decoupled: false}),
 * an async operator on the joiner's side output, whose back-pressure reaches the joiner; or
 * decoupled (Kafka jobs, the default there): sampled requests go to {@code judge.requests_topic},
 * the {@link JudgeWorker} judges them, and the scores come back as a fourth source joined by the
 * request joiner, so the SLO path never waits for the judge.
 */
public final class JudgeBranch implements Serializable {

    private final JobConfig cfg;
    private final HashMap<String, Rubric> rubrics;
    private final Sink<CalibrationRow> calibrationSink;
    private final Sink<ReviewQueueItem> reviewQueueSink;
    /** Per-record failures of the sample floor (RecordGuard), collected while the graph is built. */
    private transient DataStream<DeadLetter> sampleDeadLetters;
    /** The judge worker's dead letters (unreadable judge requests), when decoupled. */
    private transient DataStream<DeadLetter> workerDeadLetters;

    /** What calibration adds to the job: calibration alerts, and the pairs the judge correction weighs. */
    public record Calibrated(DataStream<AlertEvent> alerts, DataStream<CalibrationPair> pairs,
            DataStream<ReviewQueueItem> reviewQueue, DataStream<DeadLetter> deadLetters) {}

    public JudgeBranch(JobConfig cfg, Map<String, Rubric> rubrics, Sink<CalibrationRow> calibrationSink) {
        this(cfg, rubrics, calibrationSink, null);
    }

    /** Either sink may be null to drop that output. */
    public JudgeBranch(JobConfig cfg, Map<String, Rubric> rubrics, Sink<CalibrationRow> calibrationSink,
            Sink<ReviewQueueItem> reviewQueueSink) {
        this.cfg = cfg;
        this.rubrics = new HashMap<>(rubrics);
        this.calibrationSink = calibrationSink;
        this.reviewQueueSink = reviewQueueSink;
    }

    /**
     * The branch of a job file: none when the judge is disabled. Fails at submission, not inside a
     * task, on an invalid rubric or an unset key variable.
     */
    public static JudgeBranch forJob(JobConfig cfg, Sink<CalibrationRow> calibrationSink,
            Sink<ReviewQueueItem> reviewQueueSink) {
        if (!cfg.judge.enabled()) {
            return null;
        }
        JudgeClients.preflight(cfg.judge, System.getenv());
        var loaded = RubricLoader.forJob(Path.of(cfg.judge.rubricsDir()), cfg.judge.rubricBySurface());
        return new JudgeBranch(cfg, loaded, calibrationSink, reviewQueueSink);
    }

    /**
     * The human correction of the judge SLO: pairs needed per cohort ({@code judge.calibration.min_pairs}),
     * the calibration window, and the strictest {@code min_agreement} of the job's rubrics.
     */
    public JudgeCorrection correction() {
        double minAgreement = rubrics.values().stream().mapToDouble(Rubric::minAgreement).max().orElse(0.8);
        return new JudgeCorrection(cfg.calibration.minPairs(), cfg.calibration.window(), minAgreement);
    }

    /** Whether this job judges off the SLO path ({@code judge.decoupled}, Kafka jobs). */
    public boolean decoupled() {
        return cfg.judgeQueue != null;
    }

    /** Sampled responses through the inline judge. */
    public DataStream<JudgeResult> judge(DataStream<ResponseEvent> uniqueResponses) {
        return asyncJudge(sampled(uniqueResponses), cfg.judge, rubrics);
    }

    /**
     * The decoupled judge: sampled requests out to {@code judge.requests_topic} (stamped with the
     * wall clock as they are written, for the worker's backlog budget), the {@link JudgeWorker}
     * added to the same job, and the scores as the request joiner joined them.
     *
     * @param joinedScores the joiner's {@link io.llmslo.join.RequestJoiner#JOINED_SCORES}
     */
    public DataStream<JudgeResult> decoupled(DataStream<ResponseEvent> uniqueResponses,
            DataStream<JudgeResult> joinedScores) {
        JobConfig.JudgeQueue q = cfg.judgeQueue;
        HashMap<String, String> bySurface = new HashMap<>(cfg.judge.rubricBySurface());
        sampled(uniqueResponses)
                .map(r -> JudgeRequest.of(r, bySurface))
                .returns(JudgeRequest.class)
                .name("judge-requests")
                .uid("judge-requests")
                .sinkTo(JsonKafkaSink.create(cfg.sources.bootstrapServers(), q.requestsTopic(),
                        requestProducerProperties(cfg), JudgeRequest::requestId,
                        (m, r) -> JudgeRequestJson.request(m, r.enqueued(System.currentTimeMillis()))))
                .name("judge-requests-topic")
                .uid("judge-requests-topic");
        workerDeadLetters = JudgeWorker.build(uniqueResponses.getExecutionEnvironment(), cfg, rubrics);
        return joinedScores;
    }

    /**
     * The judge-requests producer's client properties: the job's ({@code sources.properties}), and
     * unless set there a 100 ms linger and 256 KiB batches. A request waits in the topic for the
     * worker anyway; without a linger the producer sends one produce request per few judge
     * requests, and the broker's and the producer's CPU per judge request is what the judge costs
     * the job's machine beyond the SLO path (BENCHMARKS.md "bench judge", fifth pass).
     */
    public static Properties requestProducerProperties(JobConfig cfg) {
        Properties props = KafkaClientProperties.of(cfg);
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "100");
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        return props;
    }

    private DataStream<ResponseEvent> sampled(DataStream<ResponseEvent> uniqueResponses) {
        DataStream<ResponseEvent> sampled = sample(uniqueResponses, cfg.sampling);
        if (sampled instanceof SingleOutputStreamOperator<ResponseEvent> op) {
            sampleDeadLetters = op.getSideOutput(RecordGuard.DEAD_LETTERS);
        }
        return sampled;
    }

    /**
     * Judge scores → review queue (which judged requests people should rate, with the probability
     * of each) → joined with ratings per request → pairs, aggregated per (rubric, version, judge
     * model) into {@code judge_calibration} and the calibration alert.
     */
    public Calibrated calibrate(DataStream<JudgeResult> results, DataStream<RatingEvent> ratings) {
        JobConfig.Review rq = cfg.review;
        DataStream<ReviewedScore> reviewed;
        DataStream<ReviewQueueItem> queue = null;
        if (rq.enabled()) {
            ReviewQueue decisions = new ReviewQueue(rq.minPairs(), rq.window(), rq.minRate(), rq.uncertainBoost(),
                    rq.strata());
            SingleOutputStreamOperator<ReviewedScore> r = results
                    .keyBy(j -> decisions.stratum(j.dims()))
                    .process(new ReviewQueueFunction(decisions, rq.weightRatings()))
                    .name("review-queue")
                    .uid("review-queue");
            reviewed = r;
            queue = r.getSideOutput(ReviewQueueFunction.QUEUE);
            sink(queue, reviewQueueSink, "review-queue-sink");
            if (cfg.sources.kafka() && rq.topic() != null) {
                // the rater tool's feed, keyed by request id (at-least-once: dedupe on request_id)
                queue.sinkTo(JsonKafkaSink.create(cfg.sources.bootstrapServers(), rq.topic(),
                                KafkaClientProperties.of(cfg), ReviewQueueItem::requestId, ReviewQueueItem::json))
                        .name("review-queue-topic")
                        .uid("review-queue-topic");
            }
        } else {
            reviewed = results.filter(JudgeResult::ok).name("judge-scores-only")
                    .map(ReviewQueueFunction::unreviewed).name("unreviewed-scores");
        }
        CalibrationJoiner joiner = new CalibrationJoiner(cfg.join.maxRatingDelay());
        if (decoupled()) {
            // scores come back through Kafka up to judge.max_backlog after their response, and in a
            // fast backfill many event-time hours behind it: a rating waits for its request's
            // score as long as the request lives; only ratings the hash sample may hold wait at all
            // (with a per-cohort-hour floor any request may be judged: every rating waits)
            joiner = new CalibrationJoiner(cfg.join.maxRatingDelay(), cfg.join.maxRatingDelay());
            if (cfg.sampling.minPerCohortHour() <= 0) {
                Sampler sampler = new Sampler(cfg.sampling);
                ratings = ratings.filter(r -> sampler.maybeSampled(r.requestId())).name("ratings-of-sampled-requests");
            }
        }
        SingleOutputStreamOperator<CalibrationPair> pairs = reviewed
                .connect(ratings)
                .keyBy(ReviewedScore::requestId, RatingEvent::requestId)
                .process(joiner)
                .name("calibration-joiner")
                .uid("calibration-joiner");
        SingleOutputStreamOperator<CalibrationRow> rows = pairs
                .keyBy(CalibrationPair::calibrationKey)
                .process(new CalibrationAggregator(cfg.output.historyInterval(), rubrics, cfg.calibration.minPairs(),
                        CalibrationAggregator.DEFAULT_RETENTION, cfg.calibration.window()))
                .name("calibration-aggregator")
                .uid("calibration-aggregator");
        sink(rows, calibrationSink, "judge-calibration-sink");
        // every keyed function of the branch turns a failing record into a dead letter (RecordGuard)
        DataStream<DeadLetter> deadLetters = pairs.getSideOutput(RecordGuard.DEAD_LETTERS)
                .union(rows.getSideOutput(RecordGuard.DEAD_LETTERS));
        if (reviewed instanceof SingleOutputStreamOperator<ReviewedScore> r && rq.enabled()) {
            deadLetters = deadLetters.union(r.getSideOutput(RecordGuard.DEAD_LETTERS));
        }
        if (sampleDeadLetters != null) {
            deadLetters = deadLetters.union(sampleDeadLetters);
        }
        if (workerDeadLetters != null) {
            deadLetters = deadLetters.union(workerDeadLetters);
        }
        return new Calibrated(rows.getSideOutput(CalibrationAggregator.ALERTS), pairs, queue, deadLetters);
    }

    private <T> void sink(DataStream<T> stream, Sink<T> sink, String name) {
        if (sink != null) {
            stream.sinkTo(sink).name(name).uid(name).setParallelism(cfg.output.sqlite() ? 1 : cfg.parallelism);
        }
    }

    /**
     * The responses to judge: judgeable ({@link Sampler#judgeable}: success with text) and in the
     * deterministic hash sample; with {@code min_per_cohort_hour > 0}, topped up per cohort-hour by
     * {@link SampleFloorFunction}.
     */
    public static DataStream<ResponseEvent> sample(DataStream<ResponseEvent> responses, JobConfig.Sampling sampling) {
        DataStream<ResponseEvent> judgeable = responses.filter(Sampler::judgeable).name("judgeable responses");
        if (sampling.minPerCohortHour() <= 0) {
            Sampler sampler = new Sampler(sampling);
            return judgeable.filter(sampler::sampled).name("judge sample");
        }
        return judgeable
                .keyBy(SampleFloorFunction::cohortKey)
                .process(new SampleFloorFunction(sampling))
                .uid("judge-sample-floor")
                .name("judge sample (floor " + sampling.minPerCohortHour() + " per cohort-hour)");
    }

    /**
     * The async judge: unordered (a slow judgement does not hold back the others), at most
     * {@code judge.capacity} in flight per instance, timeout {@link JudgeClients#asyncTimeout}.
     */
    public static SingleOutputStreamOperator<JudgeResult> asyncJudge(
            DataStream<ResponseEvent> sampled, JobConfig.Judge cfg, Map<String, Rubric> rubrics) {
        HashMap<String, String> bySurface = new HashMap<>(cfg.rubricBySurface());
        DataStream<JudgeRequest> requests = sampled.map(r -> JudgeRequest.of(r, bySurface))
                .returns(JudgeRequest.class)
                .name("judge-requests");
        return AsyncDataStream.unorderedWait(requests, new JudgeFunction(cfg, rubrics),
                        JudgeClients.asyncTimeout(cfg).toMillis(), TimeUnit.MILLISECONDS, cfg.capacity())
                .uid("llm-judge")
                .name("llm judge (" + cfg.provider() + ", " + cfg.model() + ")");
    }
}
