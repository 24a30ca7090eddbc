package io.llmslo.slo;

import io.llmslo.event.Attempt;
import io.llmslo.event.ResponseEvent;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The request-side half of the cohort cap (DESIGN §7b), applied in the joiner before anything uses a
 * response's dimensions (its state, every observation, the judge branch). Traffic decides cohort
 * values, so without a cap 600 new {@code cohort.region} values make 600 cohorts times every SLO.
 * A value mapped to {@value #OTHER} here is reported to {@code overflow} (one dead letter per request
 * and dimension: the row's count column counts the folded requests).
 *
 * <p>The rule, per dimension used by a grouping set (and {@code provider}, which per-provider SLOs
 * always use):
 * <ul>
 *   <li>{@code cohorts.values.<dim>} listed: exactly those values keep their name — a pure function
 *       of the value, the same on every parallel instance, in every run and after every restore.
 *   <li>not listed: the value passes unchanged; the GLOBAL cap of {@code cohorts.max_values} is
 *       decided downstream in event time ({@link io.llmslo.cohort.CohortAdmissionFunction}), the
 *       same set for every parallelism and arrival order. Here only a memory bound applies: the
 *       first {@code cohorts.max_tracked} (default {@value #DEFAULT_MAX_TRACKED}, far above the cap)
 *       distinct values a joiner subtask sees keep their name and later ones become {@value #OTHER}
 *       on that subtask, in arrival order. Only a flood of more than max_tracked values reaches it,
 *       and it bounds the per-cohort state of the judge branch (review strata, sample floor) too.
 * </ul>
 * Memory: at most max_tracked names per dimension per subtask; the guard holds no Flink state.
 */
public final class CohortValueGuard implements Serializable {

    public static final String OTHER = "__other__";

    /** {@code cohorts.max_tracked} by default: values a joiner subtask remembers per dimension. */
    public static final int DEFAULT_MAX_TRACKED = 10_000;

    private final Set<String> dimensions;
    private final int maxValues;
    private final int maxTracked;
    private final HashMap<String, HashSet<String>> pinned;
    private transient Map<String, Set<String>> admitted;

    public CohortValueGuard(List<List<String>> groupingSets, int maxValues, Map<String, ? extends List<String>> pinned) {
        this(groupingSets, maxValues, Math.max(maxValues, DEFAULT_MAX_TRACKED), pinned);
    }

    /**
     * @param maxValues {@code cohorts.max_values}, the global cap (applied downstream)
     * @param maxTracked {@code cohorts.max_tracked}, this guard's per-subtask memory bound
     */
    public CohortValueGuard(List<List<String>> groupingSets, int maxValues, int maxTracked,
            Map<String, ? extends List<String>> pinned) {
        this.dimensions = new HashSet<>();
        for (List<String> set : groupingSets) {
            dimensions.addAll(set);
        }
        dimensions.add("provider");
        this.maxValues = maxValues;
        this.maxTracked = maxTracked;
        this.pinned = new HashMap<>();
        pinned.forEach((dim, values) -> this.pinned.put(dim, new HashSet<>(values)));
    }

    /** The response with every capped value replaced by {@value #OTHER}; the same instance if none is. */
    public ResponseEvent apply(ResponseEvent r, BiConsumer<String, String> overflow) {
        String surface = value("surface", r.surface(), overflow);
        String model = value("model", r.model(), overflow);
        String provider = value("provider", r.provider(), overflow);
        Map<String, String> cohort = r.cohort();
        if (cohort != null) {
            for (Map.Entry<String, String> e : cohort.entrySet()) {
                String v = value(io.llmslo.event.Dimensions.cohortDimension(e.getKey()), e.getValue(), overflow);
                if (!v.equals(e.getValue())) {
                    if (cohort == r.cohort()) {
                        cohort = new HashMap<>(cohort);
                    }
                    cohort.put(e.getKey(), v);
                }
            }
        }
        List<Attempt> attempts = r.attempts();
        if (attempts != null) {
            for (int i = 0; i < attempts.size(); i++) {
                Attempt a = attempts.get(i);
                String p = value("provider", a.provider(), overflow);
                if (p != null && !p.equals(a.provider())) {
                    if (attempts == r.attempts()) {
                        attempts = new ArrayList<>(attempts);
                    }
                    attempts.set(i, new Attempt(p, a.outcome(), a.ms()));
                }
            }
        }
        if (surface == r.surface() && model == r.model() && provider == r.provider() && cohort == r.cohort()
                && attempts == r.attempts()) {
            return r;
        }
        return new ResponseEvent(r.requestId(), r.ts(), surface, model, provider, cohort, r.streaming(),
                r.outcome(), r.refused(), r.ttftMs(), r.totalMs(), r.turns(), r.turnMs(), r.inputTokens(),
                r.outputTokens(), r.costUsd(), r.failover(), attempts, r.prompt(), r.response());
    }

    private String value(String dim, String v, BiConsumer<String, String> overflow) {
        if (v == null || v.isEmpty() || !dimensions.contains(dim)) {
            return v;
        }
        Set<String> list = pinned.get(dim);
        boolean keep;
        if (list != null) {
            keep = list.contains(v);
        } else {
            if (admitted == null) {
                admitted = new HashMap<>();
            }
            Set<String> seen = admitted.computeIfAbsent(dim, d -> new HashSet<>());
            keep = seen.contains(v) || (seen.size() < maxTracked && seen.add(v));
        }
        if (keep) {
            return v;
        }
        overflow.accept(dim, v);
        return OTHER;
    }

    /** The dead-letter reason of a value this guard folds. */
    public String reason(String dim) {
        return pinned.containsKey(dim)
                ? "cohort_cap: a value of '" + dim + "' not in cohorts.values counts as " + OTHER
                : "cohort_cap: more than " + maxTracked + " distinct values of '" + dim
                        + "' on one request-joiner subtask (cohorts.max_tracked); further values there count as "
                        + OTHER;
    }

    /** {@code cohorts.max_tracked}: values a subtask remembers per dimension. */
    public int maxTracked() {
        return maxTracked;
    }

    /** {@code cohorts.max_values}: named values per dimension in the SLO tables. */
    public int maxValues() {
        return maxValues;
    }

    /** The capped dimensions without a {@code cohorts.values} list: the global cap learns their values. */
    public Set<String> learnedDimensions() {
        Set<String> out = new HashSet<>(dimensions);
        out.removeAll(pinned.keySet());
        return out;
    }
}
