package io.llmslo.slo;

import io.llmslo.slo.alert.AlertState;

/**
 * The state of one (slo, cohort) series as {@link SloEngine} sees it: Flink state in the job,
 * plain objects in unit tests and benchmarks.
 *
 * <ul>
 *   <li>{@code minutes}, {@code hours}: the time buckets;
 *   <li>{@code runningCounts}: C(x), the counts of observations with t <= x, at each evaluation
 *       instant (see {@link RunningCounts});
 *   <li>{@code tail}: the cached trailing median (tail SLO only; may be null otherwise);
 *   <li>{@code sketches}: in-memory sketch merges, not state (may be null on the add path);
 *   <li>{@code alerts}: the open alerts (may be null on the add path).
 * </ul>
 */
public record SeriesState(
        BucketStore minutes,
        BucketStore hours,
        BucketStore runningCounts,
        SeriesProgress progress,
        TailBaseline tail,
        SketchCache sketches,
        AlertState alerts) {

    /** Fresh in-memory state, for tests and benchmarks. */
    public static SeriesState inMemory() {
        return new SeriesState(BucketStore.inMemory(), BucketStore.inMemory(), BucketStore.inMemory(),
                new SeriesProgress(), new TailBaseline(), new SketchCache(), new AlertState());
    }
}
