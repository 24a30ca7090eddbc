package io.llmslo.event;

/** The three input streams; the name is also the {@code source} column of dead letters. */
public enum EventKind {
    RESPONSE("responses"),
    FEEDBACK("feedback"),
    RATING("ratings");

    private final String source;

    EventKind(String source) {
        this.source = source;
    }

    public String source() {
        return source;
    }
}
