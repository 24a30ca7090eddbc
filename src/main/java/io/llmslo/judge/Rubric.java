package io.llmslo.judge;

import java.io.Serializable;
import java.util.ArrayList;

/**
 * A judging rubric (DESIGN §6), as read from {@code rubrics/<id>.yaml} by {@link RubricLoader}
 * after {@link RubricValidator} accepted it. Immutable by convention; the lists are plain
 * {@link ArrayList}s so the rubric travels inside a Flink function closure and through Java
 * serialization without surprises.
 *
 * @param passThreshold score >= it counts as "high" (and as "useful" for calibration)
 * @param minAgreement judge-vs-human agreement on useful below this opens a calibration alert
 * @param examples anchors with human-agreed scores: the calibration set and the offline judge's
 *     training data
 * @param source the file the rubric was read from, for messages
 */
public record Rubric(
        String id,
        int version,
        String description,
        int scaleMin,
        int scaleMax,
        int passThreshold,
        double minAgreement,
        String instructions,
        ArrayList<Criterion> criteria,
        ArrayList<Anchor> examples,
        String source)
        implements Serializable {

    public record Criterion(String id, String description) implements Serializable {}

    public record Anchor(String prompt, String response, int score, String note) implements Serializable {}

    /** "helpfulness@3": the rubric version key used for calibration state and rows. */
    public String key() {
        return id + "@" + version;
    }

    public boolean inScale(int score) {
        return score >= scaleMin && score <= scaleMax;
    }

    public boolean passes(int score) {
        return score >= passThreshold;
    }
}
