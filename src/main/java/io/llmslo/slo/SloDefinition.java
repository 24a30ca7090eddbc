package io.llmslo.slo;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One SLO of the catalogue, as configured: what counts as good, the target and windows, and its
 * alert tiers.
 *
 * @param threshold default threshold of the measured value (ms, USD); NaN when the SLO has none
 * @param thresholdBySurface per-surface overrides of {@code threshold}
 * @param quantile the quantile reported in {@code quantile_value} (e.g. 0.95); NaN when none
 * @param factor the multiple of the trailing median (tail blow-up) or the allowed absolute
 *     increase (refusal drift)
 * @param baseline the comparison period before the window (refusal drift, tail blow-up)
 * @param alertOnly no error budget (reported, alerts only on significant breach)
 * @param minN fewest valid events for a breach verdict (and for quality alerts)
 * @param alertMinN fewest events in a tier's long window before any non-quality alert opens
 */
public record SloDefinition(
        String name,
        SloKind kind,
        boolean enabled,
        double target,
        Duration window,
        double threshold,
        Map<String, Double> thresholdBySurface,
        double quantile,
        double factor,
        Duration baseline,
        Duration budgetPeriod,
        List<BurnTier> tiers,
        boolean alertOnly,
        long minN,
        long alertMinN,
        double alpha)
        implements Serializable {

    public boolean isQuality() {
        return name.startsWith("quality.");
    }

    /** Fewest events in an alert tier's long window: quality SLOs use {@code min_n}. */
    public long alertFloor() {
        return isQuality() ? minN : alertMinN;
    }

    public boolean hasQuantile() {
        return !Double.isNaN(quantile);
    }

    /** Values are kept in sketches: for the quantile, or for the tail's trailing median. */
    public boolean sketched() {
        return hasQuantile() || kind == SloKind.TAIL_BLOWUP;
    }

    /** The threshold for a request of this surface; NaN when none applies (not a valid event). */
    public double thresholdFor(String surface) {
        if (thresholdBySurface != null && surface != null) {
            Double t = thresholdBySurface.get(surface);
            if (t != null) {
                return t;
            }
        }
        return threshold;
    }

    /** The fastest burn the SLO can show: every event bad. */
    public double maxBurn() {
        return 1.0 / (1.0 - target);
    }
}
