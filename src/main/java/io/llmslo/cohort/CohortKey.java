package io.llmslo.cohort;

import io.llmslo.slo.CohortKeys;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes the canonical cohort key text of {@link CohortKeys} ({@code surface=chat,cohort.region=eu},
 * {@code *} for the global cohort; {@code ,}, {@code =} and {@code \} inside a value backslash-escaped),
 * so the cap can rename one dimension's value inside a partial bucket's key.
 */
public final class CohortKey {

    /** One {@code dim=value} part of a key, value unescaped. */
    public record Part(String dimension, String value) {}

    private CohortKey() {}

    /** The parts of a key in order; none for the global cohort {@code *}. */
    public static List<Part> parse(String key) {
        List<Part> parts = new ArrayList<>(4);
        if (key == null || key.isEmpty() || key.equals(CohortKeys.GLOBAL)) {
            return parts;
        }
        StringBuilder dim = new StringBuilder();
        StringBuilder value = new StringBuilder();
        StringBuilder current = dim;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '\\' && i + 1 < key.length()) {
                current.append(key.charAt(++i));
            } else if (c == '=' && current == dim) {
                current = value;
            } else if (c == ',') {
                parts.add(new Part(dim.toString(), value.toString()));
                dim.setLength(0);
                value.setLength(0);
                current = dim;
            } else {
                current.append(c);
            }
        }
        parts.add(new Part(dim.toString(), value.toString()));
        return parts;
    }

    /** The canonical key of these parts ({@link CohortKeys} escaping); {@code *} for none. */
    public static String format(List<Part> parts) {
        if (parts.isEmpty()) {
            return CohortKeys.GLOBAL;
        }
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(p.dimension()).append('=').append(CohortKeys.escape(p.value()));
        }
        return sb.toString();
    }
}
