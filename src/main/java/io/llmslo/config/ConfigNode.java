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
 * read can fail with "file: key 'a.b.c' expected X, got Y".
 */
public final class ConfigNode {

    private static final Pattern DURATION =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h|d|w)");

    private final String file;
    private final String path;
    private final JsonNode node;

    public ConfigNode(String file, String path, JsonNode node) {
        this.file = file;
        this.path = path;
        this.node = node == null ? MissingNode.getInstance() : node;
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
        return new ConfigNode(file, path.isEmpty() ? key : path + "." + key, child);
    }

    public ConfigException error(String expected) {
        return ConfigException.at(file, path, expected, present() ? node.toString() : null);
    }

    public ConfigException error(String key, String expected) {
        return get(key).error(expected);
    }

    public String asText() {
        if (!present() || !node.isValueNode()) {
            throw error("a string");
        }
        return node.asText();
    }

    public String string(String key, String def) {
        ConfigNode c = get(key);
        return c.present() ? c.asText() : def;
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
        ConfigNode c = get(key);
        return c.present() ? c.asDuration() : def;
    }

    /** Durations are written "500ms", "30s", "10m", "6h", "8d", "1w" or ISO-8601 "PT10M". */
    public Duration asDuration() {
        String text = present() && node.isValueNode() ? node.asText().trim() : "";
        Duration d = parseDuration(text);
        if (d == null || d.isNegative()) {
            throw error("a duration like 30s, 10m, 6h or 8d");
        }
        return d;
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
        return new ConfigNode(file, path + "[" + index + "]", node.get(index));
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
        List<String> allowed = List.of(keys);
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new ConfigException(
                        file + ": key '" + (path.isEmpty() ? name : path + "." + name)
                                + "' is not known here; expected one of " + allowed);
            }
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }
}
