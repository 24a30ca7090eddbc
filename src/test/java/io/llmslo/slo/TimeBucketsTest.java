package io.llmslo.slo;

import static io.llmslo.slo.TimeBuckets.DAY;
import static io.llmslo.slo.TimeBuckets.HOUR;
import static io.llmslo.slo.TimeBuckets.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Buckets are named by their end and hold (end − size, end], like the windows of DESIGN §2. */
class TimeBucketsTest {

    static final long TEN_O_CLOCK = Instant.parse("2026-11-27T10:00:00Z").toEpochMilli();
    static final long EPOCH = 0L;

    @Test
    void anExactBoundaryBelongsToTheBucketEndingThere() {
        assertThat(TimeBuckets.endOf(TEN_O_CLOCK, HOUR)).isEqualTo(TEN_O_CLOCK);
        assertThat(TimeBuckets.endOf(TEN_O_CLOCK, MINUTE)).isEqualTo(TEN_O_CLOCK);
        assertThat(TimeBuckets.endOf(TEN_O_CLOCK, 5 * MINUTE)).isEqualTo(TEN_O_CLOCK);
    }

    @Test
    void oneMillisecondAfterABoundaryStartsTheNextBucket() {
        assertThat(TimeBuckets.endOf(TEN_O_CLOCK + 1, HOUR)).isEqualTo(TEN_O_CLOCK + HOUR);
        assertThat(TimeBuckets.endOf(TEN_O_CLOCK + 1, MINUTE)).isEqualTo(TEN_O_CLOCK + MINUTE);
    }

    @Test
    void oneMillisecondBeforeABoundaryIsInTheBucketEndingThere() {
        assertThat(TimeBuckets.endOf(TEN_O_CLOCK - 1, HOUR)).isEqualTo(TEN_O_CLOCK);
        assertThat(TimeBuckets.endOf(TEN_O_CLOCK - HOUR + 1, HOUR)).isEqualTo(TEN_O_CLOCK);
        assertThat(TimeBuckets.endOf(TEN_O_CLOCK - HOUR, HOUR)).isEqualTo(TEN_O_CLOCK - HOUR);
    }

    @Test
    void everyInstantLiesInTheHalfOpenIntervalOfItsBucket() {
        for (long size : new long[] {MINUTE, 5 * MINUTE, HOUR, DAY}) {
            for (long t = TEN_O_CLOCK - 2 * size; t <= TEN_O_CLOCK + 2 * size; t += size / 4 + 1) {
                long end = TimeBuckets.endOf(t, size);
                assertThat(end % size).isZero();
                assertThat(t).isGreaterThan(end - size).isLessThanOrEqualTo(end);
            }
        }
    }

    @Test
    void daysAreUtcDays() {
        long midnight = Instant.parse("2026-11-28T00:00:00Z").toEpochMilli();
        assertThat(TimeBuckets.endOf(TEN_O_CLOCK, DAY)).isEqualTo(midnight);
        assertThat(TimeBuckets.endOf(midnight, DAY)).isEqualTo(midnight);
    }

    @Test
    void instantsBeforeTheEpochRoundTowardsTheFuture() {
        // floorDiv, not '/': integer division would round -1 ms to the wrong side
        assertThat(TimeBuckets.endOf(EPOCH, MINUTE)).isEqualTo(EPOCH);
        assertThat(TimeBuckets.endOf(EPOCH - 1, MINUTE)).isEqualTo(EPOCH);
        assertThat(TimeBuckets.endOf(EPOCH - MINUTE, MINUTE)).isEqualTo(EPOCH - MINUTE);
        assertThat(TimeBuckets.endOf(EPOCH - MINUTE - 1, MINUTE)).isEqualTo(EPOCH - MINUTE);
        assertThat(TimeBuckets.floorTo(EPOCH - 1, MINUTE)).isEqualTo(EPOCH - MINUTE);
    }

    @Test
    void floorToIsTheStartOfTheGridCell() {
        assertThat(TimeBuckets.floorTo(TEN_O_CLOCK, HOUR)).isEqualTo(TEN_O_CLOCK);
        assertThat(TimeBuckets.floorTo(TEN_O_CLOCK + HOUR - 1, HOUR)).isEqualTo(TEN_O_CLOCK);
        assertThat(TimeBuckets.floorTo(TEN_O_CLOCK - 1, HOUR)).isEqualTo(TEN_O_CLOCK - HOUR);
    }

    @Test
    void minuteHorizonCoversTheSixHourWindows() {
        assertThat(TimeBuckets.MINUTE_HORIZON).isEqualTo(6 * HOUR);
    }
}
