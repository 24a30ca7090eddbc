package io.llmslo.slo;

import io.llmslo.ppi.PpiMoments;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The judged-and-rated pairs of ALL traffic of the job (each pair once, whatever its cohorts), as
 * one evaluator subtask holds them: the pooled scope of the judge correction ({@link
 * JudgeCorrection#SCOPE_POOLED}). A cohort series sees only its own pairs; these come to every
 * subtask on the evaluator's broadcast input ({@link EvaluatorBroadcast.PooledPair}), one element
 * per pair, and their minute sums are kept in broadcast state (checkpointed) and here.
 *
 * <p>Sums over a window follow the engine's start rule ({@link RunningCounts#windowStart}, as
 * {@link JudgeCorrection#pairs} sums a series' own pairs): minute buckets for windows up to 6 h;
 * beyond, whole hours (floorHour − length, floorHour] and the minutes (floorHour, now]. A window
 * ending at {@code now} holds exactly the pairs of minutes ending at or before {@code now}: pairs
 * already here for later minutes (read ahead on another subtask) are not in it.
 *
 * <p>Every judge series of the subtask asks for the same sums, so the whole-hour part is cached
 * per (length, floorHour) for the subtask, not per series: summed afresh (in hour order, no
 * subtraction, so no rounding drift) when an evaluation moves into a new hour, and patched in
 * place when a pair arrives for an hour a cached sum covers. A 30-day window thus costs one pass
 * over its ≤ 720 hours per hour of event time, and ≤ 60 minute buckets per evaluation.
 */
public final class PooledPairs {

    /** Cached whole-hour sums kept per window length (evaluations at a few distinct instants). */
    private static final int CACHED_HOURS_PER_LENGTH = 4;

    private final NavigableMap<Long, PpiMoments> minutes = new TreeMap<>();
    private final NavigableMap<Long, PpiMoments> hours = new TreeMap<>();
    /** length → floorHour → Σ pairs of the hours (floorHour − length, floorHour]. */
    private final Map<Long, TreeMap<Long, PpiMoments>> wholeHours = new HashMap<>();

    /**
     * Adds the pairs of one minute bucket (end {@code minuteEnd}).
     *
     * @return the minute bucket's sums after the addition (what broadcast state keeps)
     */
    public PpiMoments add(long minuteEnd, PpiMoments pairs) {
        PpiMoments minute = minutes.computeIfAbsent(minuteEnd, k -> new PpiMoments());
        minute.addPairs(pairs);
        long hourEnd = TimeBuckets.endOf(minuteEnd, TimeBuckets.HOUR);
        hours.computeIfAbsent(hourEnd, k -> new PpiMoments()).addPairs(pairs);
        for (Map.Entry<Long, TreeMap<Long, PpiMoments>> byLength : wholeHours.entrySet()) {
            long length = byLength.getKey();
            for (Map.Entry<Long, PpiMoments> c : byLength.getValue().entrySet()) {
                long floorHour = c.getKey();
                if (hourEnd <= floorHour && hourEnd > floorHour - length) {
                    c.getValue().addPairs(pairs); // patch: the cached sum covers that hour
                }
            }
        }
        return minute;
    }

    /** Restores the minute buckets (from broadcast state after a restart); the rest is derived. */
    public void load(Iterable<Map.Entry<Long, PpiMoments>> minuteBuckets) {
        minutes.clear();
        hours.clear();
        wholeHours.clear();
        for (Map.Entry<Long, PpiMoments> e : minuteBuckets) {
            add(e.getKey(), e.getValue());
        }
    }

    /** Σ pairs of the window of {@code length} ending at {@code now}. */
    public PpiMoments pairs(long now, long length) {
        PpiMoments sum = new PpiMoments();
        long minutesFrom = RunningCounts.windowStart(now, length);
        if (length > TimeBuckets.MINUTE_HORIZON) {
            long floorHour = TimeBuckets.floorTo(now, TimeBuckets.HOUR);
            sum.addPairs(wholeHours(floorHour, length));
            minutesFrom = floorHour;
        }
        for (PpiMoments m : minutes.subMap(minutesFrom, false, now, true).values()) {
            sum.addPairs(m);
        }
        return sum;
    }

    private PpiMoments wholeHours(long floorHour, long length) {
        TreeMap<Long, PpiMoments> cached = wholeHours.computeIfAbsent(length, k -> new TreeMap<>());
        PpiMoments whole = cached.get(floorHour);
        if (whole == null) {
            whole = new PpiMoments();
            for (PpiMoments h : hours.subMap(floorHour - length, false, floorHour, true).values()) {
                whole.addPairs(h);
            }
            cached.put(floorHour, whole);
            if (cached.size() > CACHED_HOURS_PER_LENGTH) {
                cached.pollFirstEntry(); // the oldest instant: evaluations move forward
            }
        }
        return whole;
    }

    /**
     * Drops the buckets of the hours ending at or before {@code before} (cut to a whole hour, so
     * an hour goes with all its minutes): no evaluation reads them again.
     *
     * @return the dropped minute ends (to remove from broadcast state too)
     */
    public List<Long> prune(long before) {
        long cut = TimeBuckets.floorTo(before, TimeBuckets.HOUR);
        List<Long> dropped = new ArrayList<>(minutes.headMap(cut, true).keySet());
        minutes.headMap(cut, true).clear();
        hours.headMap(cut, true).clear();
        for (TreeMap<Long, PpiMoments> cached : wholeHours.values()) {
            cached.headMap(cut, true).clear();
        }
        return dropped;
    }

    /** Whether a pair of this minute would still be read by an evaluation (not pruned). */
    public static boolean kept(long minuteEnd, long prunedUpTo) {
        return prunedUpTo == Long.MIN_VALUE || minuteEnd > TimeBuckets.floorTo(prunedUpTo, TimeBuckets.HOUR);
    }

    /** Minute buckets held (for tests and metrics). */
    public int size() {
        return minutes.size();
    }
}
