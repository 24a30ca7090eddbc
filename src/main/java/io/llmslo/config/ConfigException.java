package io.llmslo.config;

/**
 * A configuration error naming the file, the key and what was expected. Errors raised through
 * {@link ConfigNode} also carry their parts ({@link #key()}, {@link #line()}, {@link #detail()}),
 * so a validator that reports every problem (rubrics) can list them its own way.
 */
public class ConfigException extends RuntimeException {

    private final String key;
    private final int line;
    private final String detail;

    public ConfigException(String message) {
        this(message, null, 0, message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
        this.key = cause instanceof ConfigException c ? c.key : null;
        this.line = cause instanceof ConfigException c ? c.line : 0;
        this.detail = cause instanceof ConfigException c ? c.detail : message;
    }

    /** {@code detail}: the message after file and key, without the location ("expected X, got 'y'"). */
    public ConfigException(String message, String key, int line, String detail) {
        super(message);
        this.key = key;
        this.line = line;
        this.detail = detail;
    }

    /** The key path ("examples[2].score"), or null when the error is about the file as a whole. */
    public String key() {
        return key;
    }

    /** 1-based line of the key (or of its enclosing map), 0 when unknown. */
    public int line() {
        return line;
    }

    public String detail() {
        return detail;
    }

    public static ConfigException at(String file, String key, String expected, Object got) {
        return at(file, key, expected, got, "");
    }

    /** {@code where} follows "got ...": " (line l, column c)", "" (see {@link ConfigNode#where()}), or more words. */
    public static ConfigException at(String file, String key, String expected, Object got, String where) {
        return new ConfigException(
                file + ": key '" + key + "' expected " + expected + ", got " + describe(got) + where);
    }

    static String describe(Object got) {
        if (got == null) {
            return "nothing";
        }
        String s = String.valueOf(got);
        s = s.length() > 200 ? s.substring(0, 200) + "…" : s;
        // control characters (newlines, ANSI escapes, NUL) are shown, not sent to the terminal
        StringBuilder out = new StringBuilder("'");
        s.codePoints().forEach(c -> out.append(Character.isISOControl(c) ? String.format("\\u%04x", c)
                : new String(Character.toChars(c))));
        return out.append("'").toString();
    }
}
