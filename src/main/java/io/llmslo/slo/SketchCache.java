package io.llmslo.slo;

import com.datadoghq.sketch.ddsketch.DDSketch;

/**
 * In-memory cache of one series' merged whole-hour sketch: not state, rebuilt after a restore
 * or a late observation. Keeps quantile evaluation at one merge per evaluation.
 */
public final class SketchCache {
    long hour = Long.MIN_VALUE;
    DDSketch wholeHours;

    public void invalidate() {
        hour = Long.MIN_VALUE;
        wholeHours = null;
    }
}
