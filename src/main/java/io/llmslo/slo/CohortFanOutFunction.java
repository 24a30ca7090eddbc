package io.llmslo.slo;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Routes each observation to every cohort it counts in (thin adapter over {@link CohortKeys}). */
public class CohortFanOutFunction implements FlatMapFunction<Observation, CohortObservation> {

    private final CohortKeys cohorts;

    public CohortFanOutFunction(CohortKeys cohorts) {
        this.cohorts = cohorts;
    }

    @Override
    public void flatMap(Observation o, Collector<CohortObservation> out) {
        for (String cohort : cohorts.keysFor(o.slo(), o.dims())) {
            out.collect(CohortObservation.of(o, cohort));
        }
    }
}
