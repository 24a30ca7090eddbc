package io.llmslo.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JudgeAnswerParserTest {

    @Test
    void acceptsTheSchemaAndOneSurroundingCodeFence() throws Exception {
        assertThat(JudgeAnswerParser.parse("{\"score\": 4, \"reason\": \"ok\"}", 1, 5))
                .isEqualTo(new JudgeAnswerParser.Answer(4, "ok"));
        assertThat(JudgeAnswerParser.parse("  {\"reason\": \" fine \", \"score\": 1}\n", 1, 5))
                .isEqualTo(new JudgeAnswerParser.Answer(1, "fine"));
        assertThat(JudgeAnswerParser.parse("```json\n{\"score\": 5, \"reason\": \"great\"}\n```", 1, 5).score()).isEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "4",
        "Score: 4",
        "The score is {\"score\": 4, \"reason\": \"x\"}",
        "{\"score\": 4, \"reason\": \"x\"} and that's final",
        "{\"score\": 4, \"reason\": \"x\"}{\"score\": 5, \"reason\": \"y\"}",
        "{\"score\": \"4\", \"reason\": \"x\"}",
        "{\"score\": 4.5, \"reason\": \"x\"}",
        "{\"score\": 4.0, \"reason\": \"x\"}",
        "{\"score\": 6, \"reason\": \"x\"}",
        "{\"score\": 0, \"reason\": \"x\"}",
        "{\"score\": 4}",
        "{\"score\": 4, \"reason\": \"  \"}",
        "{\"score\": 4, \"reason\": 7}",
        "{\"score\": 4, \"reason\": \"x\", \"confidence\": 0.9}",
        "{\"score\": 4, \"score\": 5, \"reason\": \"x\"}",
        "[{\"score\": 4, \"reason\": \"x\"}]",
        "{\"score\": 4, \"reason\": \"x\"",
        "```\n{\"score\": 4, \"reason\": \"x\"}\n``` extra"
    })
    void rejectsEverythingElse(String answer) {
        assertThatThrownBy(() -> JudgeAnswerParser.parse(answer, 1, 5))
                .isInstanceOf(JudgeAnswerParser.MalformedAnswerException.class);
    }

    @Test
    void secretsAreScrubbed() {
        assertThat(Secrets.scrub("Incorrect API key provided: abcDEF123456789", "abcDEF123456789"))
                .isEqualTo("Incorrect API key provided: ***");
        assertThat(Secrets.scrub("header Authorization: Bearer eyJhbGciOi.J9xyz", null)).doesNotContain("eyJhbGciOi");
        assertThat(Secrets.scrub("key sk-proj-AbCdEf0123456789 leaked", null)).isEqualTo("key *** leaked");
        assertThat(Secrets.scrub("{\"x-api-key\": \"q1w2e3r4t5y6\"}", null)).doesNotContain("q1w2e3r4t5y6");
        assertThat(Secrets.scrub("HTTP 500: upstream connect error", "k3y-value")).isEqualTo("HTTP 500: upstream connect error");
    }
}
