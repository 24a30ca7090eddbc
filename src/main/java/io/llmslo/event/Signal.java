package io.llmslo.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** Implicit user signal on a response. The last four are negative (DESIGN §2). */
public enum Signal {
    ACCEPT(false),
    CONTINUE(false),
    COPY(false),
    THUMBS_UP(false),
    REGENERATE(true),
    ABANDON(true),
    HANDOFF(true),
    THUMBS_DOWN(true);

    private final boolean negative;

    Signal(boolean negative) {
        this.negative = negative;
    }

    public boolean negative() {
        return negative;
    }

    @JsonValue
    public String json() {
        return name().toLowerCase();
    }

    public static Signal parse(String text) {
        for (Signal s : values()) {
            if (s.name().equalsIgnoreCase(text)) {
                return s;
            }
        }
        return null;
    }
}
