package io.llmslo.judge;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which judged requests people should rate (DESIGN §5 "Human review queue"), as plain rules.
 *
 * <ul>
 *   <li><b>Stratified</b>: a stratum (the request's values of {@code strata}, default surface and
 *       model) whose judged volume over the last day is V gets base probability
 *       {@code min_pairs · (1 d / window) / V}, so it expects {@code min_pairs} rated requests per
 *       window however large or small it is; never below {@code min_rate}, so every judged request
 *       has a positive probability (the correction needs that to stay unbiased).
 *   <li><b>Judge-uncertain answers oversampled</b>: a score next to the pass threshold (one below
 *       it, or exactly at it) has its probability multiplied by {@code uncertain_boost}: that is
 *       where judge and people disagree most, and where a rating teaches the correction most.
 *   <li><b>Deterministic</b>: selected when a second hash point of the request id (XXH64 of
 *       {@code "review:" + id}, independent of the judge sample's point) is below the probability.
 *       A replay selects the same requests; the probability is published with each item so the
 *       correction can weight the rating by 1 / probability (inverse-probability weighting).
 * </ul>
 */
public final class ReviewQueue implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final double DAY_MS = 86_400_000.0;

    private final int minPairs;
    private final double perDay;
    private final double minRate;
    private final double uncertainBoost;
    private final ArrayList<String> strata;

    /**
     * @param minPairs rated requests wanted per stratum and window
     * @param window the window they are wanted in (the judge SLO's, 24 h by default)
     */
    public ReviewQueue(int minPairs, Duration window, double minRate, double uncertainBoost, List<String> strata) {
        if (minPairs < 1 || window.toMillis() <= 0 || !(minRate > 0 && minRate <= 1) || uncertainBoost < 1) {
            throw new IllegalArgumentException("review queue: min_pairs >= 1, window > 0, min_rate in (0, 1],"
                    + " uncertain_boost >= 1 expected");
        }
        this.minPairs = minPairs;
        this.perDay = minPairs * DAY_MS / window.toMillis();
        this.minRate = minRate;
        this.uncertainBoost = uncertainBoost;
        this.strata = new ArrayList<>(strata);
    }

    /** The stratum of a request, e.g. {@code surface=chat,model=m-2}; missing values read {@code -}. */
    public String stratum(Map<String, String> dims) {
        StringBuilder sb = new StringBuilder();
        for (String d : strata) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            String v = dims == null ? null : dims.get(d);
            sb.append(d).append('=').append(v == null ? "-" : v);
        }
        return sb.toString();
    }

    /** A score one below the pass threshold or exactly at it: the judge is least sure there. */
    public static boolean uncertain(int score, int passThreshold) {
        return score == passThreshold - 1 || score == passThreshold;
    }

    /**
     * The selection probability of a judged request.
     *
     * @param judgedLastDay judged requests of its stratum in the last complete day (0 if unknown)
     */
    public double probability(long judgedLastDay, int score, int passThreshold) {
        double base = judgedLastDay <= 0 ? 1.0 : Math.min(1.0, Math.max(minRate, perDay / judgedLastDay));
        return Math.min(1.0, uncertain(score, passThreshold) ? base * uncertainBoost : base);
    }

    public static boolean selected(String requestId, double probability) {
        return requestId != null && point(requestId) < probability;
    }

    /** The request's review point in [0, 1), independent of {@link Sampler#unit}. */
    static double point(String requestId) {
        return (XxHash64.hash("review:" + requestId) >>> 11) * 0x1.0p-53;
    }

    public int minPairs() {
        return minPairs;
    }
}
