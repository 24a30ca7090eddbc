package io.llmslo.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cursor over a parsed YAML/JSON document that knows its file and key path, so every typed
 * read can fail with "file: key 'a.b.c' expected X, got Y (line 4, column 3)". Documents come
 * from {@link YamlDocument#parse}, which also records where each key was written. Job files,
 * scenarios and rubrics are all read through this class.
 */
public final class ConfigNode {

    private static final Pattern DURATION =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h|d|w)");

    /** Longest duration any key accepts unless it says otherwise: nothing here spans more. */
    public static final Duration MAX_DURATION = Duration.ofDays(400);

    private final String file;
    private final String path;
    private final JsonNode node;
    /** path -> {line, column} of where the key (or list item) is written; shared by the whole document. */
    private final Map<String, int[]> positions;

    public ConfigNode(String file, String path, JsonNode node) {
        this(file, path, node, Map.of());
    }

    ConfigNode(String file, String path, JsonNode node, Map<String, int[]> positions) {
        this.file = file;
        this.path = path;
        this.node = node == null ? MissingNode.getInstance() : node;
        this.positions = positions;
    }

    public String file() {
        return file;
    }

    public String path() {
        return path;
    }

    public boolean present() {
        return !node.isMissingNode() && !node.isNull();
    }

    public boolean has(String key) {
        return get(key).present();
    }

    public ConfigNode get(String key) {
        JsonNode child = node.isObject() ? node.get(key) : null;
        return new ConfigNode(file, path.isEmpty() ? key : path + "." + key, child, positions);
    }

    /** The raw value, for readers that need more than the typed accessors (e.g. text vs number). */
    public JsonNode raw() {
        return node;
    }

    public ConfigException error(String expected) {
        return fail("expected " + expected + ", got " + got());
    }

    /** An error about this key in free words: {@code file: key 'a.b' <message> (line l, column c)}. */
    public ConfigException fail(String message) {
        return new ConfigException(file + ": key '" + path + "' " + message + where(), path, line(), message);
    }

    /** 1-based line of this key, or of the closest enclosing key written in the file; 0 if unknown. */
    public int line() {
        int[] at = position();
        return at == null ? 0 : at[0];
    }

    /**
     * " (line l, column c)" of this key, or of the closest enclosing key written in the file (a
     * missing key is reported where its map is); "" when the document has no positions.
     */
    public String where() {
        int[] at = position();
        return at == null ? "" : " (line " + at[0] + ", column " + at[1] + ")";
    }

    private int[] position() {
        for (String p = path; ; p = parent(p)) {
            int[] at = positions.get(p);
            if (at != null && at[0] > 0) {
                return at;
            }
            if (p.isEmpty()) {
                return null;
            }
        }
    }

    private static String parent(String p) {
        int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
        return cut < 0 ? "" : p.substring(0, cut);
    }

    /** "got" part of an error: text quoted (capped, control characters escaped), numbers and booleans as written, containers by kind. */
    private String got() {
        if (!present()) {
            return "nothing";
        }
        if (node.isContainerNode() || node.isNumber() || node.isBoolean()) {
            return describe(node);
        }
        return ConfigException.describe(node.asText());
    }

    /** How a value is shown: text as written, containers by kind. */
    static String describe(JsonNode v) {
        if (v.isObject()) {
            return "a map";
        }
        if (v.isArray()) {
            return v.isEmpty() ? "an empty list" : "a list";
        }
        return v.asText();
    }

    public ConfigException error(String key, String expected) {
        return get(key).error(expected);
    }

    /** Longest text any key takes (a path, a URL, a JAAS line). */
    public static final int MAX_TEXT = 4096;

    /** A scalar as text: numbers and booleans are read as written; no control characters but tab and newline. */
    public String asText() {
        if (!present() || !node.isValueNode()) {
            throw error("a string");
        }
        String text = node.asText();
        if (text.length() > MAX_TEXT) {
            throw error("at most " + MAX_TEXT + " characters");
        }
        if (text.chars().anyMatch(ch -> Character.isISOControl(ch) && ch != '\t' && ch != '\n' && ch != '\r')) {
            throw error("text without control characters");
        }
        return text;
    }

    /** An optional non-blank string (an empty value is a mistake, not "use the default"). */
    public String string(String key, String def) {
        ConfigNode c = get(key);
        if (!c.present()) {
            return def;
        }
        if (c.asText().isBlank()) {
            throw c.error("a non-empty string");
        }
        return c.asText();
    }

    /** An optional string matching {@code pattern}; {@code expected} says what that means in words. */
    public String string(String key, String def, String pattern, String expected) {
        String v = string(key, def);
        if (v != null && v != def && !v.matches(pattern)) {
            throw get(key).error(expected);
        }
        return v;
    }

    public String requiredString(String key) {
        ConfigNode c = get(key);
        if (!c.present() || c.asText().isBlank()) {
            throw c.error("a non-empty string");
        }
        return c.asText();
    }

    public boolean bool(String key, boolean def) {
        ConfigNode c = get(key);
        if (!c.present()) {
            return def;
        }
        if (!c.node.isBoolean()) {
            throw c.error("true or false");
        }
        return c.node.booleanValue();
    }

    public double number(String key, double def, double min, double max) {
        ConfigNode c = get(key);
        if (!c.present()) {
            return def;
        }
        return c.asNumber(min, max);
    }

    public double asNumber(double min, double max) {
        if (!node.isNumber() || node.asDouble() < min || node.asDouble() > max) {
            throw error("a number in [" + fmt(min) + ", " + fmt(max) + "]");
        }
        return node.asDouble();
    }

    public int integer(String key, int def, int min, int max) {
        ConfigNode c = get(key);
        if (!c.present()) {
            return def;
        }
        if (!c.node.isIntegralNumber() || c.node.asLong() < min || c.node.asLong() > max) {
            throw c.error("an integer in [" + min + ", " + max + "]");
        }
        return c.node.asInt();
    }

    public Duration duration(String key, Duration def) {
        return duration(key, def, Duration.ZERO, MAX_DURATION);
    }

    /** A duration within [min, max]: out of range is an error naming both bounds. */
    public Duration duration(String key, Duration def, Duration min, Duration max) {
        ConfigNode c = get(key);
        return c.present() ? c.asDuration(min, max) : def;
    }

    /** Durations are written "500ms", "30s", "10m", "6h", "8d", "1w" or ISO-8601 "PT10M". */
    public Duration asDuration() {
        return asDuration(Duration.ZERO, MAX_DURATION);
    }

    public Duration asDuration(Duration min, Duration max) {
        String text = present() && node.isValueNode() ? node.asText().trim() : "";
        Duration d = parseDuration(text);
        if (d == null || d.isNegative()) {
            throw error("a duration like 30s, 10m, 6h or 8d");
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw error("a duration between " + formatDuration(min) + " and " + formatDuration(max));
        }
        return d;
    }

    /** The shortest exact spelling in the units durations are written in: 90s -> "90s", 7d -> "1w". */
    public static String formatDuration(Duration d) {
        long ms = d.toMillis();
        long[] units = {7 * 86_400_000L, 86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] names = {"w", "d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (ms != 0 && ms % units[i] == 0) {
                return ms / units[i] + names[i];
            }
        }
        return ms == 0 ? "0s" : ms + "ms";
    }

    static Duration parseDuration(String text) {
        if (text.startsWith("P") || text.startsWith("p")) {
            try {
                return Duration.parse(text.toUpperCase());
            } catch (RuntimeException e) {
                return null;
            }
        }
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            return null;
        }
        double v = Double.parseDouble(m.group(1));
        if (v > 1e12) {
            return null; // beyond any bound, and past what a long of milliseconds holds
        }
        long unitMs =
                switch (m.group(2)) {
                    case "ms" -> 1L;
                    case "s" -> 1_000L;
                    case "m", "min" -> 60_000L;
                    case "h" -> 3_600_000L;
                    case "d" -> 86_400_000L;
                    default -> 7 * 86_400_000L;
                };
        return Duration.ofMillis(Math.round(v * unitMs));
    }

    public List<String> strings(String key) {
        ConfigNode c = get(key);
        List<String> out = new ArrayList<>();
        if (!c.present()) {
            return out;
        }
        if (!c.node.isArray()) {
            throw c.error("a list of strings");
        }
        for (int i = 0; i < c.node.size(); i++) {
            out.add(c.at(i).asText());
        }
        return out;
    }

    public ConfigNode at(int index) {
        return new ConfigNode(file, path + "[" + index + "]", node.get(index), positions);
    }

    public List<ConfigNode> list(String key) {
        ConfigNode c = get(key);
        List<ConfigNode> out = new ArrayList<>();
        if (!c.present()) {
            return out;
        }
        if (!c.node.isArray()) {
            throw c.error("a list");
        }
        for (int i = 0; i < c.node.size(); i++) {
            out.add(c.at(i));
        }
        return out;
    }

    /** Child objects of a map-valued key, in document order. */
    public Map<String, ConfigNode> entries(String key) {
        ConfigNode c = get(key);
        Map<String, ConfigNode> out = new LinkedHashMap<>();
        if (!c.present()) {
            return out;
        }
        if (!c.node.isObject()) {
            throw c.error("a map");
        }
        Iterator<String> names = c.node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            out.put(name, c.get(name));
        }
        return out;
    }

    /** Fails on keys this reader does not know, so a typo is an error and not a silent default. */
    public void allowOnly(String... keys) {
        if (!present()) {
            return;
        }
        if (!node.isObject()) {
            throw error("a map");
        }
        List<ConfigException> unknown = unknownKeys(keys);
        if (!unknown.isEmpty()) {
            throw unknown.get(0);
        }
    }

    /** One error per key of this map that is not in {@code keys}, in document order. */
    public List<ConfigException> unknownKeys(String... keys) {
        List<ConfigException> out = new ArrayList<>();
        List<String> allowed = List.of(keys);
        Iterator<String> names = node.isObject() ? node.fieldNames() : java.util.Collections.emptyIterator();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                out.add(get(name).fail("is not known here; expected one of " + allowed));
            }
        }
        return out;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }
}
