package io.llmslo.source;

import io.llmslo.event.Envelope;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness that also emits as event time moves on, not only on the periodic
 * processing-time tick. A replay reads days of events between two ticks; without this, records
 * would race far ahead of the watermark and every timer-driven operator would hold days of them.
 * Emits at most once per {@code step} of event time, so a live stream pays almost nothing.
 */
public final class ProgressiveWatermarks implements WatermarkGenerator<Envelope> {

    private final long outOfOrderness;
    private final long step;
    private long maxTs = Long.MIN_VALUE;
    private long emitted = Long.MIN_VALUE;

    public ProgressiveWatermarks(long outOfOrdernessMs, long stepMs) {
        this.outOfOrderness = outOfOrdernessMs;
        this.step = stepMs;
    }

    @Override
    public void onEvent(Envelope event, long ts, WatermarkOutput output) {
        if (event.isDead() || ts == Long.MIN_VALUE) {
            // a rejected record says nothing about time, even with a readable ts (a valid-looking
            // year-9999 record with a bad field must not make every later record late)
            return;
        }
        maxTs = Math.max(maxTs, ts);
        long wm = current();
        if (emitted == Long.MIN_VALUE || wm - emitted >= step) {
            emit(wm, output);
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (maxTs != Long.MIN_VALUE) {
            emit(current(), output);
        }
    }

    private long current() {
        return maxTs - outOfOrderness - 1;
    }

    private void emit(long wm, WatermarkOutput output) {
        if (wm > emitted) {
            emitted = wm;
            output.emitWatermark(new Watermark(wm));
        }
    }
}
