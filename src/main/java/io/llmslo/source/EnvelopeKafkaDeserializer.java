package io.llmslo.source;

import io.llmslo.event.Envelope;
import io.llmslo.event.EventKind;
import io.llmslo.event.EventParser;
import io.llmslo.event.EventTimeBounds;
import io.llmslo.event.TextPolicy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses Kafka records into envelopes inside the source, so per-partition watermarks come from
 * the events' own {@code ts}. A record that does not parse becomes a dead letter, never an
 * exception: an exception here fails the split fetcher, and after the restore the same record
 * is read again, a crash loop. The wall clock bounds {@code ts} from above
 * ({@code event_time.max_future}): on a live stream, "the future" means something.
 */
public final class EnvelopeKafkaDeserializer implements KafkaRecordDeserializationSchema<Envelope> {

    private final EventKind kind;
    private final EventParser parser;

    public EnvelopeKafkaDeserializer(EventKind kind) {
        this(kind, EventTimeBounds.defaults());
    }

    public EnvelopeKafkaDeserializer(EventKind kind, EventTimeBounds bounds) {
        this(kind, bounds, TextPolicy.KEEP_ALL);
    }

    /** @param text which responses keep their text past the source (the job's {@code TextDrop}) */
    public EnvelopeKafkaDeserializer(EventKind kind, EventTimeBounds bounds, TextPolicy text) {
        this.kind = kind;
        this.parser = new EventParser(bounds, text);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Envelope> out) {
        // a tombstone (null value) is an empty record: a dead letter like any other bad one
        out.collect(parser.parse(kind, record.value(), System.currentTimeMillis()));
    }

    @Override
    public TypeInformation<Envelope> getProducedType() {
        return TypeInformation.of(Envelope.class);
    }
}
