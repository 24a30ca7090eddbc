package io.llmslo.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Records as one JSON object per Kafka record, keyed so that all records of one entity land on one
 * partition, in order; at-least-once with an idempotent producer (flushed on every checkpoint), so
 * consumers dedupe on the record's natural key. The alert topic and the review-queue topic use it.
 */
public final class JsonKafkaSink {

    /** The record key of a value. */
    public interface KeyOf<T> extends Serializable {
        String key(T value);
    }

    /** The record value: JSON, snake_case like the tables. */
    public interface ToJson<T> extends Serializable {
        String json(ObjectMapper mapper, T value);
    }

    private JsonKafkaSink() {}

    public static <T> KafkaSink<T> create(String bootstrapServers, String topic, Properties clientProperties,
            KeyOf<T> key, ToJson<T> json) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        // no duplicates from the producer's own retries; acks=all is implied by idempotence
        props.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(props)
                .setRecordSerializer(new Serializer<>(topic, key, json))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    static final class Serializer<T> implements KafkaRecordSerializationSchema<T> {

        private final String topic;
        private final KeyOf<T> key;
        private final ToJson<T> json;
        private transient ObjectMapper mapper;

        Serializer(String topic, KeyOf<T> key, ToJson<T> json) {
            this.topic = topic;
            this.key = key;
            this.json = json;
        }

        @Override
        public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
            mapper = new ObjectMapper();
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(T value, KafkaSinkContext context, Long timestamp) {
            if (mapper == null) {
                mapper = new ObjectMapper();
            }
            // record timestamp = send time: a replay of old traffic must not publish records
            // that time-based retention deletes at once; event times are in the value
            return new ProducerRecord<>(topic, null, null, key.key(value).getBytes(StandardCharsets.UTF_8),
                    json.json(mapper, value).getBytes(StandardCharsets.UTF_8));
        }
    }
}
