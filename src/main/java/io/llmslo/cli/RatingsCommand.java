package io.llmslo.cli;

import io.llmslo.config.ConfigException;
import io.llmslo.event.Envelope;
import io.llmslo.event.EventKind;
import io.llmslo.event.EventParser;
import io.llmslo.source.KafkaClientProperties;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ratings publish}: human ratings from the rater tool's export onto {@code llm.ratings}. */
@Command(name = "ratings", mixinStandardHelpOptions = true,
        description = "Human rater scores (DESIGN §2 'rating' events).",
        subcommands = {RatingsCommand.Publish.class})
public class RatingsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /**
     * Validates the whole file first and publishes all of it or nothing: a half-published file
     * would be hard to repair, since re-publishing it duplicates the ratings already sent.
     */
    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = {
                "Validates every line of a JSONL file as a rating; publishes all of them in one Kafka",
                "transaction, keyed by request_id, or, if any line is invalid, reports every bad line",
                "as file:line: reason and publishes nothing.",
                "",
                "The review loop: the job writes the requests people should rate to the review_queue",
                "table (and the llm.review_queue topic), each with the probability it was picked with;",
                "the rater tool shows those requests (it fetches their text by request_id), exports the",
                "ratings as JSONL and publishes them here. The job joins each rating to its judge score",
                "by request_id, weighs it by 1 / probability, and the pairs correct the judge",
                "(slo_status.judge_corrected) and calibrate it (judge_calibration)."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:all ratings published", "1:invalid lines (nothing published) or Kafka error",
                "2:usage, or a property names an unset environment variable"})
    public static class Publish implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--file", required = true, paramLabel = "<jsonl>", description = "One rating per line.")
        Path file;

        @Option(names = "--bootstrap", required = true, paramLabel = "<servers>",
                description = "Kafka bootstrap servers, host:port[,host:port…].")
        String bootstrap;

        @Option(names = "--topic", defaultValue = "llm.ratings", paramLabel = "<topic>",
                description = "Target topic (default: ${DEFAULT-VALUE}).")
        String topic;

        @Option(names = {"-X", "--producer-property"}, paramLabel = "<key=value>",
                description = {"Extra producer property, e.g. security.protocol=SASL_SSL; repeatable.",
                    "Secrets as ${ENV_VAR}: resolved by the Kafka client, never printed."})
        Map<String, String> producerProperties = new LinkedHashMap<>();

        @Option(names = "--timeout", defaultValue = "60", paramLabel = "<seconds>",
                description = "Give up on the broker after this long (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        /** A valid line: the record key and the original text (published verbatim). */
        record Line(String requestId, String json) {}

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<Line> lines = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            try {
                validate(file, lines, problems);
            } catch (IOException e) {
                err.println(file + ": cannot read: " + e.getMessage());
                err.flush();
                return 1;
            }
            if (!problems.isEmpty()) {
                problems.forEach(err::println);
                err.println(problems.size() + " invalid line(s) in " + file + "; nothing published");
                err.flush();
                return 1;
            }
            try {
                publish(lines);
            } catch (ConfigException e) {
                err.println("ratings publish: " + e.getMessage() + "; nothing published");
                err.flush();
                return 2;
            } catch (KafkaException | IllegalStateException e) {
                // Kafka's messages name brokers, topics and config keys, never config values
                err.println("ratings publish: " + e.getClass().getSimpleName() + ": " + e.getMessage()
                        + "; the transaction was aborted, nothing published");
                err.flush();
                return 1;
            }
            out.println("published " + lines.size() + " ratings to " + topic);
            out.flush();
            return 0;
        }

        /** Every line through the job's own parser, so what passes here passes in the job. */
        static void validate(Path file, List<Line> valid, List<String> problems) throws IOException {
            EventParser parser = new EventParser();
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String text;
                int n = 0;
                while ((text = r.readLine()) != null) {
                    n++;
                    if (text.isBlank()) {
                        continue; // as in the job's JSONL reader
                    }
                    Envelope e = parser.parse(EventKind.RATING, text);
                    if (e.isDead()) {
                        problems.add(file + ":" + n + ": " + e.deadLetter().reason());
                    } else {
                        valid.add(new Line(e.requestId(), text));
                    }
                }
            }
        }

        private void publish(List<Line> lines) {
            Properties props = KafkaClientProperties.translate(producerProperties, System.getenv(), "--producer-property");
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            // one-shot transactional id: all lines become visible together, or none do
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "llm-slo-ratings-publish-" + UUID.randomUUID());
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeoutSeconds * 1000L));
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(timeoutSeconds * 1000L));
            props.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.min(30_000L,
                    timeoutSeconds * 1000L)));
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
                producer.initTransactions();
                producer.beginTransaction();
                try {
                    for (Line l : lines) {
                        producer.send(new ProducerRecord<>(topic, l.requestId(), l.json()));
                    }
                    producer.commitTransaction();
                } catch (KafkaException e) {
                    try {
                        producer.abortTransaction();
                    } catch (KafkaException ignored) {
                        // the broker aborts it on the transaction timeout anyway
                    }
                    throw e;
                }
            }
        }
    }
}
