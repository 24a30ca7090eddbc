package io.llmslo.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmslo.slo.AlertEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

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
        Properties props = new Properties();
        props.putAll(clientProperties);
        // no duplicates from the producer's own retries; acks=all is implied by idempotence
        props.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        return KafkaSink.<AlertEvent>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(props)
                .setRecordSerializer(new Serializer(topic))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
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

    static final class Serializer implements KafkaRecordSerializationSchema<AlertEvent> {

        private final String topic;
        private transient ObjectMapper mapper;

        Serializer(String topic) {
            this.topic = topic;
        }

        @Override
        public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
            mapper = new ObjectMapper();
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(AlertEvent a, KafkaSinkContext context, Long timestamp) {
            if (mapper == null) {
                mapper = new ObjectMapper();
            }
            // record timestamp = send time: a replay of old traffic must not publish records
            // that time-based retention deletes at once; the event time is "at" in the value
            return new ProducerRecord<>(topic, null, null, key(a).getBytes(StandardCharsets.UTF_8),
                    json(mapper, a).getBytes(StandardCharsets.UTF_8));
        }
    }
}
