package io.llmslo.cohort;

import io.llmslo.slo.PartialBatch;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Chained to {@code cohort-partials}: the first sightings of capped values ({@link SightingTracker}),
 * a few records per new value, never one per event. Memory only: after a restore it reports anew,
 * which the admission ignores for decided values.
 */
public class CohortSightingFunction extends ProcessFunction<PartialBatch, CohortSighting> {

    private final CohortCap cap;
    private transient SightingTracker tracker;

    public CohortSightingFunction(CohortCap cap) {
        this.cap = cap;
    }

    @Override
    public void open(OpenContext ctx) {
        // as many values per dimension as a joiner subtask keeps (cohorts.max_tracked), then it forgets
        tracker = new SightingTracker(cap, cap.maxTracked());
    }

    @Override
    public void processElement(PartialBatch p, Context ctx, Collector<CohortSighting> out) {
        tracker.sight(p.cohort(), p.firstMinute(), out::collect);
    }
}
