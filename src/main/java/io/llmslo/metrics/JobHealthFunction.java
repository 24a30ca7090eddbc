package io.llmslo.metrics;

import io.llmslo.event.Envelope;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Pass-through right after the sources (chained, no state): counts events per kind
 * ({@code events_in_<kind>}, rate {@code events_per_second} over a minute) and reports how far the
 * watermark trails the wall clock ({@code watermark_lag_ms}; in a replay of old files this is the
 * age of the data, live it is the pipeline's delay).
 */
public final class JobHealthFunction extends ProcessFunction<Envelope, Envelope> {

    private transient Counter all;
    private transient java.util.EnumMap<io.llmslo.event.EventKind, Counter> byKind;
    private transient volatile long watermark;

    @Override
    public void open(OpenContext ctx) {
        MetricGroup g = JobMetrics.group(getRuntimeContext().getMetricGroup());
        all = g.counter("events_in");
        g.meter("events_per_second", new MeterView(all, 60));
        byKind = new java.util.EnumMap<>(io.llmslo.event.EventKind.class);
        for (io.llmslo.event.EventKind k : io.llmslo.event.EventKind.values()) {
            byKind.put(k, g.counter("events_in_" + k.name().toLowerCase(java.util.Locale.ROOT)));
        }
        watermark = Long.MIN_VALUE;
        g.gauge("watermark_lag_ms", () -> {
            long w = watermark;
            return w == Long.MIN_VALUE || w == Long.MAX_VALUE ? -1L : System.currentTimeMillis() - w;
        });
    }

    @Override
    public void processElement(Envelope e, Context ctx, Collector<Envelope> out) {
        all.inc();
        Counter c = e.kind() == null ? null : byKind.get(e.kind());
        if (c != null) {
            c.inc();
        }
        watermark = ctx.timerService().currentWatermark();
        out.collect(e);
    }
}
