package io.llmslo.config;

/** A configuration error naming the file, the key and what was expected. */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public static ConfigException at(String file, String key, String expected, Object got) {
        return new ConfigException(
                file + ": key '" + key + "' expected " + expected + ", got " + describe(got));
    }

    private static String describe(Object got) {
        if (got == null) {
            return "nothing";
        }
        String s = String.valueOf(got);
        return s.length() > 80 ? "'" + s.substring(0, 80) + "…'" : "'" + s + "'";
    }
}
