package io.llmslo.cohort;

import io.llmslo.slo.CohortValueGuard;
import io.llmslo.slo.PartialBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;

/**
 * The decisions of {@link CohortAdmissionFunction} applied to batches of partial buckets: an admitted value
 * keeps its name, a value of a full dimension that was not admitted becomes {@link
 * CohortValueGuard#OTHER} (its partials then merge with the other folded values' in the evaluator,
 * a sum), and a value not decided yet cannot be labelled: the caller holds the partial until a
 * decision comes. Memory: at most max_values names per dimension.
 */
public final class CohortRelabel {

    /** A labelled batch and the dimensions folded in it. */
    public record Result(PartialBatch batch, List<String> folded) {}

    /** Decided labels per cohort key: decisions are final, so a key's label never changes. */
    private record Label(String cohort, List<String> folded) {}

    /** Cached labels before the cache starts afresh (a few minutes of every series' keys). */
    static final int MAX_CACHED = 50_000;

    private final CohortCap cap;
    private final HashMap<String, HashSet<String>> admitted = new HashMap<>();
    private final HashSet<String> full = new HashSet<>();
    private final HashMap<String, Label> labels = new HashMap<>();

    public CohortRelabel(CohortCap cap) {
        this.cap = cap;
    }

    public void apply(CohortDecision d) {
        if (d.full()) {
            full.add(d.dimension());
        } else {
            admitted.computeIfAbsent(d.dimension(), x -> new HashSet<>()).add(d.value());
        }
    }

    /** The batch as it must be counted, or null while one of its values is undecided. */
    public Result relabel(PartialBatch p) {
        Label label = labels.get(p.cohort());
        if (label == null) {
            label = label(p.cohort());
            if (label == null) {
                return null;
            }
            if (labels.size() >= MAX_CACHED) {
                labels.clear();
            }
            labels.put(p.cohort(), label);
        }
        if (label.folded().isEmpty()) {
            return new Result(p, List.of());
        }
        return new Result(p.relabelled(label.cohort()), label.folded());
    }

    private Label label(String cohort) {
        List<CohortKey.Part> parts = null;
        List<String> folded = List.of();
        List<CohortKey.Part> in = CohortKey.parse(cohort);
        for (int i = 0; i < in.size(); i++) {
            CohortKey.Part part = in.get(i);
            if (!cap.caps(part.dimension()) || part.value().equals(CohortValueGuard.OTHER)) {
                continue;
            }
            HashSet<String> names = admitted.get(part.dimension());
            if (names != null && names.contains(part.value())) {
                continue;
            }
            if (!full.contains(part.dimension())) {
                return null;
            }
            if (parts == null) {
                parts = new ArrayList<>(in);
                folded = new ArrayList<>(2);
            }
            parts.set(i, new CohortKey.Part(part.dimension(), CohortValueGuard.OTHER));
            folded.add(part.dimension());
        }
        return parts == null ? new Label(cohort, folded) : new Label(CohortKey.format(parts), List.copyOf(folded));
    }
}
