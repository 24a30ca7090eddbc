package io.llmslo.slo;

/** How long each kind of bucket of one SLO must be kept: the longest look-back that reads it. */
final class Retention {

    static final long DAY7 = 7 * TimeBuckets.DAY;

    private Retention() {}

    /** Hour buckets and hourly C(x): the longest look-back any evaluation makes, plus an hour. */
    static long hoursMs(SloDefinition def) {
        long windowMs = def.window().toMillis();
        long keep = windowMs + DAY7; // value_7d_ago
        keep = Math.max(keep, def.budgetPeriod().toMillis());
        keep = Math.max(keep, DAY7); // burn_7d
        for (BurnTier t : def.tiers()) {
            keep = Math.max(keep, t.longWindow().toMillis());
        }
        if (def.baseline() != null) {
            keep = Math.max(keep, windowMs + def.baseline().toMillis());
        }
        return keep + TimeBuckets.HOUR;
    }

    /** Hour sketches older than this are never merged again, so they are dropped to bound state. */
    static long sketchesMs(SloDefinition def) {
        long keep = def.window().toMillis();
        if (def.baseline() != null && def.kind() == SloKind.TAIL_BLOWUP) {
            keep = Math.max(keep, def.baseline().toMillis());
        }
        return keep + TimeBuckets.HOUR;
    }

    /** Minute buckets and fine C(x): windows up to {@link TimeBuckets#MINUTE_HORIZON}, plus an hour. */
    static long minutesMs() {
        return TimeBuckets.MINUTE_HORIZON + TimeBuckets.HOUR;
    }
}
