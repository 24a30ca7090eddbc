package io.llmslo.event;

/**
 * A record the job could not use, kept with the reason instead of being dropped.
 *
 * @param eventTime epoch millis if the record's {@code ts} could be read, else {@code null}
 */
public record DeadLetter(String source, Long eventTime, String reason, String payload) {

    /** Payloads are truncated so a single huge record cannot bloat the table. */
    public static final int MAX_PAYLOAD = 4096;

    public static DeadLetter of(String source, Long eventTime, String reason, String payload) {
        String p = payload == null ? "" : payload;
        if (p.length() > MAX_PAYLOAD) {
            p = p.substring(0, MAX_PAYLOAD);
        }
        return new DeadLetter(source, eventTime, reason, p);
    }
}
