package io.llmslo.config;

/** A configuration error naming the file, the key and what was expected. */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    public static ConfigException at(String file, String key, String expected, Object got) {
        return at(file, key, expected, got, "");
    }

    /** {@code where} is " (line l, column c)" or "" (see {@link ConfigNode#where()}). */
    public static ConfigException at(String file, String key, String expected, Object got, String where) {
        return new ConfigException(
                file + ": key '" + key + "' expected " + expected + ", got " + describe(got) + where);
    }

    private static String describe(Object got) {
        if (got == null) {
            return "nothing";
        }
        String s = String.valueOf(got);
        s = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        // control characters (newlines, ANSI escapes, NUL) are shown, not sent to the terminal
        StringBuilder out = new StringBuilder("'");
        s.codePoints().forEach(c -> out.append(Character.isISOControl(c) ? String.format("\\u%04x", c)
                : new String(Character.toChars(c))));
        return out.append("'").toString();
    }
}
