package io.llmslo.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** Final outcome of a gateway request, after any failover. */
public enum Outcome {
    SUCCESS,
    ERROR,
    TIMEOUT,
    RATE_LIMITED;

    @JsonValue
    public String json() {
        return name().toLowerCase();
    }

    public static Outcome parse(String text) {
        for (Outcome o : values()) {
            if (o.name().equalsIgnoreCase(text)) {
                return o;
            }
        }
        return null;
    }
}
