package io.llmslo.sim;

import java.nio.file.Path;

/**
 * What a run wrote. {@code responses}, {@code feedback} and {@code ratings} count valid,
 * distinct events; duplicates and invalid lines are counted apart.
 */
public record SimulationResult(Path outDir, long responses, long duplicateResponses, long feedback, long ratings,
                               long invalidLines, long responseLines, long feedbackLines, long ratingLines) {

    public long totalLines() {
        return responseLines + feedbackLines + ratingLines;
    }

    public String summary() {
        return String.format("%d responses (+%d duplicates), %d feedback, %d ratings, %d invalid lines; "
                        + "%d lines in %s", responses, duplicateResponses, feedback, ratings, invalidLines,
                totalLines(), outDir);
    }
}
