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
                put(dims, cohortDimension(e.getKey()), e.getValue());
            }
        }
        return dims;
    }

    /** Canonical "cohort." + key names of the first few keys: no concatenation and rehash per response. */
    private static final java.util.concurrent.ConcurrentHashMap<String, String> COHORT_NAMES =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_COHORT_NAMES = 256;

    /** {@code "cohort." + key}, the same String instance for a key seen before (up to a bound). */
    public static String cohortDimension(String key) {
        String name = COHORT_NAMES.get(key);
        if (name == null) {
            name = "cohort." + key;
            if (COHORT_NAMES.size() < MAX_COHORT_NAMES) {
                COHORT_NAMES.putIfAbsent(key, name);
            }
        }
        return name;
    }

    private static void put(Map<String, String> dims, String key, String value) {
        if (value != null && !value.isEmpty()) {
            dims.put(key, value);
        }
    }
}
