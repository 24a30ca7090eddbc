package io.llmslo.pipeline;

import io.llmslo.slo.EvaluatorBroadcast;
import io.llmslo.slo.Observation;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

/** A pair observation (judged and rated) as the pooled pair every SLO evaluator receives. */
public class PooledPairFunction implements FlatMapFunction<Observation, Either<Long, EvaluatorBroadcast.PooledPair>> {

    @Override
    public void flatMap(Observation o, Collector<Either<Long, EvaluatorBroadcast.PooledPair>> out) {
        Either<Long, EvaluatorBroadcast.PooledPair> pair = EvaluatorBroadcast.pooled(o);
        if (pair != null) {
            out.collect(pair);
        }
    }
}
