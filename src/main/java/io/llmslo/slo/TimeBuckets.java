package io.llmslo.slo;

/**
 * Bucket arithmetic. A bucket is named by its END and holds the observations with
 * {@code end - size < t <= end}, matching the half-open window {@code (E - W, E]} of DESIGN §2.
 */
public final class TimeBuckets {

    public static final long MINUTE = 60_000L;
    public static final long HOUR = 3_600_000L;
    public static final long DAY = 86_400_000L;

    /** Minute buckets are kept this long: windows up to 6 h are exact to the minute. */
    public static final long MINUTE_HORIZON = 6 * HOUR;

    private TimeBuckets() {}

    /** The end of the bucket of size {@code size} holding instant t (ceiling to the grid). */
    public static long endOf(long t, long size) {
        return Math.floorDiv(t + size - 1, size) * size;
    }

    public static long floorTo(long t, long size) {
        return Math.floorDiv(t, size) * size;
    }
}
