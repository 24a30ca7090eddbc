package io.llmslo.judge;

import io.llmslo.config.JobConfig;
import io.llmslo.event.ResponseEvent;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The deterministic judge sample (DESIGN §5): a request is sampled when the XXH64 (seed 0) of its
 * {@code request_id}, mapped to [0, 1), is below the rate of its surface.
 *
 * <p>Consequences, all by construction: replays and every parallel instance pick the same
 * requests (no salt, no state, no randomness); a lower rate's sample is a subset of a higher
 * rate's (the same point {@code u} is compared with both); and a retry or a duplicate of a
 * request is sampled exactly when the original was.
 *
 * <p>The per-cohort-hour floor ({@code sampling.min_per_cohort_hour}) is not part of this pure
 * decision: it needs per-cohort state and lives in {@link SampleFloorFunction}.
 */
public final class Sampler implements Serializable {

    private static final long serialVersionUID = 1L;

    private final double rate;
    private final HashMap<String, Double> perSurface;

    public Sampler(JobConfig.Sampling sampling) {
        this(sampling.rate(), sampling.perSurface());
    }

    public Sampler(double rate, Map<String, Double> perSurface) {
        checkRate(rate, "rate");
        perSurface.forEach((s, r) -> checkRate(r, "rate of surface " + s));
        this.rate = rate;
        this.perSurface = new HashMap<>(perSurface);
    }

    /** The rate that applies to a surface: its own if configured, else the default. */
    public double rateFor(String surface) {
        Double r = surface == null ? null : perSurface.get(surface);
        return r == null ? rate : r;
    }

    public boolean sampled(String requestId, String surface) {
        return requestId != null && unit(requestId) < rateFor(surface);
    }

    public boolean sampled(ResponseEvent r) {
        return sampled(r.requestId(), r.surface());
    }

    /**
     * Whether a response can be judged at all: a success with a response text. Failed requests
     * have nothing to judge; sending them to the judge would only produce judge errors.
     */
    public static boolean judgeable(ResponseEvent r) {
        return r.success() && r.response() != null && !r.response().isBlank();
    }

    /**
     * Whether the hash sample may hold this request whatever its surface (the highest rate of
     * any surface): a superset test for records that carry the id but not the surface (ratings).
     */
    public boolean maybeSampled(String requestId) {
        double max = rate;
        for (double r : perSurface.values()) {
            max = Math.max(max, r);
        }
        return requestId != null && unit(requestId) < max;
    }

    /** The request's point in [0, 1): the top 53 bits of XXH64(UTF-8 of the id, seed 0). */
    public static double unit(String requestId) {
        return (XxHash64.hash(requestId) >>> 11) * 0x1.0p-53;
    }

    private static void checkRate(double r, String what) {
        if (!(r >= 0 && r <= 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1], got " + r);
        }
    }
}
