package io.llmslo.judge;

/**
 * Scores one (rubric, prompt, response). Implementations never throw for provider trouble: every
 * failure (HTTP error, timeout, malformed answer, open circuit) is a {@link JudgeVerdict#error}, so
 * a judge outage cannot fail the pipeline. Thread-safe: the judge operator calls it from a bounded
 * pool of threads. Built in the operator's {@code open()}, closed in {@code close()}.
 */
public interface JudgeClient extends AutoCloseable {

    /**
     * Blocks until the verdict is known or {@code deadlineNanos} ({@link System#nanoTime()} clock)
     * has passed; retries and waits never go past the deadline.
     */
    JudgeVerdict judge(Rubric rubric, String prompt, String response, long deadlineNanos);

    /** The judge model's name for {@code judge_scores.judge_model}. */
    String model();

    @Override
    default void close() {}
}
