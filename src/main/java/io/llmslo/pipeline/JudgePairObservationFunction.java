package io.llmslo.pipeline;

import io.llmslo.judge.CalibrationPair;
import io.llmslo.slo.Observation;
import io.llmslo.slo.ObservationFactory;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * A judged request that a person rated becomes a pair observation of {@code quality.judge_high}
 * at the rating's time, in the request's cohorts: the labeled point of the judge correction.
 */
public class JudgePairObservationFunction implements FlatMapFunction<CalibrationPair, Observation> {

    private final ObservationFactory observations;

    public JudgePairObservationFunction(ObservationFactory observations) {
        this.observations = observations;
    }

    @Override
    public void flatMap(CalibrationPair p, Collector<Observation> out) {
        Observation o = observations.judgePair(p.ts(), p.dims(), p.humanUseful(), p.judgePass(), p.weight());
        if (o != null && p.dims() != null) {
            out.collect(o);
        }
    }
}
