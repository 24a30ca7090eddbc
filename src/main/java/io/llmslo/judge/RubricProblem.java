package io.llmslo.judge;

/**
 * One thing wrong with a rubric file, located: {@code rubrics/helpfulness.yaml:12: field
 * 'pass_threshold' expected an integer within scale 1..5, got 7}.
 *
 * @param line 1-based line of the offending value (or of the enclosing map for a missing field)
 * @param field dotted path of the field, with list indexes: {@code examples[3].score}
 * @param message what was expected and what was found
 */
public record RubricProblem(String file, int line, String field, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + (field == null || field.isEmpty() ? "" : "field '" + field + "' ") + message;
    }
}
