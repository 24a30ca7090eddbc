package io.llmslo.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.Serializable;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Parses and validates one JSON record of DESIGN §2 into an {@link Envelope}. This is the job's
 * boundary (DESIGN §7b) and never throws: a bad record becomes a dead-letter envelope whose reason
 * names the field. The raw bytes are checked before JSON is: a UTF-8 byte-order mark is skipped,
 * invalid UTF-8 is rejected (decoding it leniently would turn two different bad ids into the same
 * replacement characters, a false {@code duplicate}), and so are duplicate keys (last value would
 * silently win), integers beyond their range (never wrapped) and every number outside the range
 * the README documents. One mapper per parser instance (parsers are per-subtask), reused.
 */
public final class EventParser implements Serializable {

    public static final int MAX_REQUEST_ID = 256;
    /** Longest record, in bytes; longer ones are dead letters (a line reader stops at it too). */
    public static final int MAX_RECORD_BYTES = 1 << 20;
    /** surface, model, provider, rater_id, rubric, cohort values, provider names. */
    public static final int MAX_NAME = 256;
    public static final int MAX_COHORT_KEY = 64;
    public static final int MAX_COHORT_ENTRIES = 32;
    public static final int MAX_ARRAY = 1000;
    /** Durations (ttft_ms, total_ms, turn_ms, failover.ms, attempts[].ms): 0 .. 10^9 ms (11.6 days). */
    public static final double MAX_MS = 1e9;
    public static final double MAX_COST_USD = 10_000;
    public static final long MAX_TOKENS = 1_000_000_000L;
    public static final long MAX_TURNS = 100_000;
    public static final long MAX_RUBRIC_VERSION = 1_000_000;
    /** A judge score's reason: the worker scrubs and caps it at 1000 characters (Secrets). */
    public static final int MAX_REASON = 4096;
    /** A judge call's latency: 0 .. one day. */
    public static final long MAX_LATENCY_MS = 86_400_000L;

    private static final int MAX_SHOWN = 200;
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final EventTimeBounds bounds;
    private final TextPolicy textPolicy;
    private transient ObjectMapper mapper;

    public EventParser() {
        this(EventTimeBounds.defaults());
    }

    public EventParser(EventTimeBounds bounds) {
        this(bounds, TextPolicy.KEEP_ALL);
    }

    /** @param text which responses keep their prompt and response text; the others lose it here */
    public EventParser(EventTimeBounds bounds, TextPolicy text) {
        this.bounds = bounds;
        this.textPolicy = text;
    }

    private ObjectMapper mapper() {
        if (mapper == null) {
            JsonFactory factory = JsonFactory.builder()
                    // {"outcome":"success","outcome":"error"} is ambiguous: reject, never "last wins"
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(32)
                            .maxNumberLength(64)
                            .maxStringLength(MAX_RECORD_BYTES)
                            .build())
                    .build();
            // trailing tokens fail: two records glued on one line must be a dead letter, not
            // the first record parsed and the second silently dropped
            mapper = JsonMapper.builder(factory)
                    .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, false)
                    .configure(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS, false)
                    .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
                    .build();
        }
        return mapper;
    }

    /** Signals a validation failure inside the parser; never leaves this class. */
    private static final class Invalid extends Exception {
        Invalid(String reason) {
            super(reason, null, false, false);
        }
    }

    /** A record given as text (tests, tools); the job reads bytes, see {@link #parse(EventKind, byte[], Long)}. */
    public Envelope parse(EventKind kind, String line) {
        return parse(kind, line == null ? new byte[0] : line.getBytes(StandardCharsets.UTF_8), null);
    }

    /**
     * One raw record.
     *
     * @param wallClockMs the reading task's clock for unbounded sources (Kafka), {@code null} for
     *     bounded replays, where event time alone decides (see {@link EventTimeBounds})
     */
    public Envelope parse(EventKind kind, byte[] raw, Long wallClockMs) {
        byte[] bytes = raw == null ? new byte[0] : raw;
        String text = null;
        try {
            int start = hasBom(bytes) ? 3 : 0;
            int length = bytes.length - start;
            if (length > MAX_RECORD_BYTES) {
                return dead(kind, null, "record too large: " + length + " bytes, at most "
                        + MAX_RECORD_BYTES, lenient(bytes, start, MAX_RECORD_BYTES), bytes);
            }
            DecodeResult decoded = decode(bytes, start, length);
            if (decoded.badByte >= 0) {
                return dead(kind, null, "not valid UTF-8: malformed byte sequence at byte " + decoded.badByte,
                        lenient(bytes, start, length), bytes);
            }
            text = decoded.text;
            return parseText(kind, text, bytes, wallClockMs);
        } catch (RuntimeException | StackOverflowError e) {
            // the boundary never throws: whatever slipped through is this record's problem only
            return dead(kind, null, "internal: " + e.getClass().getName(),
                    text != null ? text : lenient(bytes, 0, bytes.length), bytes);
        }
    }

    private Envelope parseText(EventKind kind, String text, byte[] raw, Long wallClockMs) {
        if (text.isBlank()) {
            return dead(kind, null, "empty record (a Kafka tombstone or a blank value)", text, raw);
        }
        JsonNode node;
        try {
            node = mapper().readTree(text);
        } catch (JsonProcessingException e) {
            return dead(kind, null, "not valid JSON: " + firstLine(e.getOriginalMessage()) + where(e.getLocation()),
                    text, raw);
        }
        if (node == null || !node.isObject()) {
            return dead(kind, null, "not a JSON object", text, raw);
        }
        Long ts = null;
        try {
            ts = timestamp(node, wallClockMs);
            return switch (kind) {
                case RESPONSE -> Envelope.of(keptText(response(node, ts)));
                case FEEDBACK -> Envelope.of(feedback(node, ts));
                case RATING -> Envelope.of(rating(node, ts));
                case SCORE -> Envelope.of(score(node, ts));
            };
        } catch (Invalid e) {
            return dead(kind, ts, e.getMessage(), text, raw);
        }
    }

    private ResponseEvent keptText(ResponseEvent r) {
        return (r.prompt() == null && r.response() == null) || textPolicy.keeps(r) ? r : r.withoutText();
    }

    private static Envelope dead(EventKind kind, Long ts, String reason, String payload, byte[] raw) {
        return Envelope.dead(kind, DeadLetter.of(kind.source(), ts, reason, payload, raw));
    }

    private static boolean hasBom(byte[] b) {
        return b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF;
    }

    private record DecodeResult(String text, int badByte) {}

    /** Strict UTF-8 (overlong forms, surrogates and truncated sequences are errors), see {@link StrictUtf8}. */
    private static DecodeResult decode(byte[] b, int start, int length) {
        String text = StrictUtf8.decode(b, start, length);
        return text != null ? new DecodeResult(text, -1) : new DecodeResult(null, StrictUtf8.malformedAt(b, start, length));
    }

    private static String lenient(byte[] b, int start, int length) {
        return new String(b, start, Math.min(length, b.length - start), StandardCharsets.UTF_8);
    }

    private static ResponseEvent response(JsonNode n, long ts) throws Invalid {
        String outcomeText = requiredName(n, "outcome");
        Outcome outcome = Outcome.parse(outcomeText);
        if (outcome == null) {
            throw new Invalid("field 'outcome': expected one of success|error|timeout|rate_limited, got '"
                    + clip(outcomeText) + "'");
        }
        Integer turns = optionalInteger(n, "turns", 0, MAX_TURNS);
        return new ResponseEvent(
                requestId(n), ts, requiredName(n, "surface"), requiredName(n, "model"),
                optionalName(n, "provider"), cohort(n), optionalBool(n, "streaming", false),
                outcome, optionalBool(n, "refused", false), millis(n.get("ttft_ms"), "ttft_ms"),
                millis(n.get("total_ms"), "total_ms"), turns, turnMs(n),
                tokens(n, "input_tokens"), tokens(n, "output_tokens"),
                number(n.get("cost_usd"), "cost_usd", MAX_COST_USD, "USD"), failover(n), attempts(n),
                optionalString(n, "prompt"), optionalString(n, "response"));
    }

    private static FeedbackEvent feedback(JsonNode n, long ts) throws Invalid {
        String requestId = requestId(n);
        String text = requiredName(n, "signal");
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
        Integer score = optionalInteger(n, "score", 1, 5);
        Integer version = optionalInteger(n, "rubric_version", 0, MAX_RUBRIC_VERSION);
        boolean useful = optionalBool(n, "useful", score >= 4);
        return new RatingEvent(requestId, ts, optionalName(n, "rater_id"),
                optionalName(n, "rubric"), version, score, useful);
    }

    /**
     * A judge worker's score event (DESIGN §5): exactly one of {@code score} (1..5, with its
     * {@code rubric} and {@code pass_threshold}) and {@code error} (a lower-case code).
     */
    private static JudgeScoreEvent score(JsonNode n, long ts) throws Invalid {
        String requestId = requestId(n);
        JsonNode s = n.get("score");
        JsonNode err = n.get("error");
        boolean hasScore = s != null && !s.isNull();
        boolean hasError = err != null && !err.isNull();
        if (hasScore == hasError) {
            throw new Invalid("expected exactly one of fields 'score' and 'error', got "
                    + (hasScore ? "both" : "neither"));
        }
        Integer score = optionalInteger(n, "score", 1, 5);
        String error = optionalName(n, "error");
        if (error != null && !error.matches("[a-z][a-z0-9_]{0,63}")) {
            throw new Invalid("field 'error': expected a judge error code like shed_backlog, got '" + clip(error) + "'");
        }
        String rubric = hasScore ? requiredName(n, "rubric") : optionalName(n, "rubric");
        Integer version = optionalInteger(n, "rubric_version", 0, MAX_RUBRIC_VERSION);
        Integer pass = optionalInteger(n, "pass_threshold", 1, 5);
        if (hasScore && pass == null) {
            throw new Invalid("missing required field 'pass_threshold'");
        }
        String reason = optionalString(n, "reason");
        if (reason != null && reason.length() > MAX_REASON) {
            throw new Invalid("field 'reason': expected at most " + MAX_REASON + " characters, got " + reason.length());
        }
        Long latency = optionalLong(n, "latency_ms", 0, MAX_LATENCY_MS);
        Long in = tokens(n, "input_tokens");
        Long out = tokens(n, "output_tokens");
        return new JudgeScoreEvent(requestId, ts, rubric, version == null ? 0 : version, pass == null ? 0 : pass,
                requiredName(n, "judge_model"), score, error, reason, latency == null ? 0 : latency,
                in == null ? 0 : in, out == null ? 0 : out);
    }

    private static String requestId(JsonNode n) throws Invalid {
        String id = requiredName(n, "request_id");
        if (id.length() > MAX_REQUEST_ID) {
            throw new Invalid("field 'request_id': expected at most " + MAX_REQUEST_ID
                    + " characters, got " + id.length());
        }
        return id;
    }

    /** ISO-8601 with a zone, or epoch milliseconds; then the plausibility bounds. */
    long timestamp(JsonNode n, Long wallClockMs) throws Invalid {
        JsonNode t = n.get("ts");
        if (t == null || t.isNull()) {
            throw new Invalid("missing required field 'ts'");
        }
        Instant instant;
        if (t.isIntegralNumber()) {
            instant = Instant.ofEpochMilli(epochMillis(t.bigIntegerValue(), t.toString()));
        } else if (t.isTextual()) {
            String text = t.asText().trim();
            if (isEpochDigits(text)) {
                instant = Instant.ofEpochMilli(epochMillis(new BigInteger(text), text));
            } else {
                instant = iso(text);
            }
        } else {
            throw new Invalid("field 'ts': expected ISO-8601 text or epoch milliseconds (an integer), got "
                    + clip(t.toString()));
        }
        String implausible = bounds.check(instant, wallClockMs);
        if (implausible != null) {
            throw new Invalid(implausible);
        }
        return instant.toEpochMilli();
    }

    private static long epochMillis(BigInteger v, String shown) throws Invalid {
        if (v.compareTo(LONG_MIN) < 0 || v.compareTo(LONG_MAX) > 0) {
            throw new Invalid((v.signum() < 0 ? "too_old" : "future") + ": field 'ts' " + clip(shown)
                    + " is beyond the range of epoch milliseconds");
        }
        return v.longValue();
    }

    /** What {@code text.matches("-?\\d{1,30}")} said, without compiling a pattern per record. */
    static boolean isEpochDigits(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        int digits = text.length() - start;
        if (digits < 1 || digits > 30) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static Instant iso(String text) throws Invalid {
        try {
            // Instant, not epoch millis: +999999999-12-31 is a valid ISO date far beyond a long
            return IsoInstant.parse(text);
        } catch (DateTimeException e) {
            throw new Invalid("field 'ts': expected ISO-8601 with zone (2026-11-27T10:00:00.123Z)"
                    + " or epoch milliseconds, got '" + clip(text) + "'");
        }
    }

    private static String requiredName(JsonNode n, String field) throws Invalid {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new Invalid("missing required field '" + field + "'");
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new Invalid("field '" + field + "': expected a non-empty string, got " + clip(v.toString()));
        }
        return name(v.asText(), field, MAX_NAME);
    }

    private static String optionalName(JsonNode n, String field) throws Invalid {
        String s = optionalString(n, field);
        return s == null ? null : name(s, field, MAX_NAME);
    }

    /**
     * Names become cohort keys, table cells and dashboard labels: no control characters (NUL
     * breaks PostgreSQL text), no unpaired surrogates (not encodable, would collide as '?'), no
     * bidirectional overrides (they make one label look like another).
     */
    static String name(String s, String field, int max) throws Invalid {
        if (s.length() > max) {
            throw new Invalid("field '" + field + "': expected at most " + max + " characters, got " + s.length());
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')) {
                throw new Invalid("field '" + field + "': control character U+" + String.format("%04X", (int) c)
                        + " at position " + i);
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new Invalid("field '" + field + "': unpaired surrogate U+" + String.format("%04X", (int) c)
                        + " at position " + i);
            }
        }
        return s;
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

    private static Double millis(JsonNode v, String field) throws Invalid {
        return number(v, field, MAX_MS, "ms");
    }

    /** A finite number in [0, max]; 1e308 is finite and still a dead letter. */
    private static Double number(JsonNode v, String field, double max, String unit) throws Invalid {
        if (v == null || v.isNull()) {
            return null;
        }
        double d = v.isNumber() ? v.asDouble() : Double.NaN;
        if (!v.isNumber() || !Double.isFinite(d) || d < 0 || d > max) {
            throw new Invalid("field '" + field + "': expected a number from 0 to " + plain(max) + " " + unit
                    + ", got " + clip(v.toString()));
        }
        return d;
    }

    private static Long tokens(JsonNode n, String field) throws Invalid {
        return optionalLong(n, field, 0, MAX_TOKENS);
    }

    private static Integer optionalInteger(JsonNode n, String field, long min, long max) throws Invalid {
        Long v = optionalLong(n, field, min, max);
        return v == null ? null : v.intValue();
    }

    /** An integer in [min, max], compared exactly: 18446744073709551620 is not 4. */
    private static Long optionalLong(JsonNode n, String field, long min, long max) throws Invalid {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !inRange(v, min, max)) {
            throw new Invalid("field '" + field + "': expected an integer from " + min + " to " + max
                    + ", got " + clip(v.toString()));
        }
        return v.longValue();
    }

    /** An int or long node compares as a long; a BigInteger one (beyond a long) exactly. */
    private static boolean inRange(JsonNode v, long min, long max) {
        if (v.isInt() || v.isLong()) {
            long x = v.longValue();
            return x >= min && x <= max;
        }
        BigInteger x = v.bigIntegerValue();
        return x.compareTo(BigInteger.valueOf(min)) >= 0 && x.compareTo(BigInteger.valueOf(max)) <= 0;
    }

    private static List<Double> turnMs(JsonNode n) throws Invalid {
        JsonNode v = array(n.get("turn_ms"), "turn_ms", "numbers");
        if (v == null) {
            return null;
        }
        List<Double> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            Double ms = millis(v.get(i), "turn_ms[" + i + "]");
            if (ms == null) {
                throw new Invalid("field 'turn_ms[" + i + "]': expected a number, got null");
            }
            out.add(ms);
        }
        return out;
    }

    private static JsonNode array(JsonNode v, String field, String of) throws Invalid {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw new Invalid("field '" + field + "': expected an array of " + of + ", got " + clip(v.toString()));
        }
        if (v.size() > MAX_ARRAY) {
            throw new Invalid("field '" + field + "': expected at most " + MAX_ARRAY + " elements, got " + v.size());
        }
        return v;
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
        if (v.size() > MAX_COHORT_ENTRIES) {
            throw new Invalid("field 'cohort': expected at most " + MAX_COHORT_ENTRIES + " entries, got " + v.size());
        }
        Iterator<Map.Entry<String, JsonNode>> it = v.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = name(e.getKey(), "cohort", MAX_COHORT_KEY);
            if (key.isEmpty()) {
                throw new Invalid("field 'cohort': expected non-empty keys");
            }
            if (!e.getValue().isTextual()) {
                throw new Invalid("field 'cohort." + clip(key) + "': expected a string, got "
                        + clip(e.getValue().toString()));
            }
            out.put(key, name(e.getValue().asText(), "cohort." + key, MAX_NAME));
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
        JsonNode p = array(v.get("providers"), "failover.providers", "strings");
        if (p != null) {
            for (int i = 0; i < p.size(); i++) {
                JsonNode e = p.get(i);
                if (!e.isTextual()) {
                    throw new Invalid("field 'failover.providers[" + i + "]': expected a string, got "
                            + clip(e.toString()));
                }
                providers.add(name(e.asText(), "failover.providers[" + i + "]", MAX_NAME));
            }
        }
        return new Failover(optionalBool(v, "used", false), millis(v.get("ms"), "failover.ms"), providers);
    }

    private static List<Attempt> attempts(JsonNode n) throws Invalid {
        JsonNode v = array(n.get("attempts"), "attempts", "{provider, outcome, ms}");
        if (v == null) {
            return null;
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
            out.add(new Attempt(optionalName(a, "provider"), outcome.toLowerCase(),
                    millis(a.get("ms"), "attempts[" + i + "].ms")));
        }
        return out;
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static String clip(String s) {
        return s.length() > MAX_SHOWN ? s.substring(0, MAX_SHOWN) + "…" : s;
    }

    private static String where(JsonLocation loc) {
        return loc == null || loc.getColumnNr() < 0 ? "" : " (column " + loc.getColumnNr() + ")";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return clip(nl < 0 ? s : s.substring(0, nl));
    }
}
