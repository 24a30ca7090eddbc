package io.llmslo.pipeline;

import io.llmslo.cohort.CohortAdmissionFunction;
import io.llmslo.cohort.CohortCap;
import io.llmslo.cohort.CohortDecision;
import io.llmslo.cohort.CohortRelabelOperator;
import io.llmslo.cohort.CohortSighting;
import io.llmslo.cohort.CohortSightingFunction;
import io.llmslo.config.JobConfig;
import io.llmslo.event.DeadLetter;
import io.llmslo.event.Envelope;
import io.llmslo.event.RecordGuard;
import io.llmslo.join.RequestJoiner;
import io.llmslo.judge.CalibrationPair;
import io.llmslo.judge.JudgeResult;
import io.llmslo.metrics.DeadLetterMetricsFunction;
import io.llmslo.metrics.JobHealthFunction;
import io.llmslo.metrics.JudgeMetricsFunction;
import io.llmslo.slo.AlertEvent;
import io.llmslo.slo.AlertExplainerFunction;
import io.llmslo.slo.CohortKeys;
import io.llmslo.slo.EvaluatorBroadcast;
import io.llmslo.slo.LocalAggregationOperator;
import io.llmslo.slo.Observation;
import io.llmslo.slo.ObservationFactory;
import io.llmslo.slo.PartialBatch;
import io.llmslo.slo.SloEvaluatorFunction;
import io.llmslo.slo.SloEvaluatorOperator;
import io.llmslo.slo.SloStatus;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.types.Either;

/**
 * The pipeline of DESIGN §1, top to bottom. Sources and sinks come in from outside, so the job,
 * the tests and the benchmarks run the same graph on files, Kafka, SQLite or PostgreSQL.
 */
public final class LlmSloJob {

    /** Where the results go; any sink may be null to drop that output. */
    public record Sinks(
            Sink<SloStatus> status,
            Sink<SloStatus> history,
            Sink<AlertEvent> alerts,
            Sink<DeadLetter> deadLetters,
            Sink<JudgeResult> judgeScores) {}

    /** The streams the graph produces, for callers that add outputs (alert topic, tests). */
    public record Outputs(
            DataStream<SloStatus> statuses,
            DataStream<AlertEvent> alerts,
            DataStream<DeadLetter> deadLetters,
            DataStream<JudgeResult> judgeResults) {}

    private LlmSloJob() {}

    public static Outputs build(JobConfig cfg, DataStream<Envelope> events, Sinks sinks, JudgeBranch judge) {
        ObservationFactory observations = new ObservationFactory(cfg.slo);

        SingleOutputStreamOperator<Envelope> valid = events
                .process(new JobHealthFunction()) // events_in, events_per_second, watermark_lag_ms
                .name("job-health")
                .uid("job-health")
                .process(new DeadLetterSplitter(TextDrop.forJob(cfg))) // unsampled text stops here
                .name("dead-letter-split")
                .uid("dead-letter-split");

        SingleOutputStreamOperator<Observation> joined = valid
                .keyBy(Envelope::requestId)
                .transform("request-joiner", TypeInformation.of(Observation.class),
                        RequestJoiner.operator(new RequestJoiner(observations, cfg.join.acceptanceWindow(),
                                cfg.join.maxRatingDelay(), cfg.eventTime.allowedLateness(), cfg.cohortGuard,
                                CohortKeys.dimensionsOf(cfg.groupingSets))))
                .uid("request-joiner");

        DataStream<DeadLetter> deadLetters = valid.getSideOutput(RequestJoiner.DEAD_LETTERS)
                .union(joined.getSideOutput(RequestJoiner.DEAD_LETTERS));

        DataStream<Observation> judgeSide = null;
        DataStream<Either<Long, EvaluatorBroadcast.PooledPair>> pooledPairs = null;
        DataStream<JudgeResult> judged = null;
        JudgeBranch.Calibrated calibrated = null;
        if (judge != null) {
            // decoupled (Kafka jobs): requests out to the judge worker, scores back through the joiner
            DataStream<io.llmslo.event.ResponseEvent> unique = joined.getSideOutput(RequestJoiner.UNIQUE_RESPONSES);
            judged = (judge.decoupled()
                            ? judge.decoupled(unique, joined.getSideOutput(RequestJoiner.JOINED_SCORES))
                            : judge.judge(unique))
                    .map(new JudgeMetricsFunction()) // judge_results, judge_errors_<code>
                    .name("judge-metrics")
                    .uid("judge-metrics");
            calibrated = judge.calibrate(judged, joined.getSideOutput(RequestJoiner.JOINED_RATINGS));
            SingleOutputStreamOperator<Observation> judgeObservations = judged
                    .process(new GuardedFlatMap<>("judge-observations", "judge_scores",
                            new JudgeObservationFunction(observations), JudgeResult::toString),
                            TypeInformation.of(Observation.class))
                    .name("judge-observations")
                    .uid("judge-observations");
            // the judged-and-rated pairs that correct the judge, at the rating's time
            SingleOutputStreamOperator<Observation> pairObservations = calibrated.pairs()
                    .process(new GuardedFlatMap<>("judge-pair-observations", "ratings",
                            new JudgePairObservationFunction(observations), CalibrationPair::toString),
                            TypeInformation.of(Observation.class))
                    .name("judge-pair-observations")
                    .uid("judge-pair-observations");
            deadLetters = deadLetters.union(judgeObservations.getSideOutput(RecordGuard.DEAD_LETTERS),
                    pairObservations.getSideOutput(RecordGuard.DEAD_LETTERS), calibrated.deadLetters());
            judgeSide = judgeObservations.union(pairObservations);
            // each pair once, before the cohort fan-out, to every evaluator: the pooled scope
            pooledPairs = pairObservations
                    .flatMap(new PooledPairFunction(), EvaluatorBroadcast.TYPE)
                    .name("pooled-judge-pairs")
                    .uid("pooled-judge-pairs");
        }

        // local-global aggregation: each producing subtask folds its observations into partial
        // buckets per (slo, cohort, minute); the keyed evaluator merges them (no funnel, no
        // per-observation shuffle); each subtask's latest time goes to every evaluator. The judge
        // side has its own aggregation, so the joiner's (one input) stays chained to the joiner
        CohortCap cap = CohortCap.of(cfg.cohortGuard);
        Aggregated aggregated = aggregate(joined, "cohort-partials", cfg, cap);
        DataStream<PartialBatch> partials = aggregated.partials();
        DataStream<Long> producerProgress = aggregated.partials().getSideOutput(LocalAggregationOperator.PROGRESS);
        DataStream<CohortSighting> sightings = aggregated.sightings();
        DataStream<DeadLetter> aggregationDeadLetters = aggregated.partials().getSideOutput(RecordGuard.DEAD_LETTERS);
        if (judgeSide != null) {
            Aggregated judgePartials = aggregate(judgeSide, "judge-partials", cfg, cap);
            partials = partials.union(judgePartials.partials());
            producerProgress = producerProgress.union(
                    judgePartials.partials().getSideOutput(LocalAggregationOperator.PROGRESS));
            sightings = sightings.union(judgePartials.sightings());
            aggregationDeadLetters = aggregationDeadLetters.union(
                    judgePartials.partials().getSideOutput(RecordGuard.DEAD_LETTERS));
        }
        DataStream<Either<Long, EvaluatorBroadcast.PooledPair>> toEvaluators = producerProgress
                .map(EvaluatorBroadcast::progress, EvaluatorBroadcast.TYPE)
                .name("job-progress")
                .uid("job-progress");
        if (pooledPairs != null) {
            toEvaluators = toEvaluators.union(pooledPairs);
        }

        // the global cohort cap (DESIGN §7b): first sightings of values (not events) → admission per
        // dimension in event time → decisions broadcast to the relabel before the evaluator's shuffle
        DataStream<CohortDecision> decisions = sightings
                .keyBy(CohortSighting::dimension)
                .process(new CohortAdmissionFunction(cap.maxValues(), cfg.output.historyInterval().toMillis()),
                        TypeInformation.of(CohortDecision.class))
                .name("cohort-admission")
                .uid("cohort-admission");
        SingleOutputStreamOperator<PartialBatch> capped = partials
                .connect(decisions.broadcast())
                .transform("cohort-cap", TypeInformation.of(PartialBatch.class), new CohortRelabelOperator(cap))
                .uid("cohort-cap");

        SingleOutputStreamOperator<SloStatus> statuses = capped
                .keyBy(PartialBatch::key)
                // the broadcast input as connect(broadcast(PROGRESS, POOLED)).process(…) wires it, with
                // the operator that writes the series' values back before each barrier
                .connect(toEvaluators.broadcast())
                .transform("slo-evaluator", TypeInformation.of(SloStatus.class),
                        new SloEvaluatorOperator(new SloEvaluatorFunction(cfg.slo, cfg.output.historyInterval(),
                                judge == null ? null : judge.correction())))
                .uid("slo-evaluator");
        // which cohort explains each alert needs the alerts of all cohorts of an SLO together
        DataStream<AlertEvent> alerts = statuses.getSideOutput(SloEvaluatorFunction.ALERTS)
                .keyBy(AlertEvent::slo)
                .process(new AlertExplainerFunction())
                .name("alert-explainer")
                .uid("alert-explainer");
        if (calibrated != null) {
            alerts = alerts.union(calibrated.alerts()); // the calibration alert names the judge model
        }
        // every operator's per-record failures (RecordGuard), counted per distinct bad record
        DataStream<DeadLetter> counted = deadLetters
                .union(aggregationDeadLetters,
                        capped.getSideOutput(RecordGuard.DEAD_LETTERS),
                        statuses.getSideOutput(RecordGuard.DEAD_LETTERS))
                .map(new DeadLetterMetricsFunction()) // dead_letters_<reason> counters, every record
                .name("dead-letter-metrics")
                .uid("dead-letter-metrics")
                .keyBy(DeadLetterCounter::keyOf)
                .process(new DeadLetterCounter())
                .name("dead-letter-counter")
                .uid("dead-letter-counter");

        int sinkParallelism = cfg.output.sqlite() ? 1 : cfg.parallelism;
        sink(statuses, sinks.status(), "slo-status-sink", sinkParallelism);
        sink(statuses, sinks.history(), "slo-history-sink", sinkParallelism);
        sink(alerts, sinks.alerts(), "slo-alerts-sink", sinkParallelism);
        sink(counted, sinks.deadLetters(), "dead-letters-sink", sinkParallelism);
        if (judged != null) {
            sink(judged, sinks.judgeScores(), "judge-scores-sink", sinkParallelism);
        }
        return new Outputs(statuses, alerts, counted, judged);
    }

    /** One producer's local aggregation and, chained to it, the first sightings of its capped values. */
    private record Aggregated(SingleOutputStreamOperator<PartialBatch> partials, DataStream<CohortSighting> sightings) {}

    private static Aggregated aggregate(DataStream<Observation> observations, String name, JobConfig cfg,
            CohortCap cap) {
        SingleOutputStreamOperator<PartialBatch> partials = observations
                .transform(name, TypeInformation.of(PartialBatch.class), new LocalAggregationOperator(
                        new CohortKeys(cfg.groupingSets), cfg.slo.sketched(), cfg.output.historyInterval().toMillis()))
                .uid(name);
        String sightings = name.equals("cohort-partials") ? "cohort-sightings" : name + "-sightings";
        return new Aggregated(partials, partials
                .process(new CohortSightingFunction(cap), TypeInformation.of(CohortSighting.class))
                .name(sightings)
                .uid(sightings));
    }

    private static <T> void sink(DataStream<T> stream, Sink<T> sink, String name, int parallelism) {
        if (sink != null) {
            stream.sinkTo(sink).name(name).uid(name).setParallelism(parallelism);
        }
    }
}
