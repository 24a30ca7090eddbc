package io.llmslo.judge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmslo.event.EventParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The two records of the decoupled judge (DESIGN §5) as JSON: judge requests
 * ({@code llm.judge_requests}, main job → worker) and score events ({@code llm.judge_scores},
 * worker → main job, read back by {@link EventParser}).
 */
public final class JudgeRequestJson {

    /**
     * A request over this many bytes goes without its text (the worker answers {@code no_text}):
     * Kafka's default max record is 1 MB, and a producer error would fail the job.
     */
    public static final int MAX_REQUEST_BYTES = 900_000;
    /** Marks a request whose text was not sent. */
    static final String TEXT_DROPPED = "text_dropped";

    private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()).build();

    private JudgeRequestJson() {}

    public static String request(ObjectMapper m, JudgeRequest q) {
        ObjectNode n = m.createObjectNode();
        n.put("request_id", q.requestId()).put("ts", q.ts()).put("enqueued_at", q.enqueuedAt());
        ObjectNode dims = n.putObject("dims");
        q.dims().forEach(dims::put);
        q.rubrics().forEach(n.putArray("rubrics")::add);
        n.put("prompt", q.prompt()).put("response", q.response());
        String json = n.toString();
        if (json.getBytes(StandardCharsets.UTF_8).length <= MAX_REQUEST_BYTES) {
            return json;
        }
        n.remove("prompt");
        n.remove("response");
        n.put(TEXT_DROPPED, "over " + MAX_REQUEST_BYTES + " bytes");
        return n.toString();
    }

    /** A request read by the worker; throws {@link IllegalArgumentException} naming what is wrong. */
    public static JudgeRequest parseRequest(byte[] value) {
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("empty record");
        }
        if (value.length > 2 * MAX_REQUEST_BYTES) {
            throw new IllegalArgumentException("record too large: " + value.length + " bytes");
        }
        JsonNode n;
        try {
            n = STRICT.readTree(new String(value, StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalArgumentException("not valid JSON");
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String id = text(n, "request_id", true);
        if (id.length() > EventParser.MAX_REQUEST_ID) {
            throw new IllegalArgumentException("field 'request_id' too long");
        }
        HashMap<String, String> dims = new HashMap<>();
        JsonNode d = n.get("dims");
        if (d != null && d.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isTextual()) {
                    dims.put(e.getKey(), e.getValue().asText());
                }
            }
        }
        List<String> rubrics = new ArrayList<>();
        JsonNode r = n.get("rubrics");
        if (r != null && r.isArray()) {
            for (JsonNode x : r) {
                if (x.isTextual()) {
                    rubrics.add(x.asText());
                }
            }
        }
        return new JudgeRequest(id, number(n, "ts"), dims, rubrics, text(n, "prompt", false),
                text(n, "response", false), number(n, "enqueued_at"));
    }

    /** The score event of one judge result (the fields {@link EventParser} reads back). */
    public static String score(ObjectMapper m, JudgeResult j) {
        ObjectNode n = m.createObjectNode();
        n.put("request_id", j.requestId()).put("ts", j.ts());
        if (j.rubric() != null) {
            n.put("rubric", j.rubric());
        }
        n.put("rubric_version", j.rubricVersion());
        if (j.passThreshold() > 0) {
            n.put("pass_threshold", j.passThreshold());
        }
        n.put("judge_model", j.judgeModel());
        if (j.error() != null) {
            n.put("error", j.error());
        } else {
            n.put("score", j.score());
        }
        if (j.reason() != null) {
            n.put("reason", j.reason());
        }
        n.put("latency_ms", j.latencyMs()).put("input_tokens", j.inputTokens()).put("output_tokens", j.outputTokens());
        return n.toString();
    }

    private static String text(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException("missing required field '" + field + "'");
            }
            return null;
        }
        if (!v.isTextual() || (required && v.asText().isBlank())) {
            throw new IllegalArgumentException("field '" + field + "': expected a string");
        }
        return v.asText();
    }

    private static long number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToLong()) {
            throw new IllegalArgumentException("field '" + field + "': expected epoch milliseconds");
        }
        return v.asLong();
    }
}
