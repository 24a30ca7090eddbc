package io.llmslo.event;

import java.util.List;
import java.util.Map;

/**
 * One gateway request at completion (DESIGN §2, topic {@code llm.responses}).
 *
 * <p>Numeric fields that a gateway may omit are boxed: {@code null} means "not reported", which
 * is different from zero for an SLO (latency SLOs count only responses carrying the field).
 * Collections are mutable JDK types (HashMap, ArrayList after a round trip). Serialized field by
 * field ({@link EventSerializers.ResponseEventSerializer}).
 */
@org.apache.flink.api.common.typeinfo.TypeInfo(EventSerializers.ResponseEventInfo.class)
public record ResponseEvent(
        String requestId,
        long ts,
        String surface,
        String model,
        String provider,
        Map<String, String> cohort,
        boolean streaming,
        Outcome outcome,
        boolean refused,
        Double ttftMs,
        Double totalMs,
        Integer turns,
        List<Double> turnMs,
        Long inputTokens,
        Long outputTokens,
        Double costUsd,
        Failover failover,
        List<Attempt> attempts,
        String prompt,
        String response) {

    public boolean success() {
        return outcome == Outcome.SUCCESS;
    }

    /** This response without its prompt and response text (see {@link TextPolicy}). */
    public ResponseEvent withoutText() {
        return new ResponseEvent(requestId, ts, surface, model, provider, cohort, streaming, outcome, refused,
                ttftMs, totalMs, turns, turnMs, inputTokens, outputTokens, costUsd, failover, attempts, null, null);
    }
}
