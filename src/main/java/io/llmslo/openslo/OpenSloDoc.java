package io.llmslo.openslo;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmslo.config.ConfigException;

/**
 * One document of an OpenSLO file, with what an error message needs to point at it: the file,
 * the document's position, kind and name.
 */
record OpenSloDoc(String file, int index, String kind, String name, JsonNode node) {

    /** {@code <file>: document 3 (SLO 'quality-acceptance'): field 'spec.x' expected ..., got ...}. */
    ConfigException error(String field, String expected, JsonNode got) {
        return new ConfigException(where() + ": field '" + field + "' expected " + expected + ", got "
                + describe(got));
    }

    ConfigException error(String message) {
        return new ConfigException(where() + ": " + message);
    }

    String where() {
        return file + ": document " + index + " (" + (kind == null ? "?" : kind)
                + (name == null ? "" : " '" + name + "'") + ")";
    }

    /** The node at a dotted path, e.g. {@code spec.ratioMetric.good}; missing when absent. */
    JsonNode at(String dotted) {
        JsonNode n = node;
        for (String part : dotted.split("\\.")) {
            n = n.path(part);
        }
        return n;
    }

    String requiredText(String field) {
        JsonNode n = at(field);
        if (!n.isTextual() || n.asText().isBlank()) {
            throw error(field, "a string", n);
        }
        return n.asText();
    }

    static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing (the field is missing)";
        }
        if (n.isNull()) {
            return "null";
        }
        String s = n.isTextual() ? "'" + n.asText() + "'" : n.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
