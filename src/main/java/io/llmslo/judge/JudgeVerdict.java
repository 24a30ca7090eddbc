package io.llmslo.judge;

/**
 * What a {@link JudgeClient} returns for one (rubric, prompt, response): a score, or an error
 * code (never both). Error details are already scrubbed of secrets.
 *
 * @param score within the rubric's scale, or {@code null} on error
 * @param reason the judge's one-sentence reason; on error the (scrubbed) detail
 * @param error {@code null}, or a code from {@link JudgeErrors}
 * @param attempts HTTP attempts made (0 when none was made, e.g. circuit open)
 */
public record JudgeVerdict(
        Integer score, String reason, String error, long inputTokens, long outputTokens, int attempts) {

    public static JudgeVerdict ok(int score, String reason, long inputTokens, long outputTokens, int attempts) {
        return new JudgeVerdict(score, reason, null, inputTokens, outputTokens, attempts);
    }

    public static JudgeVerdict error(String code, String detail, int attempts) {
        return new JudgeVerdict(null, detail, code, 0, 0, attempts);
    }

    public boolean ok() {
        return error == null && score != null;
    }
}
