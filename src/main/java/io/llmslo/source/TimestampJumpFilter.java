package io.llmslo.source;

import io.llmslo.event.DeadLetter;
import io.llmslo.event.Envelope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;

/**
 * The neighbourhood rule for bounded replays (DESIGN §7b), where no wall clock says what "the
 * future" is: a record whose {@code ts} is more than {@code max_jump} ahead of the median of the
 * {@value #WINDOW} valid records before it AND of the median of the {@value #WINDOW} after it is
 * a {@code future} dead letter. Medians ignore a minority of outliers, so one (or up to
 * {@value #WINDOW}/2 clustered) implausible records cannot move a watermark or make the records
 * after them late, while a real gap (a file that jumps a week ahead and stays there) passes: its
 * records agree with the records after them. At the start and end of a file only the side that
 * exists is used. Decisions depend only on the file's order of lines, so a replay, a restore (which
 * re-reads and skips) and any parallelism give the same dead letters. Records that are already dead
 * letters pass through in order and take no part.
 */
final class TimestampJumpFilter {

    static final int WINDOW = 16;

    /** One line: what the parser made of it, and its raw bytes (for a dead letter's payload and key). */
    record Item(Envelope envelope, byte[] raw) {}

    private final long maxJump;
    private final ArrayDeque<Item> ahead = new ArrayDeque<>();
    /** The last WINDOW valid records' ts, in order (a ring) and sorted. */
    private final long[] behind = new long[WINDOW];
    private final SortedLongs behindSorted = new SortedLongs(WINDOW);
    private int behindCount;
    private int behindNext;
    private int validAhead;
    /** The ts of every valid record in {@code ahead}, sorted. */
    private final SortedLongs aheadSorted = new SortedLongs(WINDOW + 1);

    TimestampJumpFilter(long maxJumpMs) {
        this.maxJump = maxJumpMs;
    }

    void offer(Envelope e, byte[] raw) {
        ahead.addLast(new Item(e, raw));
        if (!e.isDead()) {
            validAhead++;
            aheadSorted.add(e.ts());
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
        aheadSorted.remove(e.ts());
        String reason = judge(e.ts());
        if (reason == null) {
            if (behindCount == WINDOW) {
                behindSorted.remove(behind[behindNext]);
            }
            behind[behindNext] = e.ts();
            behindSorted.add(e.ts());
            behindNext = (behindNext + 1) % WINDOW;
            behindCount = Math.min(behindCount + 1, WINDOW);
            return e;
        }
        String text = new String(head.raw(), java.nio.charset.StandardCharsets.UTF_8);
        return Envelope.dead(e.kind(), DeadLetter.of(e.kind().source(), null, reason, text, head.raw()));
    }

    private String judge(long ts) {
        Long before = behindCount == 0 ? null : behindSorted.median();
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
        if (validAhead <= WINDOW) {
            // the common case (the reader polls as soon as WINDOW valid records follow the head)
            return validAhead == 0 ? null : aheadSorted.median();
        }
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
