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
 * Caps the distinct values of every cohort dimension (DESIGN §7b): traffic decides cohort values,
 * so without a cap 600 new {@code cohort.region} values make 600 cohorts times every SLO. A value
 * beyond the cap becomes {@value #OTHER}; each request folded so is reported to {@code overflow}
 * (a dead letter per dimension, whose count column counts the folded requests).
 *
 * <p>The rule, per dimension used by a grouping set (and {@code provider}, which per-provider SLOs
 * always use):
 * <ul>
 *   <li>{@code cohorts.values.<dim>} listed: exactly those values keep their name — a pure function
 *       of the value, the same on every parallel instance, in every run and after every restore.
 *   <li>not listed: the first {@code cohorts.max_values} distinct values this subtask sees keep their
 *       name. While a dimension has at most that many values (the normal case) every value keeps its
 *       name everywhere, so the result is the same as without a guard. Beyond it, which values keep
 *       their name depends on arrival order per subtask (at most parallelism × max_values names in
 *       all): a flood is bounded, but pin the legitimate values with {@code cohorts.values} if a
 *       dimension really has more than max_values of them.
 * </ul>
 * Memory: at most max_values names per dimension per subtask; the guard holds no Flink state.
 */
public final class CohortValueGuard implements Serializable {

    public static final String OTHER = "__other__";

    private final Set<String> dimensions;
    private final int maxValues;
    private final HashMap<String, HashSet<String>> pinned;
    private transient Map<String, Set<String>> admitted;

    public CohortValueGuard(List<List<String>> groupingSets, int maxValues, Map<String, ? extends List<String>> pinned) {
        this.dimensions = new HashSet<>();
        for (List<String> set : groupingSets) {
            dimensions.addAll(set);
        }
        dimensions.add("provider");
        this.maxValues = maxValues;
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
                String v = value("cohort." + e.getKey(), e.getValue(), overflow);
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
            keep = seen.contains(v) || (seen.size() < maxValues && seen.add(v));
        }
        if (keep) {
            return v;
        }
        overflow.accept(dim, v);
        return OTHER;
    }

    /** The dead-letter reason for a dimension over its cap. */
    public String reason(String dim) {
        return pinned.containsKey(dim)
                ? "cohort_cap: a value of '" + dim + "' not in cohorts.values counts as " + OTHER
                : "cohort_cap: more than " + maxValues + " distinct values of '" + dim
                        + "' (cohorts.max_values); further values count as " + OTHER;
    }
}
