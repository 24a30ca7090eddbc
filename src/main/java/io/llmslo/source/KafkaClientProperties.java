package io.llmslo.source;

import io.llmslo.config.ConfigException;
import io.llmslo.config.JobConfig;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kafka client properties of a job file (SASL, TLS, timeouts …) as handed to the Kafka
 * source and the alert sink, with secrets kept out of Flink entirely.
 *
 * <p>A value may reference environment variables as {@code ${NAME}} (e.g. {@code sasl.jaas.config:
 * '… password="${KAFKA_PASSWORD}";'}). Instead of substituting the secret here, on the submitting
 * client, each reference is rewritten to Kafka's own {@code ${env:NAME}} syntax and Kafka's
 * {@code EnvVarConfigProvider} is registered. The Kafka client resolves the variable inside the
 * JobManager or TaskManager process that opens the connection. So the secret is never part of the
 * job graph, the savepoint metadata, the Flink web UI, a Flink log line or an exception built
 * here; Kafka's own config logging shows the {@code ${env:NAME}} text, and it masks password-type
 * keys regardless.
 *
 * <p>The variables must therefore be set in the JobManager and TaskManager environments (the
 * compose file does so). The submitting process checks them too, so a misspelt name fails at
 * submit time with the variable's name, never its value.
 */
public final class KafkaClientProperties {

    /** Our job-file syntax: {@code ${NAME}}; Kafka's {@code ${provider:key}} contains a colon. */
    private static final Pattern OURS = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    static final String PROVIDERS = "config.providers";
    static final String ENV_PROVIDER = "llmsloenv";
    static final String ENV_PROVIDER_CLASS =
            "org.apache.kafka.common.config.provider.EnvVarConfigProvider";

    private KafkaClientProperties() {}

    /** The job file's {@code sources.properties}, checked against this process's environment. */
    public static Properties of(JobConfig cfg) {
        return translate(cfg.sources.properties(), System.getenv(), cfg.file);
    }

    /**
     * Rewrites {@code ${NAME}} to {@code ${llmsloenv:NAME}} and registers the provider; fails,
     * naming the variable (not any value), when one is not set in {@code env}.
     */
    public static Properties translate(Map<String, String> configured, Map<String, String> env, String file) {
        Properties out = new Properties();
        Set<String> referenced = new TreeSet<>();
        for (Map.Entry<String, String> e : configured.entrySet()) {
            Matcher m = OURS.matcher(e.getValue());
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                referenced.add(m.group(1));
                m.appendReplacement(sb, Matcher.quoteReplacement("${" + ENV_PROVIDER + ":" + m.group(1) + "}"));
            }
            m.appendTail(sb);
            out.setProperty(e.getKey(), sb.toString());
        }
        for (String name : referenced) {
            if (env.get(name) == null) {
                throw new ConfigException(file + ": key 'sources.properties' references environment variable "
                        + name + ", which is not set");
            }
        }
        if (!referenced.isEmpty()) {
            Set<String> providers = new LinkedHashSet<>();
            String existing = out.getProperty(PROVIDERS);
            if (existing != null) {
                for (String p : existing.split(",")) {
                    if (!p.isBlank()) {
                        providers.add(p.trim());
                    }
                }
            }
            providers.add(ENV_PROVIDER);
            out.setProperty(PROVIDERS, String.join(",", providers));
            out.setProperty(PROVIDERS + "." + ENV_PROVIDER + ".class", ENV_PROVIDER_CLASS);
        }
        return out;
    }
}
