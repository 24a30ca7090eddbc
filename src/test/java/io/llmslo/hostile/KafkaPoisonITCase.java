package io.llmslo.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.cli.JobRunner;
import io.llmslo.config.JobConfig;
import io.llmslo.event.Envelope;
import io.llmslo.pipeline.LlmSloJob;
import io.llmslo.sim.Scenario;
import io.llmslo.sim.TrafficSimulator;
import io.llmslo.source.EventSources;
import io.llmslo.testing.KafkaBroker;
import io.llmslo.testing.Postgres;
import io.llmslo.testing.Tables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison records in the middle of a Kafka partition (invalid UTF-8, a tombstone, year 9999,
 * Long.MAX_VALUE, duplicate keys, 1e308, a record from a day after the wall clock) on a real
 * in-JVM broker: the job reads past them, each is a dead letter, and every later record is
 * counted: the tables equal a run over the same topics without the poison.
 */
class KafkaPoisonITCase {

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir
    static Path dir;

    static List<byte[]> poison() {
        long tomorrow = System.currentTimeMillis() + 86_400_000L;
        List<byte[]> p = new ArrayList<>();
        p.add(new byte[] {'{', '"', 'r', (byte) 0xFF, '"', '}'});
        p.add(null); // a tombstone
        p.add(HostileCorpus.response("kp-9999", "\"9999-12-31T23:59:59Z\"", "").getBytes(StandardCharsets.UTF_8));
        p.add(HostileCorpus.response("kp-max", "9223372036854775807", "").getBytes(StandardCharsets.UTF_8));
        p.add(HostileCorpus.response("kp-dup", "\"2026-10-01T12:00:00Z\"", ",\"outcome\":\"error\"").getBytes(StandardCharsets.UTF_8));
        p.add(HostileCorpus.response("kp-big", "\"2026-10-01T12:00:00Z\"", ",\"x\":1").replace("\"cost_usd\":0.001", "\"cost_usd\":1e308")
                .getBytes(StandardCharsets.UTF_8));
        p.add(HostileCorpus.response("kp-tomorrow", String.valueOf(tomorrow), "").getBytes(StandardCharsets.UTF_8));
        return p;
    }

    @Test
    void poisonMidPartitionIsSkippedAndLaterRecordsCount() throws Exception {
        Path sim = Files.createDirectories(dir.resolve("sim"));
        TrafficSimulator.run(Scenario.parse("""
                start: 2026-10-01T00:00:00Z
                days: 1
                requests_per_day: 400
                seed: 3
                invalid_rate: 0
                """, "kafka-poison.yaml"), sim);
        for (String set : List.of("clean", "poison")) {
            KAFKA.createTopics(1, set + ".responses", set + ".feedback", set + ".ratings");
            for (String kind : List.of("responses", "feedback", "ratings")) {
                List<String> lines = Files.readAllLines(sim.resolve(kind + ".jsonl"));
                List<byte[]> values = new ArrayList<>();
                for (int i = 0; i < lines.size(); i++) {
                    if (set.equals("poison") && kind.equals("responses") && i == lines.size() / 2) {
                        values.addAll(poison()); // the middle of the only partition
                    }
                    values.add(lines.get(i).getBytes(StandardCharsets.UTF_8));
                }
                produce(set + "." + kind, values);
            }
        }
        String clean = "jdbc:sqlite:" + dir.resolve("clean.db");
        String poisoned = "jdbc:sqlite:" + dir.resolve("poison.db");
        run(job("clean", clean));
        run(job("poison", poisoned));

        for (String table : List.of("slo_status", "slo_history", "slo_alerts")) {
            assertThat(Postgres.rows(poisoned, table)).as(table).isEqualTo(Postgres.rows(clean, table));
        }
        assertThat(Postgres.rows(clean, "slo_history")).isNotEmpty();
        List<Map<String, Object>> dead = Tables.rows(poisoned, "SELECT reason, payload FROM dead_letters ORDER BY reason");
        List<String> reasons = dead.stream().map(r -> String.valueOf(r.get("reason"))).toList();
        System.out.println("kafka poison dead letters: " + reasons);
        assertThat(reasons).hasSize(poison().size())
                .anyMatch(r -> r.startsWith("not valid UTF-8"))
                .anyMatch(r -> r.startsWith("empty record")) // the tombstone
                .anyMatch(r -> r.startsWith("future: field 'ts' 9999"))
                .anyMatch(r -> r.startsWith("future: field 'ts' +292278994"))
                .anyMatch(r -> r.startsWith("not valid JSON: Duplicate"))
                .anyMatch(r -> r.startsWith("field 'cost_usd'"))
                .anyMatch(r -> r.contains("event_time.max_future"));
    }

    static JobConfig job(String prefix, String url) {
        return JobConfig.parse("kafka-poison.yaml", """
                name: kafka-poison
                parallelism: 2
                sources:
                  type: kafka
                  bootstrap_servers: %s
                  group_id: kp-%s
                  starting_offsets: earliest
                  topics: {responses: %2$s.responses, feedback: %2$s.feedback, ratings: %2$s.ratings}
                judge: {enabled: false}
                output:
                  jdbc_url: "%3$s"
                  history_interval: 1h
                """.formatted(KAFKA.bootstrapServers(), prefix, url));
    }

    static void run(JobConfig cfg) throws Exception {
        JobRunner.createTables(cfg);
        StreamExecutionEnvironment env = JobRunner.environment(cfg);
        DataStream<Envelope> events = EventSources.create(env, cfg, OffsetsInitializer.latest());
        LlmSloJob.build(cfg, events, JobRunner.jdbcSinks(cfg), null);
        env.execute("kafka-poison " + cfg.name);
    }

    /** Raw bytes, one request in flight and every send checked, as KafkaBroker#producer explains. */
    static void produce(String topic, List<byte[]> values) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (byte[] v : values) {
                sent.add(producer.send(new ProducerRecord<>(topic, null, v)));
            }
            producer.flush();
        }
        for (Future<RecordMetadata> f : sent) {
            f.get(); // a lost record would only show as a count that differs
        }
    }
}
