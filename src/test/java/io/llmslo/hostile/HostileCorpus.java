package io.llmslo.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Records an attacker or a buggy producer would send (DESIGN §7b), each with the dead-letter
 * reason it must get. Every record carries a unique marker ({@code hk-NNN}) in its request id or
 * in an unknown field, so its dead letter can be found by payload. Timestamps lie inside the
 * valid traffic's range unless the kind is about the timestamp.
 */
public final class HostileCorpus {

    /**
     * @param file responses, feedback or ratings
     * @param repeats how many times the line is inserted (the dead letter's count)
     * @param reason regex the dead letter's reason must match
     * @param marker text that identifies the dead letter's payload
     */
    public record Kind(String name, String file, byte[] line, int repeats, String reason, String marker) {}

    private final List<Kind> kinds = new ArrayList<>();
    private final String ts;
    private int next = 1;

    /** @param ts a plausible ISO timestamp inside the valid traffic */
    public HostileCorpus(String ts) {
        this.ts = ts;
        build();
    }

    public List<Kind> kinds() {
        return kinds;
    }

    private String marker() {
        return String.format("hk-%03d", next++);
    }

    /** A valid-looking response; {@code field} replaced by {@code json} (or added), or removed when json is null. */
    static String response(String id, String ts, String extra) {
        return "{\"request_id\":\"" + id + "\",\"ts\":" + ts + ",\"surface\":\"chat\",\"model\":\"m-1\","
                + "\"provider\":\"openai\",\"cohort\":{\"region\":\"us-east\",\"locale\":\"en-US\"},"
                + "\"outcome\":\"success\",\"ttft_ms\":200,\"total_ms\":1000,\"input_tokens\":10,"
                + "\"output_tokens\":20,\"cost_usd\":0.001" + extra + "}";
    }

    private void add(String name, String file, String line, String reason, String marker) {
        kinds.add(new Kind(name, file, line.getBytes(StandardCharsets.UTF_8), 1, reason, marker));
    }

    private void addBytes(String name, String file, byte[] line, String reason, String marker) {
        kinds.add(new Kind(name, file, line, 1, reason, marker));
    }

    /** A response whose request id is the marker and whose ts is given as JSON. */
    private void ts(String name, String tsJson, String reason) {
        String m = marker();
        add(name, "responses", response(m, tsJson, ""), reason, m);
    }

    /** A response with the marker as id and one field set to {@code json}. */
    private void field(String name, String fieldAndValue, String reason) {
        String m = marker();
        String line = response(m, q(ts), "");
        String field = fieldAndValue.substring(0, fieldAndValue.indexOf(':'));
        String pattern = "\"" + field + "\":";
        int at = line.indexOf(pattern);
        if (at >= 0) {
            int end = valueEnd(line, at + pattern.length());
            line = line.substring(0, at) + "\"" + fieldAndValue.substring(0, field.length()) + "\":"
                    + fieldAndValue.substring(field.length() + 1) + line.substring(end);
        } else {
            line = line.substring(0, line.length() - 1) + ",\"" + field + "\":"
                    + fieldAndValue.substring(field.length() + 1) + "}";
        }
        add(name, "responses", line, reason, m);
    }

    private static int valueEnd(String s, int from) {
        int depth = 0;
        boolean str = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (str) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    str = false;
                }
            } else if (c == '"') {
                str = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                return i;
            }
        }
        return s.length();
    }

    static String q(String s) {
        return "\"" + s + "\"";
    }

    private static byte[] concat(String a, byte[] mid, String b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(mid);
        out.writeBytes(b.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private void build() {
        // --- event time (the watermark killers of issue 8) ---
        ts("ts year 9999", q("9999-12-31T23:59:59Z"), "^future: field 'ts' 9999-12-31T23:59:59Z");
        String m = marker();
        add("ts year 9999 on a record rejected anyway (bad outcome)", "responses",
                response(m, q("9999-12-31T23:59:59Z"), "").replace("\"outcome\":\"success\"", "\"outcome\":\"nope\""),
                "^future", m);
        ts("ts +999999999 (ArithmeticException before)", q("+999999999-12-31T23:59:59Z"), "^future: field 'ts' \\+999999999");
        ts("ts -999999999", q("-999999999-01-01T00:00:00Z"), "^too_old");
        ts("ts 20-digit integer (wrapped before)", "99999999999999999999", "^future: field 'ts' 99999999999999999999 is beyond");
        ts("ts 20-digit text", q("99999999999999999999"), "^future: field 'ts' 99999999999999999999 is beyond");
        ts("ts Long.MAX_VALUE (hang before)", "9223372036854775807", "^future");
        ts("ts Long.MIN_VALUE", "-9223372036854775808", "^too_old");
        ts("ts 0", "0", "^too_old: field 'ts' 1970-01-01T00:00:00Z");
        ts("ts epoch seconds sent as ms", "1759312800", "^too_old.*epoch seconds sent as milliseconds");
        ts("ts 1970 ISO", q("1970-01-01T00:00:00Z"), "^too_old");
        ts("ts 1999 (before event_time.earliest)", q("1999-12-31T23:59:59Z"), "^too_old");
        ts("ts 2150 (after event_time.latest)", q("2150-01-01T00:00:00Z"), "^future: .*event_time.latest");
        ts("ts 2090, plausible alone, far from its neighbours", q("2090-06-01T00:00:00Z"), "^future: .*event_time.max_jump");
        ts("ts one year ahead", q("2027-10-01T00:00:00Z"), "^future: .*event_time.max_jump");
        ts("ts three days ahead", q("2026-10-05T12:00:00Z"), "^future: .*event_time.max_jump");
        ts("ts fractional epoch ms", "1759312800000.5", "field 'ts'");
        ts("ts boolean", "true", "field 'ts'");
        ts("ts empty text", q(""), "field 'ts'");
        ts("ts month 13", q("2026-13-45T99:00:00Z"), "field 'ts'");
        ts("ts without zone", q("2026-10-01T10:00:00"), "field 'ts'");
        ts("ts object", "{\"s\":1}", "field 'ts'");
        ts("ts null", "null", "missing required field 'ts'");
        m = marker();
        add("ts missing", "responses", response(m, "0", "").replace("\"ts\":0,", ""), "missing required field 'ts'", m);

        // --- numbers outside their documented ranges ---
        field("cost_usd 1.797e308 (sketch crash before)", "cost_usd:1.7976931348623157e308", "field 'cost_usd': expected a number from 0 to 10000");
        field("cost_usd negative", "cost_usd:-1", "field 'cost_usd'");
        field("cost_usd as text", "cost_usd:\"0.1\"", "field 'cost_usd'");
        field("total_ms 1e308", "total_ms:1e308", "field 'total_ms'");
        field("ttft_ms 1e12", "ttft_ms:1e12", "field 'ttft_ms'");
        field("turn_ms element 1e308", "turn_ms:[1,1e308]", "field 'turn_ms\\[1\\]'");
        field("turn_ms element null", "turn_ms:[null]", "field 'turn_ms\\[0\\]'");
        field("turn_ms not an array", "turn_ms:5", "field 'turn_ms'");
        field("failover.ms 1e308", "failover:{\"used\":true,\"ms\":1e308}", "field 'failover.ms'");
        field("failover not an object", "failover:\"x\"", "field 'failover'");
        field("failover.providers element not text", "failover:{\"used\":true,\"providers\":[1]}", "field 'failover.providers\\[0\\]'");
        field("attempts[0].ms negative", "attempts:[{\"provider\":\"a\",\"outcome\":\"success\",\"ms\":-5}]", "field 'attempts\\[0\\].ms'");
        field("attempts[0].outcome unknown", "attempts:[{\"provider\":\"a\",\"outcome\":\"maybe\",\"ms\":5}]", "field 'attempts\\[0\\].outcome'");
        field("attempts 2000 elements", "attempts:[" + "{\"outcome\":\"success\"},".repeat(1999) + "{\"outcome\":\"success\"}]", "field 'attempts': expected at most 1000");
        field("input_tokens 2^64+4 (wrapped to 4 before)", "input_tokens:18446744073709551620", "field 'input_tokens'");
        field("output_tokens fractional", "output_tokens:1.5", "field 'output_tokens'");
        field("turns negative", "turns:-1", "field 'turns'");
        field("turns 1e400", "turns:1e400", "field 'turns'|not valid JSON");
        field("number of 100 digits", "x_big:" + "9".repeat(100), "not valid JSON.*[Nn]umber");

        // --- JSON shape ---
        field("duplicate key outcome (last won before)", "outcome:\"success\",\"outcome\":\"error\"", "not valid JSON: Duplicate (Object property|field) \"?'?outcome");
        field("duplicate key inside cohort", "cohort:{\"region\":\"a\",\"region\":\"b\"}", "not valid JSON: Duplicate");
        m = marker();
        add("not JSON", "responses", "{oops " + m, "not valid JSON", m);
        m = marker();
        add("JSON array", "responses", "[\"" + m + "\"]", "not a JSON object", m);
        m = marker();
        add("JSON string", "responses", "\"" + m + "\"", "not a JSON object", m);
        m = marker();
        add("two records glued on one line", "responses", response(m, q(ts), "") + response(m + "b", q(ts), ""), "not valid JSON", m);
        m = marker();
        add("nesting 200 deep", "responses", response(m, q(ts), ",\"x\":" + "[".repeat(200) + "]".repeat(200)), "not valid JSON.*[Dd]epth", m);
        m = marker();
        add("2 MiB line", "responses", response(m, q(ts), ",\"prompt\":\"" + "a".repeat(2 << 20) + "\""), "^record too large", m);
        m = marker();
        add("raw control character inside a string", "responses", response(m, q(ts), ",\"prompt\":\"a\u0001b\""), "not valid JSON", m);

        // --- text the databases and the cohort keys cannot take ---
        field("NUL in a cohort value (PostgreSQL failed before)", "cohort:{\"region\":\"us\\u0000east\"}", "field 'cohort.region': control character U\\+0000");
        field("NUL in a rejected outcome's text (dead_letters write failed before)", "outcome:\"err\\u0000or\"", "field 'outcome'");
        m = marker();
        add("NUL in request_id", "responses", response(m + "\\u0000x", q(ts), ""), "field 'request_id': control character", m);
        m = marker();
        add("unpaired surrogate in request_id", "responses", response(m + "\\ud800", q(ts), ""), "field 'request_id': unpaired surrogate", m);
        field("bidi override in model", "model:\"m-\\u202e1\"", "field 'model': control character U\\+202E");
        field("model 300 characters", "model:\"" + "m".repeat(300) + "\"", "field 'model': expected at most 256");
        field("surface empty", "surface:\"\"", "field 'surface'");
        field("cohort an array", "cohort:[\"a\"]", "field 'cohort'");
        field("cohort value a number", "cohort:{\"region\":5}", "field 'cohort.region'");
        StringBuilder wide = new StringBuilder("cohort:{");
        for (int i = 0; i < 40; i++) {
            wide.append(i > 0 ? "," : "").append("\"k").append(i).append("\":\"v\"");
        }
        field("cohort with 40 entries", wide.append("}").toString(), "field 'cohort': expected at most 32");
        field("cohort key 100 characters", "cohort:{\"" + "k".repeat(100) + "\":\"v\"}", "field 'cohort'");
        field("streaming as text", "streaming:\"yes\"", "field 'streaming'");
        field("refused as a number", "refused:1", "field 'refused'");
        field("outcome unknown", "outcome:\"SUCCESS \"", "field 'outcome'");
        field("outcome null", "outcome:null", "missing required field 'outcome'");

        // --- invalid UTF-8 (two different bad ids were a false duplicate before) ---
        m = marker();
        addBytes("invalid UTF-8 0xFF in request_id", "responses", utf8Bad(m, new byte[] {(byte) 0xFF}), "^not valid UTF-8", m);
        m = marker();
        addBytes("invalid UTF-8 0xFE in request_id", "responses", utf8Bad(m, new byte[] {(byte) 0xFE}), "^not valid UTF-8", m);
        m = marker();
        addBytes("overlong UTF-8 encoding of '/'", "responses", utf8Bad(m, new byte[] {(byte) 0xC0, (byte) 0xAF}), "^not valid UTF-8", m);
        m = marker();
        addBytes("UTF-8 encoded surrogate (CESU-8)", "responses", utf8Bad(m, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}), "^not valid UTF-8", m);
        m = marker();
        addBytes("truncated multi-byte sequence", "responses", utf8Bad(m, new byte[] {(byte) 0xE2, (byte) 0x82}), "^not valid UTF-8", m);

        // --- request ids ---
        m = marker();
        add("request_id 257 characters", "responses", response(m + "x".repeat(257 - m.length()), q(ts), ""), "field 'request_id': expected at most 256", m);
        m = marker();
        add("request_id empty", "responses", response("", q(ts), ",\"x_marker\":\"" + m + "\""), "field 'request_id'", m);
        m = marker();
        add("request_id a number", "responses", response(m, q(ts), "").replace("\"" + m + "\"", "123") .replace("}", ",\"x_marker\":\"" + m + "\"}"), "field 'request_id'", m);

        // --- repeats: counted, one row each ---
        m = marker();
        kinds.add(new Kind("the same bad line 50 times (one row before, count 1)", "responses",
                ("{\"request_id\":\"" + m + "\",\"oops\"").getBytes(StandardCharsets.UTF_8), 50, "not valid JSON", m));
        String pad = "p".repeat(5000);
        for (String end : List.of("A", "B")) {
            add("two bad records sharing their first 4 KiB (one row before): " + end, "responses",
                    response("hk-shared", q(ts), ",\"prompt\":\"" + pad + end + "\"")
                            .replace("\"outcome\":\"success\"", "\"outcome\":\"bad\""), "field 'outcome'", "hk-shared");
        }

        // --- feedback ---
        m = marker();
        add("feedback signal unknown", "feedback", "{\"request_id\":\"" + m + "\",\"ts\":\"" + ts + "\",\"signal\":\"meh\"}", "field 'signal'", m);
        m = marker();
        add("feedback without request_id", "feedback", "{\"ts\":\"" + ts + "\",\"signal\":\"accept\",\"x_marker\":\"" + m + "\"}", "missing required field 'request_id'", m);
        m = marker();
        // valid, so its ts must fit where it is inserted (else it would be late): @TS@ is the previous line's
        add("feedback for a request never seen", "feedback", "{\"request_id\":\"" + m + "\",\"ts\":@TS@,\"signal\":\"abandon\"}", "^orphan$", m);
        m = marker();
        add("feedback ts year 9999", "feedback", "{\"request_id\":\"" + m + "\",\"ts\":\"9999-01-01T00:00:00Z\",\"signal\":\"accept\"}", "^future", m);
        m = marker();
        addBytes("feedback invalid UTF-8", "feedback", concat("{\"request_id\":\"" + m + "-", new byte[] {(byte) 0xC3}, "\",\"ts\":\"" + ts + "\",\"signal\":\"accept\"}"), "^not valid UTF-8", m);

        // --- ratings ---
        m = marker();
        add("score 2^64+4 (accepted as 4 before)", "ratings", rating(m, "18446744073709551620"), "field 'score'", m);
        m = marker();
        add("score 4.0", "ratings", rating(m, "4.0"), "field 'score'", m);
        m = marker();
        add("score as text", "ratings", rating(m, "\"5\""), "field 'score'", m);
        m = marker();
        add("score 6", "ratings", rating(m, "6"), "field 'score': expected an integer from 1 to 5", m);
        m = marker();
        add("rubric_version 10^11", "ratings", rating(m, "3").replace("\"rubric_version\":1", "\"rubric_version\":99999999999"), "field 'rubric_version'", m);
        m = marker();
        add("rating ts 0", "ratings", rating(m, "3").replace("\"ts\":\"" + ts + "\"", "\"ts\":0"), "^too_old", m);
        m = marker();
        add("rating duplicate key score", "ratings", rating(m, "3").replace("\"score\":3", "\"score\":3,\"score\":1"), "not valid JSON: Duplicate", m);
    }

    private String rating(String id, String score) {
        return "{\"request_id\":\"" + id + "\",\"ts\":\"" + ts + "\",\"rater_id\":\"r-1\",\"rubric\":\"helpfulness\","
                + "\"rubric_version\":1,\"score\":" + score + "}";
    }

    /** A response whose request id holds the given bytes (not valid UTF-8) after the marker. */
    private byte[] utf8Bad(String m, byte[] bad) {
        String line = response(m + "@@", q(ts), "");
        int at = line.indexOf("@@");
        return concat(line.substring(0, at), bad, line.substring(at + 2));
    }
}
