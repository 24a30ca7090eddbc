package io.llmslo.judge;

import io.llmslo.config.ConfigException;
import io.llmslo.config.ConfigNode;
import io.llmslo.config.YamlDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Checks a rubric file completely and reports <em>every</em> problem with its file, line and
 * field, so a rubric owner fixes a file in one pass instead of one error per run.
 *
 * <p>Reads through the same {@link ConfigNode} as job files and scenarios (one YAML reader, one
 * error format); each field is checked on its own and its {@link ConfigException} collected
 * instead of thrown. Rules (DESIGN §6):
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
    private static final String[] TOP_KEYS = {"id", "version", "description", "scale",
            "pass_threshold", "min_agreement", "instructions", "criteria", "examples"};

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
        ConfigNode root = collect(() -> YamlDocument.parse(file, yamlText));
        if (root == null) {
            return null;
        }
        if (!root.raw().isObject()) {
            problems.add(new RubricProblem(file, Math.max(1, root.line()), "", "expected a YAML map with the rubric's"
                    + " fields " + List.of(TOP_KEYS) + ", got " + (root.present() ? "something else" : "nothing")));
            return null;
        }
        unknown(root, TOP_KEYS);

        String id = collect(() -> {
            String v = text(root.get("id"), true);
            if (v != null && !ID.matcher(v).matches()) {
                throw root.get("id").error("a lower-case identifier ([a-z][a-z0-9_-]*)");
            }
            return v;
        });
        Integer version = collect(() -> integer(root.get("version"), 1, Integer.MAX_VALUE, "an integer >= 1"));
        String description = collect(() -> text(root.get("description"), false));
        int[] scale = collect(() -> scale(root.get("scale")));
        Integer pass = collect(() -> scale == null
                ? integer(root.get("pass_threshold"), Integer.MIN_VALUE, Integer.MAX_VALUE, "an integer")
                : integer(root.get("pass_threshold"), scale[0], scale[1],
                        "an integer within scale " + scale[0] + ".." + scale[1]));
        Double minAgreement = collect(() -> fraction(root.get("min_agreement")));
        String instructions = collect(() -> text(root.get("instructions"), true));
        ArrayList<Rubric.Criterion> criteria = criteria(root.get("criteria"));
        ArrayList<Rubric.Anchor> examples = examples(root.get("examples"), scale, pass);

        if (!problems.isEmpty()) {
            return null;
        }
        return new Rubric(id, version, description == null ? "" : description, scale[0], scale[1], pass,
                minAgreement, instructions, criteria, examples, file);
    }

    private int[] scale(ConfigNode n) {
        require(n, "{min: 1, max: 5}");
        if (!n.raw().isObject()) {
            throw n.error("a map {min: 1, max: 5}");
        }
        unknown(n, "min", "max");
        Integer min = collect(() -> integer(n.get("min"), 0, 10, "an integer in [0, 10]"));
        Integer max = collect(() -> integer(n.get("max"), 0, 10, "an integer in [0, 10]"));
        if (min == null || max == null) {
            return null;
        }
        if (min >= max) {
            throw n.get("max").error("an integer greater than scale.min (" + min + ")");
        }
        return new int[] {min, max};
    }

    private ArrayList<Rubric.Criterion> criteria(ConfigNode n) {
        ArrayList<Rubric.Criterion> out = new ArrayList<>();
        String expected = "a non-empty list of {id, description}";
        boolean list = Boolean.TRUE.equals(collect(() -> {
            require(n, expected);
            if (!n.raw().isArray() || n.raw().isEmpty()) {
                throw n.error(expected);
            }
            return true;
        }));
        if (!list) {
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (ConfigNode item : items(n)) {
            if (!item.raw().isObject()) {
                collect(() -> {
                    throw item.error("a map {id, description}");
                });
                continue;
            }
            unknown(item, "id", "description");
            String cid = collect(() -> {
                String v = text(item.get("id"), true);
                if (v != null && !ID.matcher(v).matches()) {
                    throw item.get("id").error("a lower-case identifier");
                }
                if (v != null && !seen.add(v)) {
                    throw item.get("id").fail("duplicates criterion id '" + v + "'");
                }
                return v;
            });
            String desc = collect(() -> text(item.get("description"), true));
            out.add(new Rubric.Criterion(cid, desc));
        }
        return out;
    }

    private ArrayList<Rubric.Anchor> examples(ConfigNode n, int[] scale, Integer pass) {
        ArrayList<Rubric.Anchor> out = new ArrayList<>();
        String expected = "a list of at least " + MIN_ANCHORS + " anchors {prompt, response, score, note}";
        boolean list = Boolean.TRUE.equals(collect(() -> {
            require(n, expected);
            if (!n.raw().isArray()) {
                throw n.error(expected);
            }
            return true;
        }));
        if (!list) {
            return out;
        }
        String scaleText = scale == null ? "an integer" : "an integer within scale " + scale[0] + ".." + scale[1];
        boolean below = false;
        boolean atOrAbove = false;
        for (ConfigNode item : items(n)) {
            if (!item.raw().isObject()) {
                collect(() -> {
                    throw item.error("a map {prompt, response, score, note}");
                });
                continue;
            }
            unknown(item, "prompt", "response", "score", "note");
            String prompt = collect(() -> text(item.get("prompt"), true));
            String response = collect(() -> {
                if (item.raw().has("response") && item.raw().get("response").isNull()) {
                    return ""; // `response:` with nothing after it: an empty answer is a valid anchor
                }
                require(item.get("response"), "text (may be empty: \"\")");
                return item.get("response").asText();
            });
            Integer score = collect(() -> scale == null
                    ? integer(item.get("score"), Integer.MIN_VALUE, Integer.MAX_VALUE, scaleText)
                    : integer(item.get("score"), scale[0], scale[1], scaleText));
            String note = collect(() -> text(item.get("note"), false));
            if (score != null && pass != null) {
                below |= score < pass;
                atOrAbove |= score >= pass;
            }
            if (prompt != null && response != null && score != null) {
                out.add(new Rubric.Anchor(prompt, response, score, note == null ? "" : note));
            }
        }
        int size = n.raw().size();
        boolean straddles = below && atOrAbove;
        boolean checkStraddle = pass != null && scale != null;
        boolean belowSeen = below;
        collect(() -> {
            if (size < MIN_ANCHORS) {
                throw n.fail("expected at least " + MIN_ANCHORS + " anchors, got " + size);
            }
            if (checkStraddle && !straddles) {
                throw n.fail("expected anchors both below and at or above pass_threshold " + pass
                        + " (agreement on useful needs both), got " + (belowSeen ? "none at or above" : "none below"));
            }
            return null;
        });
        return out;
    }

    // ---- field helpers -------------------------------------------------------------------

    /** Runs one check; its error becomes a problem of the list and the value {@code null}. */
    private <T> T collect(Supplier<T> check) {
        try {
            return check.get();
        } catch (ConfigException e) {
            problems.add(new RubricProblem(file, Math.max(1, e.line()), e.key() == null ? "" : e.key(), e.detail()));
            return null;
        }
    }

    private static List<ConfigNode> items(ConfigNode list) {
        List<ConfigNode> out = new ArrayList<>();
        for (int i = 0; i < list.raw().size(); i++) {
            out.add(list.at(i));
        }
        return out;
    }

    private void unknown(ConfigNode map, String... allowed) {
        for (ConfigException e : map.unknownKeys(allowed)) {
            collect(() -> {
                throw e;
            });
        }
    }

    private static void require(ConfigNode n, String expected) {
        if (!n.present()) {
            throw n.fail("is missing: expected " + expected);
        }
    }

    private static String text(ConfigNode n, boolean required) {
        if (!n.present()) {
            if (required) {
                throw n.fail("is missing: expected non-empty text");
            }
            return null;
        }
        String v = n.asText();
        if (required && v.isBlank()) {
            throw n.fail("expected non-empty text, got an empty string");
        }
        return v;
    }

    private static Integer integer(ConfigNode n, int min, int max, String expected) {
        require(n, expected);
        if (!n.raw().isIntegralNumber() || !n.raw().canConvertToLong() || n.raw().asLong() < min
                || n.raw().asLong() > max) {
            throw n.error(expected);
        }
        return n.raw().asInt();
    }

    private static Double fraction(ConfigNode n) {
        String expected = "a number in (0, 1]";
        require(n, expected);
        double d = n.raw().isNumber() ? n.raw().asDouble() : Double.NaN;
        if (!(d > 0 && d <= 1)) {
            throw n.error(expected);
        }
        return d;
    }
}
