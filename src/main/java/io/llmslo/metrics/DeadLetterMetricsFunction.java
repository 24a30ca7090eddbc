package io.llmslo.metrics;

import io.llmslo.event.DeadLetter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/** Pass-through before the dead-letter sink: {@code dead_letters_<reason category>} counters. */
public final class DeadLetterMetricsFunction extends RichMapFunction<DeadLetter, DeadLetter> {

    private transient JobMetrics.ReasonCounters counters;

    @Override
    public void open(OpenContext ctx) {
        counters = new JobMetrics.ReasonCounters(JobMetrics.group(getRuntimeContext().getMetricGroup()));
    }

    @Override
    public DeadLetter map(DeadLetter d) {
        counters.inc(d.reason(), Math.max(1, d.count())); // as the dead-letter counter

        return d;
    }
}
