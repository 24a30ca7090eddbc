package io.llmslo.cohort;

import io.llmslo.slo.CohortValueGuard;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns one subtask's partial batches into first sightings: each (dimension, value) once, with its
 * minute, and again only if it turns up in an earlier minute (out-of-order input), so the admission
 * learns every value's earliest minute without seeing events. Memory is bounded: past {@code
 * maxTracked} values of a dimension the subtask forgets that dimension and reports anew, which
 * costs repeated sightings but never a wrong decision (the admission keeps the earliest minute and
 * ignores values it decided).
 */
public final class SightingTracker {

    private final CohortCap cap;
    private final int maxTracked;
    private final HashMap<String, HashMap<String, Long>> reported = new HashMap<>();
    /** Per cohort key, the earliest minute it was looked at: a key seen again later has nothing new. */
    private final HashMap<String, Long> keys = new HashMap<>();

    public SightingTracker(CohortCap cap, int maxTracked) {
        this.cap = cap;
        this.maxTracked = maxTracked;
    }

    /** @param minuteEnd the earliest minute of {@code cohort} in the batch at hand */
    public void sight(String cohort, long minuteEnd, Consumer<CohortSighting> out) {
        Long looked = keys.get(cohort);
        if (looked != null && looked <= minuteEnd) {
            return;
        }
        if (looked == null && keys.size() >= maxTracked) {
            keys.clear();
        }
        keys.put(cohort, minuteEnd);
        List<CohortKey.Part> parts = CohortKey.parse(cohort);
        for (CohortKey.Part part : parts) {
            if (!cap.caps(part.dimension()) || part.value().equals(CohortValueGuard.OTHER)) {
                continue;
            }
            HashMap<String, Long> seen = reported.computeIfAbsent(part.dimension(), d -> new HashMap<>());
            Long minute = seen.get(part.value());
            if (minute != null && minute <= minuteEnd) {
                continue;
            }
            if (minute == null && seen.size() >= maxTracked) {
                seen.clear(); // bounded memory; re-reports are harmless
            }
            seen.put(part.value(), minuteEnd);
            out.accept(new CohortSighting(part.dimension(), part.value(), minuteEnd));
        }
    }

    int tracked(String dimension) {
        HashMap<String, Long> seen = reported.get(dimension);
        return seen == null ? 0 : seen.size();
    }
}
