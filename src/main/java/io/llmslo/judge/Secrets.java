package io.llmslo.judge;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text that may end up in logs, exceptions or tables: the configured key
 * itself wherever it appears, and anything shaped like a bearer token or provider key (a server
 * may echo "Incorrect API key provided: sk-...").
 */
public final class Secrets {

    private static final Pattern KEY_LIKE = Pattern.compile(
            "(?i)(bearer\\s+|x-api-key[\"']?\\s*[:=]\\s*[\"']?|api[_-]?key[\"']?\\s*[:=]\\s*[\"']?)[A-Za-z0-9._~+/=-]{6,}"
                    + "|\\b(sk|pk|rk)-[A-Za-z0-9_-]{8,}");

    /**
     * Token shapes a model may echo back from the text it judged (prompts carry pasted keys):
     * AWS access keys, GitHub and Slack tokens, Google API keys, JWTs, PEM private keys and
     * {@code password=...} pairs.
     */
    private static final Pattern TOKEN_LIKE = Pattern.compile(
            "\\b(AKIA|ASIA)[0-9A-Z]{16}\\b"
                    + "|\\bgh[pousr]_[A-Za-z0-9]{20,}|\\bgithub_pat_[A-Za-z0-9_]{20,}"
                    + "|\\bxox[abprs]-[A-Za-z0-9-]{10,}"
                    + "|\\bAIza[0-9A-Za-z_-]{30,}"
                    + "|\\beyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"
                    + "|-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)"
                    + "|(?i)\\b(password|passwd|secret|token)([\"']?\\s*[:=]\\s*)[^\\s,;\"']{4,}");

    /** A judge's reason is stored in judge_scores: at most this many characters. */
    public static final int MAX_REASON = 1000;

    private Secrets() {}

    /**
     * A judge's free-text reason, as stored: secret-looking strings replaced by {@code ***}, and
     * capped at {@link #MAX_REASON} characters (a model asked to explain may write pages).
     */
    public static String scrubReason(String reason, String secret) {
        if (reason == null) {
            return null;
        }
        String out = TOKEN_LIKE.matcher(scrub(reason, secret)).replaceAll(m ->
                Matcher.quoteReplacement(m.group(3) != null ? m.group(3) + m.group(4) + "***" : "***"));
        return out.length() > MAX_REASON ? out.substring(0, MAX_REASON) + "…" : out;
    }

    public static String scrub(String text, String secret) {
        if (text == null) {
            return null;
        }
        String out = text;
        if (secret != null && secret.length() >= 4) {
            out = out.replace(secret, "***");
        }
        return KEY_LIKE.matcher(out)
                .replaceAll(m -> Matcher.quoteReplacement(m.group(1) != null ? m.group(1) + "***" : "***"));
    }
}
