package io.llmslo.cohort;

/**
 * A value of a capped dimension in the partial buckets of one minute, reported by {@link SightingTracker}
 * the first time a subtask sees it (and again if it later sees it in an earlier minute).
 *
 * @param minuteEnd the minute bucket (its end, as {@link io.llmslo.slo.PartialBucket#minuteEnd}; the earliest of its batch)
 */
public record CohortSighting(String dimension, String value, long minuteEnd) {}
