package io.llmslo.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.event.Envelope;
import io.llmslo.event.JudgeScoreEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

/**
 * The judge scores' source takes no part in event time (DESIGN §5): whatever scores it reads,
 * however old, it emits no watermark and reports itself idle, so the job's watermark is the other
 * topics' alone — neither held back by the judge's backlog nor moved by a score.
 */
class ScoreWatermarksTest {

    static final class Recording implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();
        int idle;

        @Override
        public void emitWatermark(Watermark w) {
            watermarks.add(w.getTimestamp());
        }

        @Override
        public void markIdle() {
            idle++;
        }

        @Override
        public void markActive() {}
    }

    @Test
    void scoresNeverEmitAWatermarkAndTheSourceStaysIdle() {
        WatermarkGenerator<Envelope> g = EventSources.scoreWatermarks().createWatermarkGenerator(null);
        Recording out = new Recording();
        long ts = 1_764_000_000_000L;
        for (int i = 0; i < 100; i++) {
            // scores of old responses (a backlog), then of recent ones
            Envelope e = Envelope.of(new JudgeScoreEvent("r" + i, ts + i * 60_000L, "helpfulness", 3, 4, "m", 5, null,
                    null, 0, 0, 0));
            g.onEvent(e, e.ts(), out);
            if (i % 10 == 0) {
                g.onPeriodicEmit(out);
            }
        }
        assertThat(out.watermarks).isEmpty();
        assertThat(out.idle).isEqualTo(10);
    }
}
