package io.llmslo.judge;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Iterator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict validation of the judge's answer: exactly one JSON object with exactly the fields
 * {@code score} (an integer literal within the rubric's scale: not 4.5, not "4") and {@code reason}
 * (non-blank text), no other field, no duplicated field, nothing before or after it. The only
 * leniency is a single surrounding Markdown code fence ({@code ```json ... ```}), which models add
 * out of habit and which carries no content. Anything else is malformed: the judge retries once,
 * then records a judge error.
 */
public final class JudgeAnswerParser {

    static final int MAX_REASON_CHARS = 1_000;

    private static final Pattern CODE_FENCE = Pattern.compile("^```(?:json|JSON)?\\s*\\n?(.*?)\\n?\\s*```$", Pattern.DOTALL);

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** A well-formed answer. */
    public record Answer(int score, String reason) {}

    /** Why an answer was rejected; the message is safe to show (it quotes at most a prefix of the answer). */
    public static final class MalformedAnswerException extends Exception {
        public MalformedAnswerException(String message) {
            super(message);
        }
    }

    private JudgeAnswerParser() {}

    public static Answer parse(String text, Rubric rubric) throws MalformedAnswerException {
        return parse(text, rubric.scaleMin(), rubric.scaleMax());
    }

    public static Answer parse(String text, int min, int max) throws MalformedAnswerException {
        if (text == null || text.isBlank()) {
            throw new MalformedAnswerException("empty answer");
        }
        String body = text.strip();
        Matcher fence = CODE_FENCE.matcher(body);
        if (fence.matches()) {
            body = fence.group(1).strip();
        }
        if (!body.startsWith("{")) {
            throw new MalformedAnswerException("not a JSON object: " + preview(body));
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedAnswerException("not valid JSON (" + e.getOriginalMessage() + "): " + preview(body));
        }
        if (node == null || !node.isObject()) {
            throw new MalformedAnswerException("not a JSON object: " + preview(body));
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!n.equals("score") && !n.equals("reason")) {
                throw new MalformedAnswerException("unexpected field '" + n + "' (only score and reason are allowed)");
            }
        }
        JsonNode score = node.get("score");
        if (score == null) {
            throw new MalformedAnswerException("missing field 'score'");
        }
        if (!score.isIntegralNumber() || !score.canConvertToInt()) {
            throw new MalformedAnswerException("'score' must be an integer " + min + "-" + max + ", got " + preview(score.toString()));
        }
        int s = score.intValue();
        if (s < min || s > max) {
            throw new MalformedAnswerException("'score' must be within " + min + "-" + max + ", got " + s);
        }
        JsonNode reason = node.get("reason");
        if (reason == null || !reason.isTextual() || reason.asText().isBlank()) {
            throw new MalformedAnswerException("'reason' must be non-empty text");
        }
        String r = reason.asText().strip();
        if (r.length() > MAX_REASON_CHARS) {
            r = r.substring(0, MAX_REASON_CHARS) + "…";
        }
        return new Answer(s, r);
    }

    private static String preview(String s) {
        String one = s.replace('\n', ' ');
        return "'" + (one.length() > 80 ? one.substring(0, 80) + "…" : one) + "'";
    }
}
