package io.llmslo.judge;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A {@link JudgeClient} over any langchain4j {@link ChatModel} (OpenAI-compatible, Anthropic,
 * Ollama), with the judge's resilience around every HTTP attempt:
 *
 * <ol>
 *   <li><b>circuit breaker</b> (resilience4j): while open, a judgement is an immediate
 *       {@code circuit_open} error and no call is made, so an outage costs nothing and stalls
 *       nothing. Transport errors, timeouts, 429, 5xx, 401/403 and 404 count as failures; 400/422
 *       (a problem with one request) and malformed answers (the server is fine) do not.
 *   <li><b>rate limiter</b> (resilience4j): a permit per attempt, waiting at most until the deadline.
 *   <li><b>retries</b>, our own small policy rather than resilience4j Retry because it must honour
 *       the server's {@code Retry-After} and the per-judgement deadline: up to {@code max_retries}
 *       more attempts on 408/429/5xx, timeouts and connection errors; the wait is the server's
 *       {@code Retry-After} when given, else exponential backoff from {@code retry_backoff} with
 *       jitter; a wait that would pass the deadline is not started. The langchain4j model is built
 *       with {@code maxRetries(0)}, so these are the only retries.
 *   <li><b>malformed answer</b>: one more round with the rejection reason, then {@code malformed_answer}.
 * </ol>
 *
 * The concurrency cap is the caller's bounded executor ({@link JudgeFunction}). Error details are
 * scrubbed of the API key.
 */
final class ChatJudgeClient implements JudgeClient {

    /** Resilience settings of one operator instance (already divided by the parallelism). */
    record Settings(
            int maxRetries,
            Duration retryBackoff,
            Duration maxBackoff,
            double ratePerSecond,
            float circuitFailureRatePercent,
            Duration circuitOpenFor,
            int circuitWindow,
            int circuitMinCalls) {}

    private final ChatModel model;
    private final String modelName;
    private final Settings settings;
    private final String secret;
    private final CircuitBreaker breaker;
    private final RateLimiter rateLimiter;

    ChatJudgeClient(ChatModel model, String modelName, Settings settings, String secret) {
        this.model = model;
        this.modelName = modelName;
        this.settings = settings;
        this.secret = secret;
        this.breaker = CircuitBreaker.of("llm-judge", CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.circuitFailureRatePercent())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.circuitWindow())
                .minimumNumberOfCalls(settings.circuitMinCalls())
                .waitDurationInOpenState(settings.circuitOpenFor())
                .permittedNumberOfCallsInHalfOpenState(2)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build());
        this.rateLimiter = RateLimiter.of("llm-judge", rateLimiterConfig(settings.ratePerSecond()));
    }

    /** Smooth permits: one every 1/rate s up to 100/s, beyond that a batch every 10 ms. */
    static RateLimiterConfig rateLimiterConfig(double perSecond) {
        RateLimiterConfig.Builder b = RateLimiterConfig.custom().timeoutDuration(Duration.ZERO);
        if (perSecond <= 100) {
            return b.limitForPeriod(1).limitRefreshPeriod(Duration.ofNanos(Math.max(1, Math.round(1e9 / perSecond)))).build();
        }
        return b.limitForPeriod((int) Math.ceil(perSecond / 100)).limitRefreshPeriod(Duration.ofMillis(10)).build();
    }

    CircuitBreaker.State circuitState() {
        return breaker.getState();
    }

    @Override
    public String model() {
        return modelName;
    }

    @Override
    public JudgeVerdict judge(Rubric rubric, String prompt, String response, long deadlineNanos) {
        List<ChatMessage> messages = JudgePrompt.messages(rubric, prompt, response);
        Call first = call(messages, deadlineNanos, 0);
        if (first.error != null) {
            return first.error;
        }
        String text = first.response.aiMessage() == null ? null : first.response.aiMessage().text();
        try {
            return verdict(JudgeAnswerParser.parse(text, rubric), first.response, first.attempts);
        } catch (JudgeAnswerParser.MalformedAnswerException malformed) {
            Call second = call(JudgePrompt.retryAfterMalformed(messages, text, malformed.getMessage(), rubric),
                    deadlineNanos, first.attempts);
            if (second.error != null) {
                return second.error;
            }
            String text2 = second.response.aiMessage() == null ? null : second.response.aiMessage().text();
            try {
                return verdict(JudgeAnswerParser.parse(text2, rubric), second.response, second.attempts);
            } catch (JudgeAnswerParser.MalformedAnswerException again) {
                return JudgeVerdict.error(JudgeErrors.MALFORMED_ANSWER, scrub(again.getMessage()), second.attempts);
            }
        }
    }

    private static JudgeVerdict verdict(JudgeAnswerParser.Answer a, ChatResponse r, int attempts) {
        TokenUsage u = r.tokenUsage();
        long in = u == null || u.inputTokenCount() == null ? 0 : u.inputTokenCount();
        long out = u == null || u.outputTokenCount() == null ? 0 : u.outputTokenCount();
        return JudgeVerdict.ok(a.score(), a.reason(), in, out, attempts);
    }

    /** One model call with retries; exactly one of response / error is set. */
    private record Call(ChatResponse response, JudgeVerdict error, int attempts) {}

    private Call call(List<ChatMessage> messages, long deadlineNanos, int attemptsSoFar) {
        ChatRequest request = ChatRequest.builder().messages(messages).build();
        int attempts = attemptsSoFar;
        Failure last = null;
        for (int retry = 0; ; retry++) {
            if (breaker.getState() == CircuitBreaker.State.OPEN) {
                // Opened by this judgement's own failures: report what actually happened.
                return last != null
                        ? new Call(null, JudgeVerdict.error(last.code(), scrub(last.detail())
                                + " (attempt " + attempts + "); circuit breaker now open", attempts), attempts)
                        : new Call(null, JudgeVerdict.error(JudgeErrors.CIRCUIT_OPEN, "judge circuit breaker is open", attempts), attempts);
            }
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                return new Call(null, JudgeVerdict.error(JudgeErrors.TIMEOUT, "judge time budget used up before the call", attempts), attempts);
            }
            if (!rateLimiter.acquirePermission(1) && !waitForPermit(deadlineNanos)) {
                return new Call(null, JudgeVerdict.error(JudgeErrors.LOCAL_RATE_LIMIT,
                        "no rate-limit permit within the time budget", attempts), attempts);
            }
            if (!breaker.tryAcquirePermission()) {
                return new Call(null, JudgeVerdict.error(JudgeErrors.CIRCUIT_OPEN, "judge circuit breaker is open", attempts), attempts);
            }
            attempts++;
            long t0 = System.nanoTime();
            try {
                ChatResponse r = model.chat(request);
                breaker.onSuccess(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                return new Call(r, null, attempts);
            } catch (RuntimeException e) {
                Failure f = classify(e);
                last = f;
                if (f.countsForCircuit()) {
                    breaker.onError(System.nanoTime() - t0, TimeUnit.NANOSECONDS, e);
                } else {
                    breaker.onSuccess(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                }
                String detail = scrub(f.detail()) + " (attempt " + attempts + ")";
                if (!f.retriable() || retry >= settings.maxRetries()) {
                    return new Call(null, JudgeVerdict.error(f.code(), detail, attempts), attempts);
                }
                Duration wait = f.retryAfter() != null ? f.retryAfter() : backoff(retry);
                if (System.nanoTime() + wait.toNanos() >= deadlineNanos) {
                    return new Call(null, JudgeVerdict.error(f.code(), detail + "; next wait " + wait.toMillis()
                            + " ms would pass the time budget", attempts), attempts);
                }
                if (!sleep(wait)) {
                    return new Call(null, JudgeVerdict.error(JudgeErrors.INTERRUPTED, detail, attempts), attempts);
                }
            }
        }
    }

    /**
     * Polls the limiter (its own timeout is zero) until a permit or the deadline: the limiter's
     * built-in wait cannot be bounded per call, and a judgement must never wait past its deadline.
     */
    private boolean waitForPermit(long deadlineNanos) {
        long poll = Math.max(1_000_000L, Math.min(50_000_000L,
                rateLimiter.getRateLimiterConfig().getLimitRefreshPeriod().toNanos()));
        while (!rateLimiter.acquirePermission(1)) {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0 || !sleep(Duration.ofNanos(Math.min(remaining, poll)))) {
                return false;
            }
        }
        return true;
    }

    /** Exponential backoff with "equal jitter": base * 2^retry * [0.5, 1), capped. */
    private Duration backoff(int retry) {
        double base = settings.retryBackoff().toMillis() * Math.pow(2, Math.min(retry, 20));
        double capped = Math.min(base, settings.maxBackoff().toMillis());
        return Duration.ofMillis(Math.round(capped * (0.5 + 0.5 * ThreadLocalRandom.current().nextDouble())));
    }

    private static boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String scrub(String s) {
        return Secrets.scrub(s, secret);
    }

    record Failure(String code, String detail, boolean retriable, boolean countsForCircuit, Duration retryAfter) {}

    /** Maps what langchain4j threw (its typed exception, whose cause chain holds the HTTP status). */
    static Failure classify(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpException h) {
                int s = h.statusCode();
                Duration ra = t instanceof RetryAfterHttpClient.StatusException se ? se.retryAfter().orElse(null) : null;
                String detail = "HTTP " + s + bodyHint(h.getMessage());
                if (s == 429) {
                    return new Failure(JudgeErrors.RATE_LIMITED, detail, true, true, ra);
                }
                if (s >= 500) {
                    return new Failure(JudgeErrors.SERVER_ERROR, detail, true, true, ra);
                }
                if (s == 408) {
                    return new Failure(JudgeErrors.TIMEOUT, detail, true, true, ra);
                }
                if (s == 401 || s == 403) {
                    return new Failure(JudgeErrors.AUTH, detail, false, true, null);
                }
                return new Failure(JudgeErrors.INVALID_REQUEST, detail, false, s == 404, null);
            }
            if (t instanceof dev.langchain4j.exception.TimeoutException || t instanceof HttpTimeoutException) {
                return new Failure(JudgeErrors.TIMEOUT, "no answer within the judge timeout", true, true, null);
            }
            if (t instanceof IOException io) {
                return new Failure(JudgeErrors.CONNECTION, io.getClass().getSimpleName()
                        + (io.getMessage() == null ? "" : ": " + io.getMessage()), true, true, null);
            }
        }
        return new Failure(JudgeErrors.PROVIDER_ERROR, e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage())), false, true, null);
    }

    private static String bodyHint(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String one = firstLine(body);
        return ": " + (one.length() > 200 ? one.substring(0, 200) + "…" : one);
    }

    private static String firstLine(String s) {
        return s.strip().lines().findFirst().orElse("");
    }
}
