package io.llmslo.sim;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.math.BigDecimal;
import java.util.List;

/** The wire records of DESIGN §2; the simulator's mapper writes their names in snake_case. */
final class Events {
    private Events() { }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"request_id", "ts", "surface", "model", "provider", "cohort", "streaming", "outcome",
        "refused", "ttft_ms", "total_ms", "turns", "turn_ms", "input_tokens", "output_tokens", "cost_usd",
        "failover", "attempts", "prompt", "response"})
    record Response(String requestId, String ts, String surface, String model, String provider, Cohort cohort,
                    boolean streaming, String outcome, boolean refused, Integer ttftMs, Integer totalMs,
                    Integer turns, List<Integer> turnMs, Integer inputTokens, Integer outputTokens,
                    BigDecimal costUsd, Failover failover, List<Attempt> attempts, String prompt,
                    String response) { }

    @JsonPropertyOrder({"region", "locale"})
    record Cohort(String region, String locale) { }

    @JsonPropertyOrder({"used", "ms", "providers"})
    record Failover(boolean used, int ms, List<String> providers) { }

    @JsonPropertyOrder({"provider", "outcome", "ms"})
    record Attempt(String provider, String outcome, int ms) { }

    @JsonPropertyOrder({"request_id", "ts", "signal"})
    record Feedback(String requestId, String ts, String signal) { }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"request_id", "ts", "rater_id", "rubric", "rubric_version", "score", "useful"})
    record Rating(String requestId, String ts, String raterId, String rubric, int rubricVersion, int score,
                  Boolean useful) { }
}
