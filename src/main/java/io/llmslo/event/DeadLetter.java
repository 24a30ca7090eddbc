package io.llmslo.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A record the job could not use, kept with the reason instead of being dropped.
 *
 * @param eventTime epoch millis if the record's {@code ts} could be read (and is plausible), else
 *     {@code null}
 * @param key hash of the reason and the WHOLE raw record (before truncation, before any text
 *     decoding), so two different records never share a row and the same record always does
 * @param count how many records with this key the job has seen (set by the dead-letter counter;
 *     1 for a single record)
 */
public record DeadLetter(String source, Long eventTime, String reason, String payload, String key, long count) {

    /** Payloads are truncated so a single huge record cannot bloat the table. */
    public static final int MAX_PAYLOAD = 4096;

    /** Reasons keep their useful part (field, expectation, value) but cannot grow without bound. */
    public static final int MAX_REASON = 1024;

    public static DeadLetter of(String source, Long eventTime, String reason, String payload) {
        String p = payload == null ? "" : payload;
        return of(source, eventTime, reason, p, p.getBytes(StandardCharsets.UTF_8));
    }

    /** As {@link #of(String, Long, String, String)}, keyed by the raw bytes as they arrived. */
    public static DeadLetter of(String source, Long eventTime, String reason, String payload, byte[] raw) {
        String r = reason == null ? "" : reason;
        if (r.length() > MAX_REASON) {
            r = r.substring(0, MAX_REASON) + "…";
        }
        String p = payload == null ? "" : payload;
        if (p.length() > MAX_PAYLOAD) {
            p = p.substring(0, MAX_PAYLOAD);
        }
        return new DeadLetter(source, eventTime, r, p, key(r, raw == null ? new byte[0] : raw), 1);
    }

    public DeadLetter withCount(long n) {
        return new DeadLetter(source, eventTime, reason, payload, key, n);
    }

    /** The row key: the same bad record replayed lands on the same row. */
    static String key(String reason, byte[] raw) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(reason.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(raw);
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
