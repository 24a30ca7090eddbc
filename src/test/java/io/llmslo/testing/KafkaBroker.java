package io.llmslo.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real single-node KRaft Kafka (one combined broker + controller) inside the test JVM, on
 * loopback. Register as a static {@code @RegisterExtension} field: started once per test class
 * (~1.5 s), stopped and deleted after it. Also usable without JUnit via {@link #start()} and
 * {@link #close()}.
 *
 * <p>Every replication factor and min-ISR is 1, so consumer groups and transactions work with a
 * single broker.
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    private KafkaClusterTestKit cluster;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    public KafkaBroker start() throws Exception {
        if (cluster != null) {
            return this;
        }
        KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "2")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "2")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .build();
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
        cluster = kit;
        return this;
    }

    @Override
    public void close() throws Exception {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(p);
    }

    public void createTopics(int partitions, String... topics) throws Exception {
        try (Admin admin = admin()) {
            List<NewTopic> nt = new ArrayList<>();
            for (String t : topics) {
                nt.add(new NewTopic(t, partitions, (short) 1));
            }
            admin.createTopics(nt).all().get();
            awaitLeaders(admin, List.of(topics));
        }
    }

    /** Waits until every partition of the topics has a leader: a test's first sends must not race the creation. */
    private static void awaitLeaders(Admin admin, List<String> topics) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            boolean ready;
            try {
                ready = admin.describeTopics(topics).allTopicNames().get().values().stream()
                        .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.isr().isEmpty()));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                ready = false; // created, but not yet in the broker's metadata
            }
            if (ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("topics " + topics + " have a partition without a leader after 60 s");
            }
            Thread.sleep(50);
        }
    }

    /**
     * An idempotent producer of UTF-8 strings, acks=all, one request in flight per connection.
     * With the client's default of five in flight, a loaded machine sometimes left a partition's
     * batches unanswered until the 120 s delivery timeout expired them: records lost before any
     * job read them, always a partition's first batch or batches ({@code KafkaProduceLossBench}
     * counts it). KafkaToPostgresITCase's savepoint test failed in CI that way.
     */
    public KafkaProducer<String, String> producer() {
        return producer(1);
    }

    /** As {@link #producer()}, with {@code maxInFlight} requests in flight per connection. */
    public KafkaProducer<String, String> producer(int maxInFlight) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, String.valueOf(maxInFlight));
        return new KafkaProducer<>(p);
    }

    /**
     * Sends every value keyed by {@code key.apply(value)} and waits until all are acknowledged;
     * throws if any send failed (a lost record would otherwise only show up as a table that
     * differs from its reference).
     */
    public void produce(String topic, List<String> values, Function<String, String> key) throws Exception {
        produce(producer(), topic, values, key);
    }

    /** As above, with the given producer, which this closes. */
    public void produce(KafkaProducer<String, String> client, String topic, List<String> values,
            Function<String, String> key) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>(values.size());
        try (KafkaProducer<String, String> producer = client) {
            awaitLeaders(producer, topic);
            for (String v : values) {
                sent.add(producer.send(new ProducerRecord<>(topic, key.apply(v), v)));
            }
            producer.flush();
        }
        int failed = 0;
        Exception first = null;
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get();
            } catch (ExecutionException e) {
                failed++;
                first = first == null ? e : first;
            }
        }
        if (failed > 0) {
            throw new AssertionError(failed + " of " + values.size() + " records to " + topic + " were not written", first);
        }
    }

    /** The producer's own metadata must know every partition's leader before the first send. */
    private static void awaitLeaders(KafkaProducer<?, ?> producer, String topic) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!producer.partitionsFor(topic).stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the producer sees a partition of " + topic + " without a leader after 60 s");
            }
            Thread.sleep(50);
        }
    }

    /** Reads a topic from the beginning until {@code expected} records arrived or the timeout passed. */
    public List<ConsumerRecord<String, String>> consume(String topic, int expected, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(),
                            r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                            r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8)));
                }
            }
        }
        return out;
    }

    /** Log-end offsets of every partition of the topics. */
    public Map<TopicPartition, Long> endOffsets(String... topics) throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetSpec> req = new HashMap<>();
            for (var d : admin.describeTopics(List.of(topics)).allTopicNames().get().values()) {
                d.partitions().forEach(p -> req.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> res = admin.listOffsets(req).all().get();
            return res.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }

    /** Offsets the group has committed (Flink's Kafka source commits them on checkpoints). */
    public Map<TopicPartition, Long> committedOffsets(String group) throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> m =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> out = new HashMap<>();
            m.forEach((tp, om) -> {
                if (om != null) {
                    out.put(tp, om.offset());
                }
            });
            return out;
        }
    }

    /**
     * Waits until {@code group} has committed the log-end offset of every non-empty partition of
     * the topics, i.e. a completed checkpoint covers everything produced so far.
     */
    public void awaitCaughtUp(String group, Duration timeout, String... topics) throws Exception {
        Map<TopicPartition, Long> end = endOffsets(topics);
        end.values().removeIf(o -> o == 0L);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<TopicPartition, Long> committed = committedOffsets(group);
            boolean done = end.entrySet().stream()
                    .allMatch(e -> committed.getOrDefault(e.getKey(), -1L) >= e.getValue());
            if (done) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("group " + group + " did not catch up within " + timeout
                        + ": end " + end + ", committed " + committed);
            }
            Thread.sleep(200);
        }
    }

    public Set<String> topics() throws Exception {
        try (Admin admin = admin()) {
            return admin.listTopics().names().get();
        }
    }
}
