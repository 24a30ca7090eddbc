package io.llmslo.event;

/** Final outcome of a gateway request, after any failover. */
public enum Outcome {
    SUCCESS,
    ERROR,
    TIMEOUT,
    RATE_LIMITED;

    public static Outcome parse(String text) {
        for (Outcome o : values()) {
            if (o.name().equalsIgnoreCase(text)) {
                return o;
            }
        }
        return null;
    }
}
