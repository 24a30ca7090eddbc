package io.llmslo.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmslo.config.ConfigException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/** Secrets in Kafka client properties stay environment references until the Kafka client reads them. */
class KafkaClientPropertiesTest {

    /** An environment variable this JVM really has, standing in for a secret. */
    static Map.Entry<String, String> someEnvVar() {
        return System.getenv().entrySet().stream()
                .filter(e -> e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*") && e.getValue().length() >= 3
                        && !e.getValue().contains("}") && !e.getValue().contains("\""))
                .findFirst().orElseThrow();
    }

    @Test
    void referencesBecomeKafkaEnvProviderReferencesAndTheValueIsNeverInTheProperties() {
        Map.Entry<String, String> secret = someEnvVar();
        HashMap<String, String> configured = new HashMap<>();
        configured.put("security.protocol", "SASL_SSL");
        configured.put("sasl.mechanism", "PLAIN");
        configured.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"slo\" password=\"${" + secret.getKey() + "}\";");

        Properties p = KafkaClientProperties.translate(configured, System.getenv(), "jobs/x.yaml");

        assertThat(p.toString()).doesNotContain(secret.getValue());
        assertThat(p.getProperty("sasl.jaas.config")).contains("${llmsloenv:" + secret.getKey() + "}");
        assertThat(p.getProperty("config.providers")).isEqualTo("llmsloenv");
        assertThat(p.getProperty("security.protocol")).isEqualTo("SASL_SSL");
    }

    @Test
    void theKafkaClientResolvesTheReferenceItself() {
        Map.Entry<String, String> secret = someEnvVar();
        HashMap<String, String> configured = new HashMap<>();
        configured.put("sasl.jaas.config", "password=\"${" + secret.getKey() + "}\";");
        configured.put("client.id", "slo-${" + secret.getKey() + "}");
        Properties p = KafkaClientProperties.translate(configured, System.getenv(), "jobs/x.yaml");
        p.put("bootstrap.servers", "127.0.0.1:9");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());

        ConsumerConfig resolved = new ConsumerConfig(p);

        assertThat(resolved.getString("client.id")).isEqualTo("slo-" + secret.getValue());
        Password jaas = resolved.getPassword("sasl.jaas.config");
        assertThat(jaas.value()).isEqualTo("password=\"" + secret.getValue() + "\";");
        assertThat(jaas.toString()).doesNotContain(secret.getValue()); // Kafka logs it as [hidden]
    }

    @Test
    void anUnsetVariableFailsAtSubmitNamingTheVariableOnly() {
        HashMap<String, String> configured = new HashMap<>();
        configured.put("sasl.jaas.config", "password=\"${KAFKA_PASSWORD}\";");
        assertThatThrownBy(() -> KafkaClientProperties.translate(configured, Map.of("OTHER", "s3cr3t"), "jobs/p.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("jobs/p.yaml")
                .hasMessageContaining("KAFKA_PASSWORD")
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void kafkasOwnProviderSyntaxAndExistingProvidersAreKept() {
        HashMap<String, String> configured = new HashMap<>();
        configured.put("config.providers", "file");
        configured.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        configured.put("ssl.keystore.password", "${file:/etc/kafka/secrets.properties:keystore}");
        configured.put("ssl.key.password", "${KEY_PW}");
        Properties p = KafkaClientProperties.translate(configured, Map.of("KEY_PW", "x"), "f");
        assertThat(p.getProperty("config.providers")).isEqualTo("file,llmsloenv");
        assertThat(p.getProperty("ssl.keystore.password")).isEqualTo("${file:/etc/kafka/secrets.properties:keystore}");
        assertThat(p.getProperty("ssl.key.password")).isEqualTo("${llmsloenv:KEY_PW}");
    }
}
