package io.llmslo.source;

import io.llmslo.event.Envelope;
import io.llmslo.event.EventKind;
import io.llmslo.event.EventParser;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses Kafka records into envelopes inside the source, so per-partition watermarks come from
 * the events' own {@code ts}. A record that does not parse becomes a dead letter, never an
 * exception that restarts the job.
 */
public final class EnvelopeKafkaDeserializer implements KafkaRecordDeserializationSchema<Envelope> {

    private final EventKind kind;
    private final EventParser parser = new EventParser();

    public EnvelopeKafkaDeserializer(EventKind kind) {
        this.kind = kind;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Envelope> out) {
        String text = record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8);
        out.collect(parser.parse(kind, text));
    }

    @Override
    public TypeInformation<Envelope> getProducedType() {
        return TypeInformation.of(Envelope.class);
    }
}
