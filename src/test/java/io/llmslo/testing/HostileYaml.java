package io.llmslo.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hostile variants of a YAML document for configuration tests: every key, list item and map of
 * the document replaced in turn by each of {@link #VALUES}.
 */
public final class HostileYaml {

    /** YAML snippets: wrong types, extremes, overflow, control characters, injection-looking text. */
    public static final List<String> VALUES = List.of(
            "''", "'   '", "'💥'", "\"\\0\"", "\"a\\nb\\u001b[31m\"", "-1", "0", "1.0e308", "-1.0e308",
            "9223372036854775808", "123456789012345678901234567890", "true", "[1, 2]", "[]",
            "{x: 1}", "{}", "'999999999999w'", "'PT99999999999999999H'", "'-5m'", "'${HOME}'",
            "'../../../../etc/passwd'", "'x'", "'+999999999-12-31T23:59:59Z'", "null");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One variant: {@code path} (keys and "[i]") set to {@code value}, as YAML text. */
    public record Variant(String[] path, String value, String yaml) {
        @Override
        public String toString() {
            return String.join(".", path) + " = " + value;
        }
    }

    private HostileYaml() {}

    public static List<Variant> variants(String yaml) {
        return variants(yaml, path -> true);
    }

    /** Only the paths {@code keep} accepts (e.g. the first of many list items of the same shape). */
    public static List<Variant> variants(String yaml, java.util.function.Predicate<String[]> keep) {
        try {
            JsonNode base = YAML.readTree(yaml);
            List<Variant> out = new ArrayList<>();
            for (String[] path : paths(base, new ArrayList<>())) {
                if (!keep.test(path)) {
                    continue;
                }
                for (String value : VALUES) {
                    JsonNode doc = base.deepCopy();
                    replace(doc, path, YAML.readTree("v: " + value).get("v"));
                    out.add(new Variant(path, value, YAML.writeValueAsString(doc)));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps paths that go through no list item but the first: list items of one shape repeat their checks. */
    public static boolean firstItemsOnly(String[] path) {
        for (String step : path) {
            if (step.startsWith("[") && !step.equals("[0]")) {
                return false;
            }
        }
        return true;
    }

    /** Every path to a value or a map/list inside {@code node}, root excluded. */
    private static List<String[]> paths(JsonNode node, List<String> prefix) {
        List<String[]> out = new ArrayList<>();
        if (node instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                List<String> p = new ArrayList<>(prefix);
                p.add(e.getKey());
                out.add(p.toArray(String[]::new));
                out.addAll(paths(e.getValue(), p));
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                List<String> p = new ArrayList<>(prefix);
                p.add("[" + i + "]");
                out.add(p.toArray(String[]::new));
                out.addAll(paths(a.get(i), p));
            }
        }
        return out;
    }

    private static void replace(JsonNode doc, String[] path, JsonNode value) {
        JsonNode parent = doc;
        for (int i = 0; i < path.length - 1; i++) {
            parent = path[i].startsWith("[") ? parent.get(index(path[i])) : parent.get(path[i]);
        }
        String last = path[path.length - 1];
        if (parent instanceof ArrayNode a) {
            a.set(index(last), value);
        } else {
            ((ObjectNode) parent).set(last, value);
        }
    }

    private static int index(String step) {
        return Integer.parseInt(step.substring(1, step.length() - 1));
    }
}
