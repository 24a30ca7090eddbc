package io.llmslo.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * A fixed, labelled set of the simulator's texts (every topic of every surface once per kind), for
 * measuring a judge on data it was not fitted on. Synthetic: it says whether a judge separates the
 * simulator's good answers from its off-topic, evasive and refused ones — the signal the demo's
 * judge SLO runs on — not how it agrees with people on real traffic.
 */
public final class SimTextJudgeSet {

    private SimTextJudgeSet() {}

    /** kind: good, mediocre, offtopic, evasive, refusal; rubric: the one the job maps the surface to. */
    public record Item(String surface, String rubric, String kind, String prompt, String response) {

        /** The ground truth for a good-vs-bad check: true = should pass, false = should fail, null = mediocre. */
        public Boolean shouldPass() {
            return switch (kind) {
                case "good" -> Boolean.TRUE;
                case "mediocre" -> null;
                default -> Boolean.FALSE;
            };
        }
    }

    public static List<Item> items() {
        List<Item> out = new ArrayList<>();
        for (Surface s : Surface.values()) {
            String rubric = s == Surface.RAG ? "groundedness" : "helpfulness";
            String name = s.name().toLowerCase(java.util.Locale.ROOT);
            int n = topics(s);
            for (int i = 0; i < n; i++) {
                double u = (i + 0.5) / n;
                add(out, name, rubric, "good", TextBank.text(s, QualityModel.GOOD, false, u, 0.5, 0));
                add(out, name, rubric, "mediocre", TextBank.text(s, QualityModel.MEDIOCRE, false, u, 0.5, 0));
                // u2 < 0.5: another topic's good answer; u2 >= 0.5: an evasive (on RAG: ungrounded) one
                add(out, name, rubric, "offtopic", TextBank.text(s, QualityModel.BAD, false, u, 0.25, 0));
                add(out, name, rubric, "evasive", TextBank.text(s, QualityModel.BAD, false, u, 0.5 + u / 2, 0));
                add(out, name, rubric, "refusal", TextBank.text(s, QualityModel.GOOD, true, u, u, 0));
            }
        }
        return out;
    }

    /** The number of topics of a surface: distinct good answers over a fine sweep. */
    private static int topics(Surface s) {
        java.util.Set<String> seen = new java.util.LinkedHashSet<>();
        for (int k = 0; k < 1000; k++) {
            seen.add(TextBank.text(s, QualityModel.GOOD, false, (k + 0.5) / 1000, 0.5, 0).response());
        }
        return seen.size();
    }

    private static void add(List<Item> out, String surface, String rubric, String kind, TextBank.Text t) {
        out.add(new Item(surface, rubric, kind, t.prompt(), t.response()));
    }
}
