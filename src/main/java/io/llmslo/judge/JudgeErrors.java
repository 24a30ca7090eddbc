package io.llmslo.judge;

/**
 * The judge error codes written to {@code judge_scores.error}. A judge error is not a score: the
 * judge SLO counts only judged responses without one (DESIGN §3).
 */
public final class JudgeErrors {

    /** The answer was not the JSON {score, reason} twice in a row. */
    public static final String MALFORMED_ANSWER = "malformed_answer";
    /** HTTP 429 until retries or the time budget ran out. */
    public static final String RATE_LIMITED = "rate_limited";
    /** HTTP 5xx until retries or the time budget ran out. */
    public static final String SERVER_ERROR = "server_error";
    /** The provider did not answer in time (HTTP timeout, or the operator's async timeout). */
    public static final String TIMEOUT = "timeout";
    /** Could not connect / connection reset. */
    public static final String CONNECTION = "connection";
    /** The circuit breaker is open: no call was made. */
    public static final String CIRCUIT_OPEN = "circuit_open";
    /** 401/403, or the API key environment variable is not set. */
    public static final String AUTH = "auth";
    /** 400/404/422: the provider rejected the request (unknown model, request too large, ...). */
    public static final String INVALID_REQUEST = "invalid_request";
    /** The local rate limiter gave no permit within the time budget. */
    public static final String LOCAL_RATE_LIMIT = "local_rate_limit";
    /** No rubric is configured for the response's surface. */
    public static final String NO_RUBRIC = "no_rubric";
    /** The response carries no prompt or response text to judge. */
    public static final String NO_TEXT = "no_text";
    /** Anything else the provider client threw; detail in the reason. */
    public static final String PROVIDER_ERROR = "provider_error";
    /** The request waited longer than {@code judge.max_backlog} for the judge worker: shed, not judged. */
    public static final String SHED_BACKLOG = "shed_backlog";
    /** The judge task was interrupted (operator closing). */
    public static final String INTERRUPTED = "interrupted";

    private JudgeErrors() {}
}
