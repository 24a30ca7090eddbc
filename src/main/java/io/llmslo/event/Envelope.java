package io.llmslo.event;

/**
 * The one stream type between parsing and the request joiner: exactly one of {@code response},
 * {@code feedback}, {@code rating}, {@code score} or {@code deadLetter} is set. A single union
 * type lets the sources share one parser, one watermark strategy and one keyed operator.
 * Serialized field by field ({@link EventSerializers.EnvelopeSerializer}).
 */
@org.apache.flink.api.common.typeinfo.TypeInfo(EventSerializers.EnvelopeInfo.class)
public record Envelope(
        EventKind kind,
        String requestId,
        long ts,
        ResponseEvent response,
        FeedbackEvent feedback,
        RatingEvent rating,
        JudgeScoreEvent score,
        DeadLetter deadLetter) {

    public static Envelope of(ResponseEvent r) {
        return new Envelope(EventKind.RESPONSE, r.requestId(), r.ts(), r, null, null, null, null);
    }

    public static Envelope of(FeedbackEvent f) {
        return new Envelope(EventKind.FEEDBACK, f.requestId(), f.ts(), null, f, null, null, null);
    }

    public static Envelope of(RatingEvent r) {
        return new Envelope(EventKind.RATING, r.requestId(), r.ts(), null, null, r, null, null);
    }

    public static Envelope of(JudgeScoreEvent s) {
        return new Envelope(EventKind.SCORE, s.requestId(), s.ts(), null, null, null, s, null);
    }

    public static Envelope dead(EventKind kind, DeadLetter d) {
        long ts = d.eventTime() == null ? Long.MIN_VALUE : d.eventTime();
        return new Envelope(kind, null, ts, null, null, null, null, d);
    }

    public boolean isDead() {
        return deadLetter != null;
    }
}
