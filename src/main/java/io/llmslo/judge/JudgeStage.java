package io.llmslo.judge;

import io.llmslo.config.JobConfig;
import io.llmslo.event.ResponseEvent;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/** Wiring of the sampler and the judge (DESIGN §1: sampler (5 %) ─► async judge (rubric)). */
public final class JudgeStage {

    private JudgeStage() {}

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
    public static SingleOutputStreamOperator<JudgeResult> apply(
            DataStream<ResponseEvent> sampled, JobConfig.Judge cfg, Map<String, Rubric> rubrics) {
        return AsyncDataStream.unorderedWait(sampled, new JudgeFunction(cfg, rubrics),
                        JudgeClients.asyncTimeout(cfg).toMillis(), TimeUnit.MILLISECONDS, cfg.capacity())
                .uid("llm-judge")
                .name("llm judge (" + cfg.provider() + ", " + cfg.model() + ")");
    }
}
