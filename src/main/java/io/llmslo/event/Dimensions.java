package io.llmslo.event;

import java.util.HashMap;
import java.util.Map;

/**
 * The cohort dimensions of a request, as named in grouping sets: {@code surface}, {@code model},
 * {@code provider} and {@code cohort.<key>} for each entry of the response's cohort object.
 */
public final class Dimensions {

    private Dimensions() {}

    public static HashMap<String, String> of(ResponseEvent r) {
        HashMap<String, String> dims = new HashMap<>();
        put(dims, "surface", r.surface());
        put(dims, "model", r.model());
        put(dims, "provider", r.provider());
        if (r.cohort() != null) {
            for (Map.Entry<String, String> e : r.cohort().entrySet()) {
                put(dims, "cohort." + e.getKey(), e.getValue());
            }
        }
        return dims;
    }

    private static void put(Map<String, String> dims, String key, String value) {
        if (value != null && !value.isEmpty()) {
            dims.put(key, value);
        }
    }
}
