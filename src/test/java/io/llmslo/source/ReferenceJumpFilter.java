package io.llmslo.source;

import io.llmslo.event.DeadLetter;
import io.llmslo.event.Envelope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;

/**
 * The filter as it was before its windows were kept sorted (session 5): the oracle of
 * {@code TimestampJumpFilterEquivalenceTest}. The rule's description is {@link TimestampJumpFilter}'s.
 */
final class ReferenceJumpFilter {

    static final int WINDOW = 16;

    /** One line: what the parser made of it, and its raw bytes (for a dead letter's payload and key). */
    record Item(Envelope envelope, byte[] raw) {}

    private final long maxJump;
    private final ArrayDeque<Item> ahead = new ArrayDeque<>();
    private final long[] behind = new long[WINDOW];
    private int behindCount;
    private int behindNext;
    private int validAhead;

    ReferenceJumpFilter(long maxJumpMs) {
        this.maxJump = maxJumpMs;
    }

    void offer(Envelope e, byte[] raw) {
        ahead.addLast(new Item(e, raw));
        if (!e.isDead()) {
            validAhead++;
        }
    }

    /** The next decided record, or null when more lines are needed first (or none are left). */
    Envelope poll(boolean endOfInput) {
        Item head = ahead.peekFirst();
        if (head == null) {
            return null;
        }
        if (head.envelope().isDead()) {
            return ahead.pollFirst().envelope();
        }
        // the head needs WINDOW valid records after it, unless the file has ended
        if (validAhead - 1 < WINDOW && !endOfInput) {
            return null;
        }
        ahead.pollFirst();
        validAhead--;
        Envelope e = head.envelope();
        String reason = judge(e.ts());
        if (reason == null) {
            behind[behindNext] = e.ts();
            behindNext = (behindNext + 1) % WINDOW;
            behindCount = Math.min(behindCount + 1, WINDOW);
            return e;
        }
        String text = new String(head.raw(), java.nio.charset.StandardCharsets.UTF_8);
        return Envelope.dead(e.kind(), DeadLetter.of(e.kind().source(), null, reason, text, head.raw()));
    }

    private String judge(long ts) {
        Long before = behindCount == 0 ? null : median(Arrays.copyOf(behind, behindCount));
        Long after = medianAhead();
        if (before == null && after == null) {
            return null;
        }
        if ((before == null || ts > before + maxJump) && (after == null || ts > after + maxJump)) {
            long reference = before != null ? before : after;
            return "future: field 'ts' " + Instant.ofEpochMilli(ts) + " is more than "
                    + Duration.ofMillis(maxJump) + " (event_time.max_jump) ahead of its neighbours in the"
                    + " file (median " + Instant.ofEpochMilli(reference) + ")";
        }
        return null;
    }

    private Long medianAhead() {
        long[] ts = new long[WINDOW];
        int n = 0;
        Iterator<Item> it = ahead.iterator();
        while (it.hasNext() && n < WINDOW) {
            Envelope e = it.next().envelope();
            if (!e.isDead()) {
                ts[n++] = e.ts();
            }
        }
        return n == 0 ? null : median(Arrays.copyOf(ts, n));
    }

    private static long median(long[] v) {
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
