package io.llmslo.event;

/** A human rater's score, hours to days after the request (topic {@code llm.ratings}). */
public record RatingEvent(
        String requestId,
        long ts,
        String raterId,
        String rubric,
        Integer rubricVersion,
        int score,
        boolean useful) {}
