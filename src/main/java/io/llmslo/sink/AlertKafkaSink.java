package io.llmslo.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmslo.slo.AlertEvent;
import java.time.Instant;
import java.util.Properties;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * Alert transitions on a Kafka topic ({@code output.alerts_topic}, conventionally
 * {@code slo.alerts}) for pagers and chat bots: one JSON object per transition, keyed by
 * {@code slo|cohort} so all transitions of one series land on one partition, in order.
 *
 * <p>At-least-once is enough: a transition is identified by (slo, cohort, severity, state, at),
 * the primary key of {@code slo_alerts}, and a consumer that dedupes on it sees each transition
 * once. A restore from a checkpoint can re-send transitions emitted after that checkpoint, never
 * lose one (the producer is flushed on every checkpoint).
 */
public final class AlertKafkaSink {

    private AlertKafkaSink() {}

    /**
     * @param clientProperties security and tuning properties (see
     *     {@code KafkaClientProperties}); secrets as {@code ${env:NAME}} references
     */
    public static KafkaSink<AlertEvent> create(String bootstrapServers, String topic, Properties clientProperties) {
        return JsonKafkaSink.create(bootstrapServers, topic, clientProperties, AlertKafkaSink::key, AlertKafkaSink::json);
    }

    /** The record key: all transitions of a series on one partition. */
    public static String key(AlertEvent a) {
        return a.slo() + "|" + a.cohort();
    }

    /**
     * The record value, snake_case like the table: {@code {"slo", "cohort", "severity", "state",
     * "at" (ISO-8601 UTC), "long_window", "short_window", "burn_long", "burn_short", "p_value", "n"}}.
     */
    public static String json(ObjectMapper mapper, AlertEvent a) {
        ObjectNode n = mapper.createObjectNode();
        n.put("slo", a.slo());
        n.put("cohort", a.cohort());
        n.put("severity", a.severity());
        n.put("state", a.state());
        n.put("at", Instant.ofEpochMilli(a.at()).toString());
        n.put("long_window", a.longWindow());
        n.put("short_window", a.shortWindow());
        putNumber(n, "burn_long", a.burnLong());
        putNumber(n, "burn_short", a.burnShort());
        putNumber(n, "p_value", a.pValue());
        n.put("n", a.n());
        return n.toString();
    }

    private static void putNumber(ObjectNode n, String field, Double v) {
        if (v == null || v.isNaN() || v.isInfinite()) {
            n.putNull(field); // JSON has no NaN/Infinity
        } else {
            n.put(field, v);
        }
    }
}
