package io.llmslo.slo;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cohort fan-out (DESIGN §3): an observation counts in the global cohort {@code *} and in every
 * configured grouping set whose dimensions the request carries. Keys are canonical text,
 * dimensions in configured order: {@code surface=chat,cohort.locale=de-DE}; a {@code ,}, {@code =}
 * or {@code \} inside a value is escaped with a backslash.
 *
 * <p>A request that lacks a dimension of a set (no {@code cohort.region}, say) is not counted in
 * that set rather than under an invented value: an "unknown" cohort would mix unrelated traffic.
 * Per-provider SLOs are always split by provider: their global cohort is {@code provider=X}.
 */
public final class CohortKeys implements Serializable {

    public static final String GLOBAL = "*";

    private final List<List<String>> groupingSets;

    public CohortKeys(List<List<String>> groupingSets) {
        this.groupingSets = groupingSets;
    }

    /** Every dimension some grouping set names, in first-named order. */
    public static List<String> dimensionsOf(List<List<String>> groupingSets) {
        List<String> out = new ArrayList<>();
        for (List<String> set : groupingSets) {
            for (String d : set) {
                if (!out.contains(d)) {
                    out.add(d);
                }
            }
        }
        return out;
    }

    /** Every dimension the grouping sets name: {@link #keysFor} reads no others (and "provider"). */
    public List<String> dimensions() {
        return dimensionsOf(groupingSets);
    }

    public List<String> keysFor(String slo, Map<String, String> dims) {
        boolean perProvider = SloCatalog.PROVIDER_SUCCESS.equals(slo);
        List<String> keys = new ArrayList<>(groupingSets.size() + 1);
        if (perProvider) {
            String provider = dims.get("provider");
            if (provider == null) {
                return keys;
            }
            keys.add("provider=" + escape(provider));
        } else {
            keys.add(GLOBAL);
        }
        for (List<String> set : groupingSets) {
            String key = key(set, dims, perProvider);
            if (key != null && !keys.contains(key)) {
                keys.add(key);
            }
        }
        return keys;
    }

    static String key(List<String> set, Map<String, String> dims, boolean appendProvider) {
        StringBuilder sb = new StringBuilder();
        for (String dim : set) {
            String v = dims.get(dim);
            if (v == null) {
                return null;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(dim).append('=').append(escape(v));
        }
        if (appendProvider && !set.contains("provider")) {
            sb.append(",provider=").append(escape(dims.get("provider")));
        }
        return sb.toString();
    }

    /**
     * Values come from traffic: a tenant named {@code a,model=x} must not produce the key of
     * another grouping set, so the separators are backslash-escaped.
     */
    public static String escape(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('=') < 0 && value.indexOf('\\') < 0) {
            return value;
        }
        return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=");
    }
}
