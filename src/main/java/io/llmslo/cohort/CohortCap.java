package io.llmslo.cohort;

import io.llmslo.slo.CohortValueGuard;
import java.io.Serializable;
import java.util.HashSet;
import java.util.Set;

/**
 * The global cap of DESIGN §7b: which dimensions it learns ({@code cohorts.max_values}, the dimensions
 * grouping sets name plus {@code provider}, minus those pinned by {@code cohorts.values}, which
 * {@link CohortValueGuard} maps as a pure function of the value) and how many values each keeps.
 */
public final class CohortCap implements Serializable {

    private final HashSet<String> dimensions;
    private final int maxValues;
    private final int maxTracked;

    public CohortCap(Set<String> dimensions, int maxValues) {
        this(dimensions, maxValues, Math.max(maxValues, CohortValueGuard.DEFAULT_MAX_TRACKED));
    }

    /** @param maxTracked values a sighting subtask remembers per dimension ({@code cohorts.max_tracked}) */
    public CohortCap(Set<String> dimensions, int maxValues, int maxTracked) {
        this.dimensions = new HashSet<>(dimensions);
        this.maxValues = maxValues;
        this.maxTracked = maxTracked;
    }

    public static CohortCap of(CohortValueGuard guard) {
        return new CohortCap(guard.learnedDimensions(), guard.maxValues(), guard.maxTracked());
    }

    public boolean caps(String dimension) {
        return dimensions.contains(dimension);
    }

    public int maxValues() {
        return maxValues;
    }

    public int maxTracked() {
        return maxTracked;
    }

    /** The dead-letter reason of a dimension over its cap: the same text on every subtask, one row. */
    public String reason(String dimension) {
        return "cohort_cap: more than " + maxValues + " distinct values of '" + dimension
                + "' (cohorts.max_values); the values first seen later (event time, then value order) count as "
                + CohortValueGuard.OTHER + "; count = observations folded (per SLO and cohort row)";
    }
}
