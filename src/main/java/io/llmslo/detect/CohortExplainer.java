package io.llmslo.detect;

import java.util.Map;

/**
 * Which cohort explains an incident seen across the hierarchy (global ⊃ surface ⊃ surface ×
 * locale …): the most specific cohort whose excess of bad events over the boundary rate,
 * {@code bad − p0 · n}, holds at least {@code share} of the excess of the broadest cohort. A
 * regression of one locale is explained by that locale (its parent's excess is almost all its
 * own), a global outage by {@code *} (no single child holds most of it).
 */
public final class CohortExplainer {

    /** Share of the broadest cohort's excess a narrower one must hold to explain it. */
    public static final double DEFAULT_SHARE = 0.75;

    private CohortExplainer() {}

    /**
     * @param counts per cohort key: {n, bad} over the incident's span so far
     * @param p0 the boundary bad rate
     * @return the explaining cohort, or null if no cohort has an excess
     */
    public static String explain(Map<String, long[]> counts, double p0, double share) {
        String broadest = null;
        double rootExcess = 0;
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            int depth = FamilyBudget.depth(e.getKey());
            if (broadest == null || depth < FamilyBudget.depth(broadest)
                    || (depth == FamilyBudget.depth(broadest) && excess(e.getValue(), p0) > rootExcess)) {
                broadest = e.getKey();
                rootExcess = excess(e.getValue(), p0);
            }
        }
        if (broadest == null || rootExcess <= 0) {
            return null;
        }
        String best = broadest;
        double bestExcess = rootExcess;
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            double x = excess(e.getValue(), p0);
            int depth = FamilyBudget.depth(e.getKey());
            int bestDepth = FamilyBudget.depth(best);
            if (x >= share * rootExcess && (depth > bestDepth || (depth == bestDepth && x > bestExcess))) {
                best = e.getKey();
                bestExcess = x;
            }
        }
        return best;
    }

    static double excess(long[] nBad, double p0) {
        return nBad[1] - p0 * nBad[0];
    }
}
