package io.llmslo.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.event.DeadLetter;
import io.llmslo.event.Envelope;
import io.llmslo.event.EventKind;
import io.llmslo.event.FeedbackEvent;
import io.llmslo.event.Signal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The filter with sorted windows decides every record exactly as the copy-and-sort filter it
 * replaced ({@link ReferenceJumpFilter}): same records, same order, same dead letters, for files
 * with outliers ahead and behind, clusters, real jumps, duplicate times and parse dead letters,
 * read the way the line format reads (poll after every line) and in bursts of many lines.
 */
class TimestampJumpFilterEquivalenceTest {

    static final long T0 = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
    static final long DAY = 86_400_000L;

    @Property(tries = 400)
    void sameDecisionsAsTheReference(@ForAll long seed) {
        Random r = new Random(seed);
        int n = r.nextInt(300);
        List<Envelope> in = new ArrayList<>();
        long t = T0;
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(40);
            if (kind == 0) {
                in.add(Envelope.dead(EventKind.FEEDBACK, DeadLetter.of("feedback", null, "not valid JSON", "x" + i)));
                continue;
            }
            long ts = kind == 1 ? t + (1 + r.nextInt(400)) * DAY        // an outlier ahead
                    : kind == 2 ? t - r.nextInt(5) * DAY                 // behind
                    : kind == 3 ? t + 10 * DAY + r.nextInt(1000)         // a real jump (stays there)
                    : t + r.nextInt(3) * 1000L;                          // ordinary, with equal times
            if (kind == 3) {
                t = ts;
            }
            in.add(Envelope.of(new FeedbackEvent("r" + i, ts, Signal.ACCEPT)));
        }
        int burst = 1 + r.nextInt(r.nextBoolean() ? 1 : 40);
        assertThat(run(new TimestampJumpFilter(DAY), in, burst)).isEqualTo(runReference(new ReferenceJumpFilter(DAY), in, burst));
    }

    static List<Envelope> run(TimestampJumpFilter f, List<Envelope> in, int burst) {
        return drive(f::offer, f::poll, in, burst);
    }

    static List<Envelope> runReference(ReferenceJumpFilter f, List<Envelope> in, int burst) {
        return drive(f::offer, f::poll, in, burst);
    }

    /** Offers every envelope, polling after each burst of them and to the end after the last. */
    private static List<Envelope> drive(java.util.function.BiConsumer<Envelope, byte[]> offer,
            java.util.function.Function<Boolean, Envelope> poll, List<Envelope> in, int burst) {
        List<Envelope> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            offer.accept(in.get(i), ("{\"i\":" + i + "}").getBytes());
            if (i % burst == burst - 1) {
                for (Envelope e; (e = poll.apply(false)) != null; ) {
                    out.add(e);
                }
            }
        }
        for (Envelope e; (e = poll.apply(true)) != null; ) {
            out.add(e);
        }
        return out;
    }
}
