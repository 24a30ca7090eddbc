package io.llmslo.judge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** A judge reason reaches judge_scores: secret-looking strings it echoes are scrubbed, and it is capped. */
class SecretsTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "sk-proj-abcdefghijklmnop1234", "AKIAIOSFODNN7EXAMPLE", "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        "xoxb-1234567890-abcdefghij", "AIzaSyA1234567890abcdefghijklmnopqrstu",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"})
    void secretShapesAreScrubbed(String secret) {
        String out = Secrets.scrubReason("The answer pasted " + secret + " into the reply.", null);
        assertThat(out).doesNotContain(secret).contains("***").startsWith("The answer pasted");
    }

    @Test
    void passwordPairsKeepTheirNameOnly() {
        assertThat(Secrets.scrubReason("it printed password=hunter22 and token: abcd1234", null))
                .isEqualTo("it printed password=*** and token: ***");
    }

    @Test
    void ordinaryReasonsAreUntouchedAndLongOnesCapped() {
        assertThat(Secrets.scrubReason("Accurate and complete; cites the manual.", null))
                .isEqualTo("Accurate and complete; cites the manual.");
        assertThat(Secrets.scrubReason("x".repeat(5000), null)).hasSize(Secrets.MAX_REASON + 1);
    }
}
