package io.llmslo.judge;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.llmslo.config.ConfigException;
import io.llmslo.config.JobConfig;
import java.time.Duration;
import java.util.Map;

/**
 * Builds the {@link JudgeClient} named by {@code judge.provider}: {@code offline} (in-process
 * embeddings, {@link OfflineJudgeClient}), {@code openai} (any OpenAI-compatible
 * {@code /v1/chat/completions}: OpenAI, vLLM, Ollama's {@code /v1}, llama.cpp...), {@code anthropic}
 * ({@code /v1/messages}) or {@code ollama} (native {@code /api/chat}).
 *
 * <p>The API key is read from the environment variable named by {@code api_key_env} here, at
 * build time (the operator's {@code open()}), and lives only inside the langchain4j model object:
 * never in the config, a log line, an exception message or a table. A key that is required but
 * missing does not fail the job (a judge problem must never fail the pipeline): the client answers
 * every request with an {@code auth} judge error. {@link #preflight} lets the CLI fail fast at submit.
 */
public final class JudgeClients {

    /** Circuit breaker window: the last 20 attempts, judged once at least 10 were made. */
    static final int CIRCUIT_WINDOW = 20;
    static final int CIRCUIT_MIN_CALLS = 10;
    /** Longest backoff between two attempts (a server's Retry-After may ask for more, up to the deadline). */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private JudgeClients() {}

    /**
     * @param env the environment (System.getenv() in production) to read the API key from
     * @param parallelism the judge operator's parallelism: the configured rate limit is job-wide,
     *     so each instance gets {@code rate_limit_per_second / parallelism}
     */
    public static JudgeClient create(JobConfig.Judge cfg, Map<String, String> env, int parallelism) {
        if ("offline".equals(cfg.provider())) {
            return new OfflineJudgeClient(cfg.model());
        }
        String key = cfg.apiKeyEnv() == null ? null : env.get(cfg.apiKeyEnv());
        String missing = missingKey(cfg, key);
        if (missing != null) {
            return new FailingJudgeClient(cfg.model(), JudgeErrors.AUTH, missing);
        }
        ChatModel model = switch (cfg.provider()) {
            case "openai" -> openAi(cfg, key);
            case "anthropic" -> anthropic(cfg, key);
            case "ollama" -> ollama(cfg, key);
            default -> throw new ConfigException("judge.provider: unknown provider '" + cfg.provider() + "'");
        };
        return new ChatJudgeClient(model, cfg.model(), settings(cfg, parallelism), key);
    }

    /** Fails with a config error naming the variable (never its value) if a needed key is missing. */
    public static void preflight(JobConfig.Judge cfg, Map<String, String> env) {
        if (!cfg.enabled() || "offline".equals(cfg.provider())) {
            return;
        }
        String key = cfg.apiKeyEnv() == null ? null : env.get(cfg.apiKeyEnv());
        String missing = missingKey(cfg, key);
        if (missing != null) {
            throw new ConfigException(missing);
        }
    }

    private static String missingKey(JobConfig.Judge cfg, String key) {
        boolean needed = "anthropic".equals(cfg.provider()) || ("openai".equals(cfg.provider()) && cfg.baseUrl() == null);
        if (cfg.apiKeyEnv() != null && (key == null || key.isBlank())) {
            return "judge.api_key_env: environment variable " + cfg.apiKeyEnv() + " is not set";
        }
        if (needed && cfg.apiKeyEnv() == null) {
            return "judge.api_key_env: provider " + cfg.provider()
                    + " needs an API key; name the environment variable that holds it";
        }
        return null;
    }

    static ChatJudgeClient.Settings settings(JobConfig.Judge cfg, int parallelism) {
        int p = Math.max(1, parallelism);
        return new ChatJudgeClient.Settings(cfg.maxRetries(), cfg.retryBackoff(), MAX_BACKOFF,
                cfg.rateLimitPerSecond() / p, (float) cfg.circuitFailureRate(), cfg.circuitOpenFor(),
                CIRCUIT_WINDOW, CIRCUIT_MIN_CALLS);
    }

    /** Threads (concurrent judge calls) per operator instance: the job-wide cap split evenly. */
    public static int concurrencyPerInstance(JobConfig.Judge cfg, int parallelism) {
        return Math.max(1, (cfg.maxConcurrency() + Math.max(1, parallelism) - 1) / Math.max(1, parallelism));
    }

    /**
     * The time one judgement may take, retries included: every attempt may use the full
     * {@code timeout}, with the longest backoff between attempts, plus one more call for the retry
     * after a malformed answer. The client never waits past it.
     */
    public static Duration budget(JobConfig.Judge cfg) {
        if ("offline".equals(cfg.provider())) {
            return cfg.timeout();
        }
        Duration backoff = cfg.retryBackoff().multipliedBy(1L << Math.min(cfg.maxRetries(), 20));
        if (backoff.compareTo(MAX_BACKOFF) > 0) {
            backoff = MAX_BACKOFF;
        }
        return cfg.timeout().multipliedBy(cfg.maxRetries() + 2L).plus(backoff.multipliedBy(cfg.maxRetries()));
    }

    /** The async operator's timeout: the budget plus slack for queueing, so the client's own deadline fires first. */
    public static Duration asyncTimeout(JobConfig.Judge cfg) {
        return budget(cfg).plus(Duration.ofSeconds(5));
    }

    private static OpenAiChatModel openAi(JobConfig.Judge cfg, String key) {
        OpenAiChatModel.OpenAiChatModelBuilder b = OpenAiChatModel.builder()
                .httpClientBuilder(new RetryAfterHttpClient.Builder())
                .modelName(cfg.model())
                // OpenAI-compatible servers without auth (vLLM, Ollama) ignore the header.
                .apiKey(key == null ? "none" : key)
                .temperature(0.0)
                .maxTokens(cfg.maxTokens())
                .responseFormat(ResponseFormat.JSON)
                .timeout(cfg.timeout())
                .maxRetries(0)
                .logRequests(false)
                .logResponses(false);
        if (cfg.baseUrl() != null) {
            b.baseUrl(cfg.baseUrl());
        }
        return b.build();
    }

    private static AnthropicChatModel anthropic(JobConfig.Judge cfg, String key) {
        AnthropicChatModel.AnthropicChatModelBuilder b = AnthropicChatModel.builder()
                .httpClientBuilder(new RetryAfterHttpClient.Builder())
                .modelName(cfg.model())
                .apiKey(key)
                .temperature(0.0)
                .maxTokens(cfg.maxTokens())
                .timeout(cfg.timeout())
                .maxRetries(0)
                .logRequests(false)
                .logResponses(false);
        if (cfg.baseUrl() != null) {
            b.baseUrl(cfg.baseUrl());
        }
        return b.build();
    }

    private static OllamaChatModel ollama(JobConfig.Judge cfg, String key) {
        OllamaChatModel.OllamaChatModelBuilder b = OllamaChatModel.builder()
                .httpClientBuilder(new RetryAfterHttpClient.Builder())
                .baseUrl(cfg.baseUrl() == null ? "http://localhost:11434" : cfg.baseUrl())
                .modelName(cfg.model())
                .temperature(0.0)
                .numPredict(cfg.maxTokens())
                .responseFormat(ResponseFormat.JSON)
                .timeout(cfg.timeout())
                .maxRetries(0)
                .logRequests(false)
                .logResponses(false);
        if (key != null) {
            // A reverse proxy in front of Ollama may want a bearer token.
            b.customHeaders(Map.of("Authorization", "Bearer " + key));
        }
        return b.build();
    }

    /** Answers every judgement with the same error; used when the client cannot be built. */
    static final class FailingJudgeClient implements JudgeClient {
        private final String model;
        private final String code;
        private final String detail;

        FailingJudgeClient(String model, String code, String detail) {
            this.model = model;
            this.code = code;
            this.detail = detail;
        }

        @Override
        public JudgeVerdict judge(Rubric rubric, String prompt, String response, long deadlineNanos) {
            return JudgeVerdict.error(code, detail, 0);
        }

        @Override
        public String model() {
            return model;
        }
    }
}
