package io.llmslo.slo;

/**
 * Which minutes of an hour hold data, as bits of the hour bucket ({@link Bucket#minutes}): bit i
 * is the minute bucket ending at hour start + (i + 1) min. Most minutes of a sparse series are
 * empty, and with RocksDB a point lookup of a missing minute costs as much as of a present one;
 * reading the hour bucket once tells which minute lookups are worth making. A minute bucket
 * exists only with its hour bucket (both are written by the same add), so an absent hour means
 * no data in any of its minutes. An hour bucket without a mask (0) is read minute by minute.
 */
final class MinuteMask {

    private MinuteMask() {}

    static long bit(long minuteEnd) {
        return 1L << (Math.floorMod(minuteEnd - 1, TimeBuckets.HOUR) / TimeBuckets.MINUTE);
    }

    /** Receives the minute ends with data, in ascending order. */
    interface MinuteVisitor {
        void visit(long minuteEnd) throws Exception;
    }

    /** Visits the minute ends in (from, to] (both on the minute grid) whose hour says they hold data. */
    static void forEach(long from, long to, BucketStore hours, MinuteVisitor visitor) throws Exception {
        long m = from + TimeBuckets.MINUTE;
        while (m <= to) {
            long hourEnd = TimeBuckets.endOf(m, TimeBuckets.HOUR);
            long last = Math.min(to, hourEnd);
            Bucket hour = hours.get(hourEnd);
            if (hour != null) {
                long mask = hour.minutes;
                for (long x = m; x <= last; x += TimeBuckets.MINUTE) {
                    if (mask == 0 || (mask & bit(x)) != 0) {
                        visitor.visit(x);
                    }
                }
            }
            m = last + TimeBuckets.MINUTE;
        }
    }
}
