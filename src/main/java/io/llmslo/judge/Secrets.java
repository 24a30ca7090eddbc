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

    private Secrets() {}

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
