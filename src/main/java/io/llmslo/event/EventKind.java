package io.llmslo.event;

/**
 * The input streams; the name is also the {@code source} column of dead letters. {@code SCORE} is
 * the judge worker's output read back by unbounded jobs (DESIGN §5); bounded replays judge inline.
 */
public enum EventKind {
    RESPONSE("responses"),
    FEEDBACK("feedback"),
    RATING("ratings"),
    SCORE("judge_scores");

    private final String source;

    EventKind(String source) {
        this.source = source;
    }

    public String source() {
        return source;
    }
}
