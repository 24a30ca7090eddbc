package io.llmslo.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.event.Envelope;
import io.llmslo.event.FeedbackEvent;
import io.llmslo.event.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The neighbourhood rule for files: a lone outlier ahead is `future`; a real jump is not. */
class TimestampJumpFilterTest {

    static final long T0 = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
    static final long MIN = 60_000;

    static List<Envelope> run(long... ts) {
        TimestampJumpFilter f = new TimestampJumpFilter(Duration.ofDays(1).toMillis());
        List<Envelope> out = new ArrayList<>();
        for (int i = 0; i < ts.length; i++) {
            f.offer(Envelope.of(new FeedbackEvent("r" + i, ts[i], Signal.ACCEPT)), ("{\"i\":" + i + "}").getBytes());
            for (Envelope e; (e = f.poll(false)) != null; ) {
                out.add(e);
            }
        }
        for (Envelope e; (e = f.poll(true)) != null; ) {
            out.add(e);
        }
        return out;
    }

    static long[] minutes(int n, long start) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = start + i * MIN;
        }
        return t;
    }

    static List<Integer> dead(List<Envelope> out) {
        List<Integer> d = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).isDead()) {
                d.add(i);
                assertThat(out.get(i).deadLetter().reason()).startsWith("future: field 'ts'").contains("event_time.max_jump");
            }
        }
        return d;
    }

    @Test
    void loneOutliersAheadAreFutureAnywhereInTheFileAndOrderIsKept() {
        long[] t = minutes(60, T0);
        long far = Instant.parse("2090-01-01T00:00:00Z").toEpochMilli();
        t[0] = far;   // first line
        t[30] = far;  // middle
        t[59] = far;  // last line
        List<Envelope> out = run(t);
        assertThat(out).hasSize(60);
        assertThat(dead(out)).containsExactly(0, 30, 59);
        assertThat(out.get(31).ts()).isEqualTo(t[31]);
    }

    @Test
    void aFileThatReallyJumpsAheadAndStaysPasses() {
        long[] a = minutes(40, T0);
        long[] b = minutes(40, T0 + Duration.ofDays(365 * 5).toMillis());
        long[] t = new long[80];
        System.arraycopy(a, 0, t, 0, 40);
        System.arraycopy(b, 0, t, 40, 40);
        assertThat(dead(run(t))).isEmpty();
    }

    @Test
    void outOfOrderWithinTheThresholdPasses() {
        long[] t = minutes(50, T0);
        t[10] += Duration.ofHours(20).toMillis(); // ahead, but less than max_jump
        assertThat(dead(run(t))).isEmpty();
    }
}
