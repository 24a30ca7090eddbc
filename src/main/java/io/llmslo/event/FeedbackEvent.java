package io.llmslo.event;

/** An implicit user signal (topic {@code llm.feedback}). */
public record FeedbackEvent(String requestId, long ts, Signal signal) {}
