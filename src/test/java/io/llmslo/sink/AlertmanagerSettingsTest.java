package io.llmslo.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmslo.config.ConfigException;
import io.llmslo.config.JobConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AlertmanagerSettingsTest {

    static JobConfig job(String alertmanager) {
        return JobConfig.parse("j.yaml", "sources: {responses: r.jsonl}\noutput: {jdbc_url: 'jdbc:sqlite:x.db'}\n"
                + "alertmanager:\n" + alertmanager);
    }

    @Test
    void defaultsAndUrlsFromTheJobFile() {
        AlertmanagerSettings s = job("  urls: [http://am-1:9093/, 'https://am-2:9093']\n  bearer_token_env: AM_TOKEN\n")
                .alertmanager;
        assertThat(s.urls()).containsExactly("http://am-1:9093", "https://am-2:9093");
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.resendInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.maxRetries()).isEqualTo(2);
        assertThat(s.bearerTokenEnv()).isEqualTo("AM_TOKEN");
        assertThat(JobConfig.parse("j.yaml", "sources: {responses: r.jsonl}\noutput: {jdbc_url: 'jdbc:sqlite:x.db'}\n")
                .alertmanager).isNull();
    }

    @Test
    void secretsInTheFileAreRejectedWithoutBeingEchoed() {
        assertThatThrownBy(() -> job("  urls: ['http://admin:hunter2@am:9093']\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("key 'alertmanager.urls[0]' expected a URL without credentials")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> job("  urls: [http://am:9093]\n  bearer_token_env: 'eyJhbGciOi.secret-token'\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected the NAME of an environment variable")
                .hasMessageNotContaining("secret-token");
        assertThatThrownBy(() -> job("  urls: [http://am:9093]\n  bearer_token_env: T\n"
                + "  basic_auth: {username: u, password_env: P}\n"))
                .hasMessageContaining("either bearer_token_env or basic_auth, not both");
        assertThatThrownBy(() -> job("  urls: []\n")).hasMessageContaining("a non-empty list of Alertmanager URLs");
        assertThatThrownBy(() -> job("  urls: [ftp://am]\n")).hasMessageContaining("an http(s) URL");
        assertThatThrownBy(() -> job("  urls: [http://am:9093]\n  retries: 3\n")).hasMessageContaining("is not known here");
    }
}
