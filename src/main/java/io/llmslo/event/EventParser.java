package io.llmslo.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Parses and validates one JSON record of DESIGN §2 into an {@link Envelope}. Never throws: a bad
 * record becomes a dead-letter envelope whose reason names the field. One mapper per parser
 * instance (parsers are per-subtask), reused for every record.
 */
public final class EventParser implements Serializable {

    public static final int MAX_REQUEST_ID = 256;

    private transient ObjectMapper mapper;

    private ObjectMapper mapper() {
        if (mapper == null) {
            // trailing tokens fail: two records glued on one line must be a dead letter, not
            // the first record parsed and the second silently dropped
            mapper = new ObjectMapper()
                    .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, false)
                    .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
        }
        return mapper;
    }

    /** Signals a validation failure inside the parser; never leaves this class. */
    private static final class Invalid extends Exception {
        Invalid(String reason) {
            super(reason, null, false, false);
        }
    }

    public Envelope parse(EventKind kind, String line) {
        JsonNode node;
        try {
            node = mapper().readTree(line);
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            return dead(kind, null, "not valid JSON: " + firstLine(msg), line);
        }
        if (node == null || !node.isObject()) {
            return dead(kind, null, "not a JSON object", line);
        }
        Long ts = null;
        try {
            ts = timestamp(node);
            return switch (kind) {
                case RESPONSE -> Envelope.of(response(node, ts));
                case FEEDBACK -> Envelope.of(feedback(node, ts));
                case RATING -> Envelope.of(rating(node, ts));
            };
        } catch (Invalid e) {
            return dead(kind, ts, e.getMessage(), line);
        }
    }

    private static Envelope dead(EventKind kind, Long ts, String reason, String payload) {
        return Envelope.dead(kind, DeadLetter.of(kind.source(), ts, reason, payload));
    }

    private static ResponseEvent response(JsonNode n, long ts) throws Invalid {
        String outcomeText = requiredString(n, "outcome");
        Outcome outcome = Outcome.parse(outcomeText);
        if (outcome == null) {
            throw new Invalid("field 'outcome': expected one of success|error|timeout|rate_limited, got '"
                    + clip(outcomeText) + "'");
        }
        return new ResponseEvent(
                requestId(n), ts, requiredString(n, "surface"), requiredString(n, "model"),
                optionalString(n, "provider"), cohort(n), optionalBool(n, "streaming", false),
                outcome, optionalBool(n, "refused", false), nonNegative(n, "ttft_ms"),
                nonNegative(n, "total_ms"), optionalInt(n, "turns"), numbers(n, "turn_ms"),
                optionalLong(n, "input_tokens"), optionalLong(n, "output_tokens"),
                nonNegative(n, "cost_usd"), failover(n), attempts(n), optionalString(n, "prompt"),
                optionalString(n, "response"));
    }

    private static FeedbackEvent feedback(JsonNode n, long ts) throws Invalid {
        String requestId = requestId(n);
        String text = requiredString(n, "signal");
        Signal signal = Signal.parse(text);
        if (signal == null) {
            throw new Invalid("field 'signal': expected one of accept|continue|copy|thumbs_up|"
                    + "regenerate|abandon|handoff|thumbs_down, got '" + clip(text) + "'");
        }
        return new FeedbackEvent(requestId, ts, signal);
    }

    private static RatingEvent rating(JsonNode n, long ts) throws Invalid {
        String requestId = requestId(n);
        JsonNode s = n.get("score");
        if (s == null || s.isNull()) {
            throw new Invalid("missing required field 'score'");
        }
        if (!s.isIntegralNumber() || s.asLong() < 1 || s.asLong() > 5) {
            throw new Invalid("field 'score': expected an integer 1-5, got " + clip(s.toString()));
        }
        int score = s.asInt();
        Integer version = optionalInt(n, "rubric_version");
        boolean useful = optionalBool(n, "useful", score >= 4);
        return new RatingEvent(requestId, ts, optionalString(n, "rater_id"),
                optionalString(n, "rubric"), version, score, useful);
    }

    private static String requestId(JsonNode n) throws Invalid {
        String id = requiredString(n, "request_id");
        if (id.length() > MAX_REQUEST_ID) {
            throw new Invalid("field 'request_id': expected at most " + MAX_REQUEST_ID
                    + " characters, got " + id.length());
        }
        return id;
    }

    /** ISO-8601 with a zone, or epoch milliseconds. */
    static long timestamp(JsonNode n) throws Invalid {
        JsonNode t = n.get("ts");
        if (t == null || t.isNull()) {
            throw new Invalid("missing required field 'ts'");
        }
        if (t.isIntegralNumber()) {
            return t.asLong();
        }
        if (t.isTextual()) {
            String text = t.asText().trim();
            if (text.matches("\\d{10,15}")) {
                return Long.parseLong(text);
            }
            try {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new Invalid("field 'ts': expected ISO-8601 with zone (2026-11-27T10:00:00.123Z)"
                        + " or epoch milliseconds, got '" + clip(text) + "'");
            }
        }
        throw new Invalid("field 'ts': expected ISO-8601 text or epoch milliseconds, got "
                + clip(t.toString()));
    }

    private static String requiredString(JsonNode n, String field) throws Invalid {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new Invalid("missing required field '" + field + "'");
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new Invalid("field '" + field + "': expected a non-empty string, got " + clip(v.toString()));
        }
        return v.asText();
    }

    private static String optionalString(JsonNode n, String field) throws Invalid {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new Invalid("field '" + field + "': expected a string, got " + clip(v.toString()));
        }
        return v.asText();
    }

    private static boolean optionalBool(JsonNode n, String field, boolean def) throws Invalid {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isBoolean()) {
            throw new Invalid("field '" + field + "': expected true or false, got " + clip(v.toString()));
        }
        return v.booleanValue();
    }

    private static Double nonNegative(JsonNode n, String field) throws Invalid {
        return number(n.get(field), field);
    }

    private static Double number(JsonNode v, String field) throws Invalid {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || v.asDouble() < 0 || !Double.isFinite(v.asDouble())) {
            throw new Invalid("field '" + field + "': expected a non-negative number, got " + clip(v.toString()));
        }
        return v.asDouble();
    }

    private static Integer optionalInt(JsonNode n, String field) throws Invalid {
        Long v = optionalLong(n, field);
        return v == null ? null : (int) Math.min(v, Integer.MAX_VALUE);
    }

    private static Long optionalLong(JsonNode n, String field) throws Invalid {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || v.asLong() < 0) {
            throw new Invalid("field '" + field + "': expected a non-negative integer, got " + clip(v.toString()));
        }
        return v.asLong();
    }

    private static List<Double> numbers(JsonNode n, String field) throws Invalid {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw new Invalid("field '" + field + "': expected an array of numbers, got " + clip(v.toString()));
        }
        List<Double> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            out.add(number(v.get(i), field + "[" + i + "]"));
        }
        return out;
    }

    private static HashMap<String, String> cohort(JsonNode n) throws Invalid {
        JsonNode v = n.get("cohort");
        HashMap<String, String> out = new HashMap<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isObject()) {
            throw new Invalid("field 'cohort': expected an object of string to string, got " + clip(v.toString()));
        }
        Iterator<Map.Entry<String, JsonNode>> it = v.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new Invalid("field 'cohort." + e.getKey() + "': expected a string, got "
                        + clip(e.getValue().toString()));
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static Failover failover(JsonNode n) throws Invalid {
        JsonNode v = n.get("failover");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw new Invalid("field 'failover': expected an object {used, ms, providers}, got " + clip(v.toString()));
        }
        List<String> providers = new ArrayList<>();
        JsonNode p = v.get("providers");
        if (p != null && !p.isNull()) {
            if (!p.isArray()) {
                throw new Invalid("field 'failover.providers': expected an array of strings");
            }
            for (JsonNode e : p) {
                providers.add(e.asText());
            }
        }
        return new Failover(optionalBool(v, "used", false), number(v.get("ms"), "failover.ms"), providers);
    }

    private static List<Attempt> attempts(JsonNode n) throws Invalid {
        JsonNode v = n.get("attempts");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw new Invalid("field 'attempts': expected an array of {provider, outcome, ms}");
        }
        List<Attempt> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode a = v.get(i);
            if (!a.isObject()) {
                throw new Invalid("field 'attempts[" + i + "]': expected an object {provider, outcome, ms}");
            }
            String outcome = optionalString(a, "outcome");
            if (outcome == null || Outcome.parse(outcome) == null) {
                throw new Invalid("field 'attempts[" + i + "].outcome': expected one of "
                        + "success|error|timeout|rate_limited, got " + clip(String.valueOf(outcome)));
            }
            out.add(new Attempt(optionalString(a, "provider"), outcome.toLowerCase(),
                    number(a.get("ms"), "attempts[" + i + "].ms")));
        }
        return out;
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return clip(nl < 0 ? s : s.substring(0, nl));
    }
}
