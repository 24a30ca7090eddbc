package io.llmslo.pipeline;

import io.llmslo.judge.JudgeResult;
import io.llmslo.slo.Observation;
import io.llmslo.slo.ObservationFactory;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * A judge score becomes a {@code quality.judge_high} observation at the response's time; a judge
 * error is not a score and counts nowhere (DESIGN §3: valid = judged without error).
 */
public class JudgeObservationFunction implements FlatMapFunction<JudgeResult, Observation> {

    private final ObservationFactory observations;

    public JudgeObservationFunction(ObservationFactory observations) {
        this.observations = observations;
    }

    @Override
    public void flatMap(JudgeResult j, Collector<Observation> out) {
        if (!j.ok()) {
            return;
        }
        Observation o = observations.judgeHigh(j.ts(), j.dims(), j.score() >= j.passThreshold());
        if (o != null) {
            out.collect(o);
        }
    }
}
