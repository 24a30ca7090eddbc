package io.llmslo.testing;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Slows a Kafka consumer down from the inside: {@code onConsume} runs in the consumer's
 * {@code poll()}, i.e. in the Flink Kafka source's fetcher thread, and sleeps a fixed time per
 * record while {@link #delayMicros} is positive. Plugged in through the job file's
 * {@code sources.properties} ({@code interceptor.classes}), so the job under test keeps its real
 * sources; a MiniCluster runs in the test JVM, so the static switch reaches every consumer.
 *
 * <p>Slowing the source, not an operator behind it, keeps the network buffers nearly empty:
 * checkpoint barriers are not queued behind thousands of buffered records.
 *
 * <p>It is a (pass-through) producer interceptor too: the job hands the same client properties
 * to its alert-topic producer.
 */
public final class SlowConsumerInterceptor
        implements ConsumerInterceptor<Object, Object>, ProducerInterceptor<Object, Object> {

    /** Sleep per consumed record, in microseconds; 0 reads at full speed. */
    public static volatile long delayMicros;

    @Override
    public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
        long micros = delayMicros * records.count();
        if (micros > 0) {
            try {
                Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the fetcher is being shut down
            }
        }
        return records;
    }

    @Override
    public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {}

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

    @Override
    public void close() {}

    @Override
    public void configure(Map<String, ?> configs) {}
}
