package io.llmslo.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A cohort key ({@code surface=chat,cohort.region=eu}, separators inside values backslash-escaped
 * by {@code CohortKeys}) as Prometheus labels: one label per dimension, {@code cohort.<k>}
 * becoming {@code cohort_<k>} (label names allow only {@code [a-zA-Z0-9_]}). The global cohort
 * {@code *} has no dimensions.
 */
public final class CohortLabels {

    private CohortLabels() {}

    /** Dimension → value in key order; a key that does not parse yields no dimensions. */
    public static Map<String, String> parse(String key) {
        Map<String, String> out = new LinkedHashMap<>();
        if (key == null || key.isEmpty() || key.equals("*")) {
            return out;
        }
        StringBuilder name = new StringBuilder();
        StringBuilder value = new StringBuilder();
        boolean inValue = false;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '\\' && i + 1 < key.length()) {
                (inValue ? value : name).append(key.charAt(++i));
            } else if (c == '=' && !inValue) {
                inValue = true;
            } else if (c == ',') {
                if (!put(out, name, value, inValue)) {
                    return new LinkedHashMap<>();
                }
                name.setLength(0);
                value.setLength(0);
                inValue = false;
            } else {
                (inValue ? value : name).append(c);
            }
        }
        return put(out, name, value, inValue) ? out : new LinkedHashMap<>();
    }

    private static boolean put(Map<String, String> out, StringBuilder name, StringBuilder value, boolean inValue) {
        String label = labelName(name.toString());
        if (!inValue || label == null || out.containsKey(label)) {
            return false;
        }
        out.put(label, value.toString());
        return true;
    }

    /**
     * {@code surface}, {@code model}, {@code provider} as they are; {@code cohort.region} →
     * {@code cohort_region}; anything else is sanitized to a valid label name, never one of the
     * labels the exporter sets itself.
     */
    static String labelName(String dim) {
        if (dim.isEmpty()) {
            return null;
        }
        String n = dim.replaceAll("[^A-Za-z0-9_]", "_");
        if (Character.isDigit(n.charAt(0)) || n.startsWith("__")) {
            n = "dim_" + n;
        }
        return switch (n) {
            case "slo", "cohort", "window", "status", "severity", "job", "instance" -> "dim_" + n;
            default -> n;
        };
    }
}
