package io.llmslo.event;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * Which event times are plausible (DESIGN §7b). A record outside them is a {@code too_old} or
 * {@code future} dead letter, so it can never move a watermark, make other records late or make
 * the engine walk through years of empty event time.
 *
 * <ul>
 *   <li>{@code earliest} / {@code latest}: absolute bounds, for every source. They catch 0,
 *       epoch seconds sent as milliseconds (January 1970), year 9999 and Long.MAX_VALUE.
 *   <li>{@code maxFuture}: for Kafka, where the wall clock means something: a record more than
 *       this far ahead of the reading task's clock is {@code future}. Bounded replays have no
 *       meaningful wall clock; files use the neighbourhood rule of {@code TimestampJumpFilter}.
 * </ul>
 */
public record EventTimeBounds(long earliestMs, long latestMs, long maxFutureMs) implements Serializable {

    public static final Instant DEFAULT_EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    public static final Instant DEFAULT_LATEST = Instant.parse("2100-01-01T00:00:00Z");
    public static final Duration DEFAULT_MAX_FUTURE = Duration.ofHours(1);

    public static EventTimeBounds defaults() {
        return new EventTimeBounds(DEFAULT_EARLIEST.toEpochMilli(), DEFAULT_LATEST.toEpochMilli(),
                DEFAULT_MAX_FUTURE.toMillis());
    }

    /**
     * The dead-letter reason for an implausible time, or {@code null} when it is plausible.
     *
     * @param wallClockMs the reading task's clock for unbounded sources, {@code null} for replays
     */
    public String check(Instant ts, Long wallClockMs) {
        if (ts.isBefore(Instant.ofEpochMilli(earliestMs))) {
            return "too_old: field 'ts' " + show(ts) + " is before event_time.earliest "
                    + Instant.ofEpochMilli(earliestMs) + hintSeconds(ts);
        }
        if (ts.isAfter(Instant.ofEpochMilli(latestMs))) {
            return "future: field 'ts' " + show(ts) + " is after event_time.latest " + Instant.ofEpochMilli(latestMs);
        }
        if (wallClockMs != null && ts.toEpochMilli() > wallClockMs + maxFutureMs) {
            return "future: field 'ts' " + show(ts) + " is more than " + Duration.ofMillis(maxFutureMs)
                    + " (event_time.max_future) ahead of the wall clock " + Instant.ofEpochMilli(wallClockMs);
        }
        return null;
    }

    private static String show(Instant ts) {
        return ts.toString();
    }

    /** Epoch seconds read as milliseconds land in January 1970: say so, it is the common bug. */
    private static String hintSeconds(Instant ts) {
        // 946 684 800 .. 4 102 444 800 are the years 2000..2100 in epoch SECONDS
        long s = ts.getEpochSecond();
        boolean looksLikeSeconds = s >= 946_684 && s <= 4_102_444;
        return looksLikeSeconds ? " (epoch seconds sent as milliseconds?)" : "";
    }
}
