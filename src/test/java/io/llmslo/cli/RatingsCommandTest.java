package io.llmslo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.testing.KafkaBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ratings publish} against a real in-JVM Kafka broker. */
class RatingsCommandTest {

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @TempDir
    Path dir;

    @BeforeAll
    static void topics() throws Exception {
        KAFKA.createTopics(2, "ratings-good", "ratings-bad");
    }

    record Run(int exit, String out, String err) {}

    static Run ratings(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new RatingsCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static String rating(String id, int score) {
        return "{\"request_id\":\"" + id + "\",\"ts\":\"2026-10-01T10:00:00Z\",\"rater_id\":\"r1\","
                + "\"rubric\":\"helpfulness\",\"rubric_version\":3,\"score\":" + score + "}";
    }

    @Test
    void anyBadLineIsReportedWithFileAndLineAndNothingIsPublished() throws Exception {
        Path f = dir.resolve("ratings.jsonl");
        Files.write(f, List.of(
                rating("a", 5),
                "{\"request_id\":\"b\",\"ts\":\"2026-10-01T10:00:00Z\",\"score\":9}",
                "",
                rating("c", 4),
                "not json",
                "{\"ts\":\"2026-10-01T10:00:00Z\",\"score\":3}"));

        Run r = ratings("publish", "--file", f.toString(), "--bootstrap", KAFKA.bootstrapServers(),
                "--topic", "ratings-bad");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(f + ":2: field 'score': expected an integer from 1 to 5, got 9")
                .contains(f + ":5: not valid JSON")
                .contains(f + ":6: missing required field 'request_id'")
                .doesNotContain(f + ":1:").doesNotContain(f + ":3:").doesNotContain(f + ":4:")
                .contains("3 invalid line(s)");
        assertThat(r.out()).isEmpty();
        assertThat(KAFKA.endOffsets("ratings-bad").values()).containsOnly(0L);
    }

    @Test
    void aValidFileIsPublishedInOneTransactionKeyedByRequestId() throws Exception {
        Path f = dir.resolve("ratings.jsonl");
        Files.write(f, List.of(rating("req-1", 5), rating("req-2", 2), "", rating("req-3", 4)));

        Run r = ratings("publish", "--file", f.toString(), "--bootstrap", KAFKA.bootstrapServers(),
                "--topic", "ratings-good");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("published 3 ratings to ratings-good");
        List<ConsumerRecord<String, String>> got = KAFKA.consume("ratings-good", 3, Duration.ofSeconds(20));
        assertThat(got).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("req-1", "req-2", "req-3");
        assertThat(got).allSatisfy(rec -> assertThat(rec.value()).contains("\"request_id\":\"" + rec.key() + "\""));
    }

    @Test
    void anUnsetSecretVariableIsNamedAndNothingIsSent() throws Exception {
        Path f = dir.resolve("ratings.jsonl");
        Files.write(f, List.of(rating("x", 5)));

        Run r = ratings("publish", "--file", f.toString(), "--bootstrap", KAFKA.bootstrapServers(),
                "--topic", "ratings-bad", "-X", "sasl.jaas.config=password=\"${LLMSLO_SURELY_UNSET_VAR}\"");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("LLMSLO_SURELY_UNSET_VAR");
        assertThat(KAFKA.endOffsets("ratings-bad").values()).containsOnly(0L);
    }
}
