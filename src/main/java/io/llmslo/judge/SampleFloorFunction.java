package io.llmslo.judge;

import io.llmslo.event.RecordGuard;

import io.llmslo.config.JobConfig;
import io.llmslo.event.ResponseEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The optional per-cohort-hour floor of the judge sample ({@code sampling.min_per_cohort_hour}):
 * keyed by {@link #cohortKey}, it passes every hash-sampled response and tops an event-time hour
 * up with not-sampled ones until the hour holds {@code floor} judged responses, so a small cohort
 * still gets a judge signal.
 *
 * <p>Trade-off, on purpose: the top-up takes the <em>first arrivals</em> of the hour, so which
 * extra requests are judged depends on arrival order (a replay of the same files picks the same
 * ones; a Kafka replay with different interleaving may not). The hash sample itself stays exactly
 * deterministic. A fully deterministic floor would have to hold an hour of responses back, delaying
 * the judge signal by up to an hour; the judge is the fast quality signal, so we do not.
 *
 * <p>Input: judgeable responses ({@link Sampler#judgeable}), not only the sampled ones.
 */
public final class SampleFloorFunction extends KeyedProcessFunction<String, ResponseEvent, ResponseEvent> {

    private static final long HOUR_MS = 3_600_000L;

    private final Sampler sampler;
    private final int floor;

    /** Responses already passed in each open hour; one entry per (cohort, hour), cleared at hour end. */
    private transient MapState<Long, Integer> passedPerHour;

    public SampleFloorFunction(JobConfig.Sampling sampling) {
        this(new Sampler(sampling), sampling.minPerCohortHour());
    }

    public SampleFloorFunction(Sampler sampler, int floor) {
        this.sampler = sampler;
        this.floor = floor;
    }

    /** The cohort a floor applies to: surface and model, the smallest grouping judged on its own. */
    public static String cohortKey(ResponseEvent r) {
        return "surface=" + r.surface() + ",model=" + r.model();
    }

    @Override
    public void open(OpenContext ctx) {
        passedPerHour = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("passed-per-hour", Types.LONG, Types.INT));
    }

    @Override
    public void processElement(ResponseEvent r, Context ctx, Collector<ResponseEvent> out) throws Exception {
        RecordGuard.run("judge-sample-floor", "responses", r.ts(), r::toString,
                d -> ctx.output(RecordGuard.DEAD_LETTERS, d), () -> sample(r, ctx, out));
    }

    private void sample(ResponseEvent r, Context ctx, Collector<ResponseEvent> out) throws Exception {
        long hour = Math.floorDiv(r.ts(), HOUR_MS);
        long hourEnd = (hour + 1) * HOUR_MS - 1;
        boolean hourOpen = hourEnd > ctx.timerService().currentWatermark();
        boolean hashed = sampler.sampled(r);
        if (!hourOpen) {
            // A late record of an hour already closed: no state to count in; the hash decides.
            if (hashed) {
                out.collect(r);
            }
            return;
        }
        Integer passed = passedPerHour.get(hour);
        int n = passed == null ? 0 : passed;
        if (hashed || n < floor) {
            out.collect(r);
            passedPerHour.put(hour, n + 1);
            // Cleanup: the count is only needed while the hour can still receive records.
            ctx.timerService().registerEventTimeTimer(hourEnd);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ResponseEvent> out) throws Exception {
        passedPerHour.remove(Math.floorDiv(timestamp, HOUR_MS));
    }
}
