package io.llmslo.metrics;

import org.apache.flink.metrics.MetricGroup;

/**
 * How many (slo, cohort) series one evaluator subtask holds live: every series whose window holds
 * data is evaluated at every history boundary, so the count of evaluations at the latest
 * complete boundary is the live series count (exact after a restore, unlike a created − dropped
 * tally). Called from the evaluator's timer, one thread.
 */
public final class SeriesGauge {

    private long boundary = Long.MIN_VALUE;
    private long counting;
    private volatile long last;

    public SeriesGauge(MetricGroup operator) {
        JobMetrics.group(operator).gauge("slo_series", () -> last);
    }

    /** One series was evaluated at {@code at}. */
    public void evaluated(long at) {
        if (at > boundary) {
            if (boundary != Long.MIN_VALUE) {
                last = counting;
            }
            boundary = at;
            counting = 0;
        }
        if (at == boundary) {
            counting++;
            if (counting > last) {
                last = counting; // the current boundary already holds more series than the last one
            }
        }
    }
}
