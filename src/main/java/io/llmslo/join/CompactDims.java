package io.llmslo.join;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How the joiner keeps a request's cohort dimensions in state for the signals that come later
 * (acceptance, ratings): only the dimensions grouping sets name, as their values in a fixed
 * order, no key text. A state entry lives {@code max_rating_delay} (8 days), so at 2 000
 * requests/s every byte here is ~1.4 GB of state.
 *
 * <p>{@code schema} fingerprints the dimension list; a state written under other grouping sets
 * (a restore after a config change) unpacks to no dimensions, so its later signals count in the
 * global cohort only rather than under the wrong cohort.
 */
final class CompactDims implements Serializable {

    private final String[] names;
    private final int schema;

    /** @param names the dimensions to keep; null keeps every dimension, with its name */
    CompactDims(List<String> names) {
        this.names = names == null ? null : names.toArray(String[]::new);
        this.schema = names == null ? 0 : 31 * names.hashCode() + 1;
    }

    int schema() {
        return schema;
    }

    String[] pack(Map<String, String> dims) {
        if (names == null) {
            String[] kv = new String[2 * dims.size()];
            int i = 0;
            for (Map.Entry<String, String> e : dims.entrySet()) {
                kv[i++] = e.getKey();
                kv[i++] = e.getValue();
            }
            return kv;
        }
        String[] values = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            values[i] = dims.get(names[i]);
        }
        return values;
    }

    Map<String, String> unpack(String[] packed, int packedSchema) {
        Map<String, String> dims = new HashMap<>();
        if (packed == null || packedSchema != schema) {
            return dims;
        }
        if (names == null) {
            for (int i = 0; i + 1 < packed.length; i += 2) {
                dims.put(packed[i], packed[i + 1]);
            }
            return dims;
        }
        for (int i = 0; i < names.length && i < packed.length; i++) {
            if (packed[i] != null) {
                dims.put(names[i], packed[i]);
            }
        }
        return dims;
    }
}
