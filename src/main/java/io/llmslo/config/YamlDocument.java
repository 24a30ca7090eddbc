package io.llmslo.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.StringReader;
import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The one way configuration YAML (job files, scenarios, rubrics) is read: syntax errors and
 * duplicate keys are {@link ConfigException}s with line and column, and every key keeps where it
 * was written, so a later validation error can point at it. Values are read through Jackson's
 * tree (typed scalars); positions come from SnakeYAML's node tree of the same text.
 */
public final class YamlDocument {

    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** Longest configuration text read; a job file is a few KB. */
    static final int MAX_CHARS = 1 << 20;

    private YamlDocument() {}

    /** The root of {@code text} as a cursor; an empty document is an empty (missing) root. */
    public static ConfigNode parse(String file, String text) {
        if (text.length() > MAX_CHARS) {
            throw new ConfigException(file + ": expected at most " + MAX_CHARS + " characters of YAML, got "
                    + text.length());
        }
        Map<String, int[]> positions = new HashMap<>();
        Node root = compose(file, text);
        if (root != null) {
            positions.put("", position(root));
            index(root, "", positions);
        }
        JsonNode tree;
        try {
            tree = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            // SnakeYAML accepted it, Jackson did not (rare): still report where
            var loc = e.getLocation();
            String detail = "is not valid YAML: " + firstLine(e.getOriginalMessage());
            throw new ConfigException(file + ": not valid YAML" + (loc == null ? "" : " at line " + loc.getLineNr()
                    + ", column " + loc.getColumnNr()) + ": " + firstLine(e.getOriginalMessage()), null,
                    loc == null ? 0 : loc.getLineNr(), detail);
        }
        return new ConfigNode(file, "", tree == null ? MissingNode.getInstance() : tree, positions);
    }

    private static Node compose(String file, String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20); // no billion-laughs expansion
        options.setNestingDepthLimit(50);
        try {
            return new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = m == null ? "" : " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1);
            String problem = firstLine(e.getProblem()) + (e.getContext() == null ? "" : " (" + firstLine(e.getContext()) + ")");
            throw new ConfigException(file + ": not valid YAML" + where + ": " + problem, null,
                    m == null ? 0 : m.getLine() + 1, "is not valid YAML: " + problem);
        } catch (YAMLException e) {
            throw new ConfigException(file + ": not valid YAML: " + firstLine(e.getMessage()));
        }
    }

    /** Records each key's (or list item's) 1-based line and column under the path ConfigNode uses. */
    private static void index(Node node, String path, Map<String, int[]> out) {
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    String child = path.isEmpty() ? k.getValue() : path + "." + k.getValue();
                    out.putIfAbsent(child, position(k));
                    index(t.getValueNode(), child, out);
                }
            }
        } else if (node instanceof SequenceNode s) {
            for (int i = 0; i < s.getValue().size(); i++) {
                String child = path + "[" + i + "]";
                out.putIfAbsent(child, position(s.getValue().get(i)));
                index(s.getValue().get(i), child, out);
            }
        }
    }

    private static int[] position(Node n) {
        Mark m = n.getStartMark();
        return m == null ? new int[] {0, 0} : new int[] {m.getLine() + 1, m.getColumn() + 1};
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("").trim();
    }
}
