package io.llmslo.judge;

import io.llmslo.event.Dimensions;
import io.llmslo.event.ResponseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One sampled request to judge: what the judge needs and nothing more (DESIGN §5). Inline
 * (bounded replays) it is built from the response; an unbounded job writes it to
 * {@code llm.judge_requests} for the judge worker ({@link JudgeRequestJson}).
 *
 * @param dims the request's cohort dimensions (the inline path's scores carry them)
 * @param rubrics ids of the rubrics to apply (the surface's rubric); empty: no rubric configured
 * @param enqueuedAt wall-clock ms at which the main job wrote it, 0 inline: the backlog budget
 *     ({@link BacklogBudget}) measures a request's wait from here
 */
public record JudgeRequest(
        String requestId,
        long ts,
        Map<String, String> dims,
        List<String> rubrics,
        String prompt,
        String response,
        long enqueuedAt) {

    /** The judge request of a sampled response: the rubric of its surface, if any. */
    public static JudgeRequest of(ResponseEvent r, Map<String, String> rubricBySurface) {
        String rubric = r.surface() == null ? null : rubricBySurface.get(r.surface());
        ArrayList<String> rubrics = new ArrayList<>();
        if (rubric != null) {
            rubrics.add(rubric);
        }
        return new JudgeRequest(r.requestId(), r.ts(), Dimensions.of(r), rubrics, r.prompt(), r.response(), 0);
    }

    public String surface() {
        return dims == null ? null : dims.get("surface");
    }

    public JudgeRequest enqueued(long wallClockMs) {
        return new JudgeRequest(requestId, ts, dims, rubrics, prompt, response, wallClockMs);
    }
}
