package io.llmslo.judge;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
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
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Checks a rubric file completely and reports <em>every</em> problem with its file, line and
 * field, so a rubric owner fixes a file in one pass instead of one error per run.
 *
 * <p>Works on SnakeYAML's node tree ({@link Yaml#compose}), which keeps the start mark of every
 * key and value: that is where the line numbers come from. Rules (DESIGN §6):
 *
 * <ul>
 *   <li>known top-level keys only, no duplicated keys;
 *   <li>{@code id}: lower-case identifier; {@code version}: integer >= 1;
 *   <li>{@code scale: {min, max}}: integers, 0 <= min < max <= 10;
 *   <li>{@code pass_threshold}: integer within the scale; {@code min_agreement}: number in (0, 1];
 *   <li>{@code instructions}: non-blank text; {@code criteria}: non-empty list of {id, description}
 *       with unique ids;
 *   <li>{@code examples}: at least {@value #MIN_ANCHORS} anchors of {prompt, response, score,
 *       note?}, scores within the scale, with at least one below and one at or above the pass
 *       threshold (otherwise agreement on "useful" cannot be measured).
 * </ul>
 */
public final class RubricValidator {

    public static final int MIN_ANCHORS = 5;

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_-]{0,63}");
    private static final List<String> TOP_KEYS = List.of("id", "version", "description", "scale",
            "pass_threshold", "min_agreement", "instructions", "criteria", "examples");

    /** The outcome: the rubric when there is no problem, else {@code null} and the problems. */
    public record Result(Rubric rubric, List<RubricProblem> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    private final String file;
    private final List<RubricProblem> problems = new ArrayList<>();

    private RubricValidator(String file) {
        this.file = file;
    }

    public static Result validate(Path path) {
        String file = path.toString();
        try {
            return validate(file, Files.readString(path));
        } catch (IOException e) {
            return new Result(null, List.of(new RubricProblem(file, 0, "", "cannot read: " + e.getMessage())));
        }
    }

    public static Result validate(String file, String yamlText) {
        RubricValidator v = new RubricValidator(file);
        Rubric rubric = v.check(yamlText);
        return v.problems.isEmpty() ? new Result(rubric, List.of()) : new Result(null, List.copyOf(v.problems));
    }

    private Rubric check(String yamlText) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(options).compose(new StringReader(yamlText));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            problem(m == null ? 1 : m.getLine() + 1, "", "is not valid YAML: " + firstLine(e.getProblem()));
            return null;
        } catch (YAMLException e) {
            problem(1, "", "is not valid YAML: " + firstLine(e.getMessage()));
            return null;
        }
        if (!(root instanceof MappingNode map)) {
            problem(root == null ? 1 : line(root), "", "expected a YAML map with the rubric's fields "
                    + TOP_KEYS + ", got " + describe(root));
            return null;
        }
        Map<String, NodeTuple> f = fields(map, "", TOP_KEYS);

        String id = text(f, map, "", "id", true);
        if (id != null && !ID.matcher(id).matches()) {
            problem(value(f, "id"), "id", "expected a lower-case identifier ([a-z][a-z0-9_-]*), got " + quote(id));
        }
        Integer version = integer(f, map, "", "version", 1, Integer.MAX_VALUE, "an integer >= 1");
        String description = text(f, map, "", "description", false);

        int[] scale = scale(f, map);
        Integer pass = scale == null
                ? integer(f, map, "", "pass_threshold", Integer.MIN_VALUE, Integer.MAX_VALUE, "an integer")
                : integer(f, map, "", "pass_threshold", scale[0], scale[1],
                        "an integer within scale " + scale[0] + ".." + scale[1]);
        Double minAgreement = number(f, map, "min_agreement");
        String instructions = text(f, map, "", "instructions", true);
        ArrayList<Rubric.Criterion> criteria = criteria(f, map);
        ArrayList<Rubric.Anchor> examples = examples(f, map, scale, pass);

        if (!problems.isEmpty()) {
            return null;
        }
        return new Rubric(id, version, description == null ? "" : description, scale[0], scale[1], pass,
                minAgreement, instructions, criteria, examples, file);
    }

    private int[] scale(Map<String, NodeTuple> f, MappingNode parent) {
        Node n = value(f, "scale");
        if (n == null) {
            problem(line(parent), "scale", "is missing: expected {min: 1, max: 5}");
            return null;
        }
        if (!(n instanceof MappingNode m)) {
            problem(n, "scale", "expected a map {min: 1, max: 5}, got " + describe(n));
            return null;
        }
        Map<String, NodeTuple> s = fields(m, "scale", List.of("min", "max"));
        Integer min = integer(s, m, "scale", "min", 0, 10, "an integer in [0, 10]");
        Integer max = integer(s, m, "scale", "max", 0, 10, "an integer in [0, 10]");
        if (min == null || max == null) {
            return null;
        }
        if (min >= max) {
            problem(value(s, "max"), "scale.max", "expected an integer greater than scale.min (" + min + "), got " + max);
            return null;
        }
        return new int[] {min, max};
    }

    private Double number(Map<String, NodeTuple> f, MappingNode parent, String key) {
        Node n = value(f, key);
        if (n == null) {
            problem(line(parent), key, "is missing: expected a number in (0, 1]");
            return null;
        }
        Double d = null;
        if (n instanceof ScalarNode s && (s.getTag().equals(Tag.FLOAT) || s.getTag().equals(Tag.INT))) {
            try {
                d = Double.parseDouble(s.getValue().replace("_", ""));
            } catch (NumberFormatException e) {
                d = null;
            }
        }
        if (d == null || !(d > 0 && d <= 1)) {
            problem(n, key, "expected a number in (0, 1], got " + describe(n));
            return null;
        }
        return d;
    }

    private ArrayList<Rubric.Criterion> criteria(Map<String, NodeTuple> f, MappingNode parent) {
        ArrayList<Rubric.Criterion> out = new ArrayList<>();
        Node n = value(f, "criteria");
        if (n == null) {
            problem(line(parent), "criteria", "is missing: expected a non-empty list of {id, description}");
            return out;
        }
        if (!(n instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
            problem(n, "criteria", "expected a non-empty list of {id, description}, got " + describe(n));
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            String path = "criteria[" + i + "]";
            Node item = seq.getValue().get(i);
            if (!(item instanceof MappingNode m)) {
                problem(item, path, "expected a map {id, description}, got " + describe(item));
                continue;
            }
            Map<String, NodeTuple> c = fields(m, path, List.of("id", "description"));
            String cid = text(c, m, path, "id", true);
            String desc = text(c, m, path, "description", true);
            if (cid != null && !ID.matcher(cid).matches()) {
                problem(value(c, "id"), path + ".id", "expected a lower-case identifier, got " + quote(cid));
            } else if (cid != null && !seen.add(cid)) {
                problem(value(c, "id"), path + ".id", "duplicates criterion id " + quote(cid));
            }
            out.add(new Rubric.Criterion(cid, desc));
        }
        return out;
    }

    private ArrayList<Rubric.Anchor> examples(Map<String, NodeTuple> f, MappingNode parent, int[] scale, Integer pass) {
        ArrayList<Rubric.Anchor> out = new ArrayList<>();
        Node n = value(f, "examples");
        String expected = "a list of at least " + MIN_ANCHORS + " anchors {prompt, response, score, note}";
        if (n == null) {
            problem(line(parent), "examples", "is missing: expected " + expected);
            return out;
        }
        if (!(n instanceof SequenceNode seq)) {
            problem(n, "examples", "expected " + expected + ", got " + describe(n));
            return out;
        }
        String scaleText = scale == null ? "an integer" : "an integer within scale " + scale[0] + ".." + scale[1];
        boolean below = false;
        boolean atOrAbove = false;
        for (int i = 0; i < seq.getValue().size(); i++) {
            String path = "examples[" + i + "]";
            Node item = seq.getValue().get(i);
            if (!(item instanceof MappingNode m)) {
                problem(item, path, "expected a map {prompt, response, score, note}, got " + describe(item));
                continue;
            }
            Map<String, NodeTuple> e = fields(m, path, List.of("prompt", "response", "score", "note"));
            String prompt = text(e, m, path, "prompt", true);
            String response = textAllowEmpty(e, m, path, "response");
            Integer score = scale == null
                    ? integer(e, m, path, "score", Integer.MIN_VALUE, Integer.MAX_VALUE, scaleText)
                    : integer(e, m, path, "score", scale[0], scale[1], scaleText);
            String note = text(e, m, path, "note", false);
            if (score != null && pass != null) {
                below |= score < pass;
                atOrAbove |= score >= pass;
            }
            if (prompt != null && response != null && score != null) {
                out.add(new Rubric.Anchor(prompt, response, score, note == null ? "" : note));
            }
        }
        Node key = f.get("examples").getKeyNode();
        if (seq.getValue().size() < MIN_ANCHORS) {
            problem(key, "examples", "expected at least " + MIN_ANCHORS + " anchors, got " + seq.getValue().size());
        } else if (pass != null && scale != null && (!below || !atOrAbove)) {
            problem(key, "examples", "expected anchors both below and at or above pass_threshold " + pass
                    + " (agreement on useful needs both), got " + (below ? "none at or above" : "none below"));
        }
        return out;
    }

    // ---- field helpers -------------------------------------------------------------------

    /** The map's entries by key; reports non-scalar keys, duplicates and keys not in {@code allowed}. */
    private Map<String, NodeTuple> fields(MappingNode m, String path, List<String> allowed) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                problem(t.getKeyNode(), path, "has a key that is not a plain name: " + describe(t.getKeyNode()));
                continue;
            }
            String name = k.getValue();
            String full = path.isEmpty() ? name : path + "." + name;
            if (!allowed.contains(name)) {
                problem(k, full, "is not known here; expected one of " + allowed);
            } else if (out.putIfAbsent(name, t) != null) {
                problem(k, full, "is given twice (first on line " + line(out.get(name).getKeyNode()) + ")");
            }
        }
        return out;
    }

    private static Node value(Map<String, NodeTuple> f, String key) {
        NodeTuple t = f.get(key);
        if (t == null) {
            return null;
        }
        Node v = t.getValueNode();
        // An explicit null (`key:` or `key: ~`) is reported like a missing value, at its own line.
        return v;
    }

    private String text(Map<String, NodeTuple> f, MappingNode parent, String path, String key, boolean required) {
        String full = path.isEmpty() ? key : path + "." + key;
        Node n = value(f, key);
        if (n == null) {
            if (required) {
                problem(line(parent), full, "is missing: expected non-empty text");
            }
            return null;
        }
        if (!(n instanceof ScalarNode s) || s.getTag().equals(Tag.NULL)) {
            if (required || !(n instanceof ScalarNode)) {
                problem(n, full, "expected " + (required ? "non-empty " : "") + "text, got " + describe(n));
            }
            return null;
        }
        if (required && s.getValue().isBlank()) {
            problem(n, full, "expected non-empty text, got an empty string");
            return null;
        }
        return s.getValue();
    }

    private String textAllowEmpty(Map<String, NodeTuple> f, MappingNode parent, String path, String key) {
        String full = path + "." + key;
        Node n = value(f, key);
        if (n == null) {
            problem(line(parent), full, "is missing: expected text (may be empty: \"\")");
            return null;
        }
        if (!(n instanceof ScalarNode s) || (s.getTag().equals(Tag.NULL) && !s.getValue().isEmpty())) {
            problem(n, full, "expected text, got " + describe(n));
            return null;
        }
        return s.getTag().equals(Tag.NULL) ? "" : s.getValue();
    }

    private Integer integer(Map<String, NodeTuple> f, MappingNode parent, String path, String key, int min, int max,
            String expected) {
        String full = path.isEmpty() ? key : path + "." + key;
        Node n = value(f, key);
        if (n == null) {
            problem(line(parent), full, "is missing: expected " + expected);
            return null;
        }
        if (n instanceof ScalarNode s && s.getTag().equals(Tag.INT)) {
            try {
                long v = Long.parseLong(s.getValue().replace("_", ""));
                if (v >= min && v <= max) {
                    return (int) v;
                }
            } catch (NumberFormatException e) {
                // falls through to the problem below
            }
        }
        problem(n, full, "expected " + expected + ", got " + describe(n));
        return null;
    }

    private void problem(Node at, String field, String message) {
        problem(line(at), field, message);
    }

    private void problem(int line, String field, String message) {
        problems.add(new RubricProblem(file, line, field, message));
    }

    private static int line(Node n) {
        return n.getStartMark() == null ? 1 : n.getStartMark().getLine() + 1;
    }

    private static String describe(Node n) {
        if (n == null) {
            return "nothing";
        }
        if (n instanceof MappingNode) {
            return "a map";
        }
        if (n instanceof SequenceNode s) {
            return s.getValue().isEmpty() ? "an empty list" : "a list";
        }
        ScalarNode s = (ScalarNode) n;
        if (s.getTag().equals(Tag.NULL)) {
            return "nothing";
        }
        if (s.getTag().equals(Tag.STR)) {
            return quote(s.getValue());
        }
        return s.getValue();
    }

    private static String quote(String s) {
        String one = s.replace("\n", "\\n");
        return "'" + (one.length() > 60 ? one.substring(0, 60) + "…" : one) + "'";
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("").trim();
    }
}
