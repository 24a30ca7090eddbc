package io.llmslo.config;

import io.llmslo.event.EventTimeBounds;
import io.llmslo.slo.CohortValueGuard;
import io.llmslo.slo.SloCatalog;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A job file ({@code jobs/*.yaml}), read and validated in full before the job is built, so a bad
 * key fails at submit time with the file, the key and what was expected.
 */
public final class JobConfig implements Serializable {

    public final String file;
    public final String name;
    public final int parallelism;
    public final Sources sources;
    public final EventTime eventTime;
    public final Join join;
    public final Sampling sampling;
    public final Judge judge;
    /** {@code judge.calibration}: the rolling calibration window and the pairs it needs to know. */
    public final Calibration calibration;
    /** {@code judge.review_queue}: which judged requests people are asked to rate. */
    public final Review review;
    /** The decoupled judge of unbounded jobs (DESIGN §5); null: the judge, if enabled, runs inline. */
    public final JudgeQueue judgeQueue;
    public final List<List<String>> groupingSets;
    /** cohorts.max_values / max_tracked / values: the cap on each dimension's distinct values. */
    public final CohortValueGuard cohortGuard;
    public final SloCatalog slo;
    public final Output output;
    public final State state;
    /** Alert transitions to Alertmanager ({@code alertmanager:}), or null. */
    public final io.llmslo.sink.AlertmanagerSettings alertmanager;
    /** {@code metrics.prometheus_port}: Flink's Prometheus reporter for local runs, or null (off). */
    public final String prometheusPort;
    /** " (line l, column c)" of the keys {@link #checkFiles()} reports on. */
    private final HashMap<String, String> where = new HashMap<>();

    /** Where the three streams come from: JSONL files (bounded) or Kafka topics (unbounded). */
    public record Sources(
            String type,
            String responses,
            String feedback,
            String ratings,
            String bootstrapServers,
            String groupId,
            String startingOffsets,
            HashMap<String, String> properties)
            implements Serializable {
        public boolean kafka() {
            return "kafka".equals(type);
        }
    }

    /**
     * @param bounds plausible event times (earliest, latest, max_future), see EventTimeBounds
     * @param maxJump files: a record this far ahead of its neighbours is {@code future}
     */
    public record EventTime(Duration outOfOrderness, Duration allowedLateness, Duration idleness,
            EventTimeBounds bounds, Duration maxJump)
            implements Serializable {}

    public record Join(Duration acceptanceWindow, Duration maxRatingDelay) implements Serializable {}

    public record Sampling(double rate, HashMap<String, Double> perSurface, int minPerCohortHour)
            implements Serializable {
        public double rateFor(String surface) {
            Double r = surface == null ? null : perSurface.get(surface);
            return r == null ? rate : r;
        }
    }

    /** The LLM judge; {@code apiKeyEnv} names an environment variable, never the key itself. */
    public record Judge(
            boolean enabled,
            String provider,
            String baseUrl,
            String model,
            String apiKeyEnv,
            Duration timeout,
            int maxTokens,
            int capacity,
            int maxConcurrency,
            double rateLimitPerSecond,
            int maxRetries,
            Duration retryBackoff,
            double circuitFailureRate,
            Duration circuitOpenFor,
            String rubricsDir,
            HashMap<String, String> rubricBySurface)
            implements Serializable {}

    /**
     * The judge off the SLO path (Kafka jobs): sampled requests to {@code requestsTopic}, a judge
     * worker, scores back on {@code scoresTopic}; a request waiting longer than {@code maxBacklog}
     * (processing time since it was written) is shed as a {@code shed_backlog} judge error.
     */
    public record JudgeQueue(String requestsTopic, String scoresTopic, Duration maxBacklog) implements Serializable {}

    /** Judge calibration: a rolling {@code window} per (rubric, version, judge model); {@code minPairs} to know. */
    public record Calibration(Duration window, int minPairs) implements Serializable {}

    /**
     * The human-review queue ({@link io.llmslo.judge.ReviewQueue}): {@code minPairs} rated requests
     * wanted per stratum and {@code window}; {@code topic} (Kafka jobs) carries the queue to the
     * rater tool.
     */
    public record Review(boolean enabled, int minPairs, Duration window, double minRate, double uncertainBoost,
            ArrayList<String> strata, String topic, boolean weightRatings) implements Serializable {}

    public record Output(
            String jdbcUrl,
            String jdbcUser,
            String jdbcPasswordEnv,
            Duration historyInterval,
            int batchSize,
            Duration flushInterval,
            String alertsTopic)
            implements Serializable {
        public boolean sqlite() {
            return jdbcUrl.startsWith("jdbc:sqlite:");
        }
    }

    public record State(
            String backend,
            boolean incremental,
            String checkpointDir,
            Duration checkpointInterval,
            boolean exactlyOnce)
            implements Serializable {}

    private JobConfig(String file, ConfigNode root) {
        this.file = file;
        root.allowOnly("name", "parallelism", "sources", "event_time", "join", "sampling", "judge",
                "cohorts", "slo", "output", "state",
                "alertmanager", "metrics");
        this.name = root.string("name", fileStem(file), NAME, "a name of letters, digits, _ . - (at most 100)");
        this.parallelism = root.integer("parallelism", 2, 1, 1024);
        this.sources = sources(root.get("sources"));
        this.eventTime = eventTime(root.get("event_time"));
        this.join = join(root.get("join"));
        this.sampling = sampling(root.get("sampling"));
        this.judge = judge(root.get("judge"));
        this.calibration = calibration(root.get("judge").get("calibration"));
        this.review = review(root.get("judge").get("review_queue"));
        this.judgeQueue = judgeQueue(root.get("judge"), sources, judge);
        this.groupingSets = cohorts(root.get("cohorts"));
        this.cohortGuard = cohortGuard(root.get("cohorts"), groupingSets);
        this.slo = SloCatalog.fromConfig(root.get("slo"));
        this.output = output(root.get("output"));
        this.state = state(root.get("state"));
        this.alertmanager = io.llmslo.sink.AlertmanagerSettings.fromConfig(root.get("alertmanager"));
        ConfigNode metrics = root.get("metrics");
        metrics.allowOnly("prometheus_port");
        this.prometheusPort = metrics.string("prometheus_port", null);
        if (prometheusPort != null && !prometheusPort.matches("\\d{1,5}(-\\d{1,5})?")) {
            throw metrics.error("prometheus_port", "a port or a port range like 9249 or 9249-9259");
        }
        for (String key : List.of("sources.responses", "sources.feedback", "sources.ratings", "output.jdbc_url")) {
            String[] part = key.split("\\.");
            where.put(key, root.get(part[0]).get(part[1]).where());
        }
    }

    /**
     * What a file cannot show by itself: the input files of a files source exist and are readable,
     * and a SQLite database's directory exists. Called before a job is built, so a typo in a path
     * is a configuration error naming the key, not an engine stack trace.
     */
    public void checkFiles() {
        if (!sources.kafka()) {
            checkReadable("sources.responses", sources.responses());
            checkReadable("sources.feedback", sources.feedback());
            checkReadable("sources.ratings", sources.ratings());
        }
        if (output.sqlite()) {
            String db = output.jdbcUrl().substring("jdbc:sqlite:".length());
            if (db.startsWith("file:")) {
                db = db.substring("file:".length()).replaceAll("\\?.*$", "");
            }
            if (!db.isEmpty() && !db.startsWith(":memory:")) {
                Path dir = Path.of(db).toAbsolutePath().getParent();
                if (dir != null && !Files.isDirectory(dir)) {
                    throw ConfigException.at(file, "output.jdbc_url", "a SQLite file in an existing directory",
                            output.jdbcUrl(), ": no directory " + dir + where.get("output.jdbc_url"));
                }
            }
        }
    }

    private void checkReadable(String key, String path) {
        if (path == null) {
            return;
        }
        Path p = Path.of(path);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw ConfigException.at(file, key, "a readable JSONL file", path, ": "
                    + (Files.exists(p) ? "not a readable file" : "no such file")
                    + (p.isAbsolute() ? "" : " in " + Path.of("").toAbsolutePath()) + where.get(key));
        }
    }

    public static JobConfig load(Path path) {
        String file = path.toString();
        if (!Files.isRegularFile(path)) {
            throw new ConfigException(file + ": no such job file");
        }
        try {
            return parse(file, Files.readString(path));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
    }

    public static JobConfig parse(String file, String yaml) {
        ConfigNode root = YamlDocument.parse(file, yaml);
        if (!root.raw().isObject()) {
            throw new ConfigException(file + ": expected a YAML map at the top level, got "
                    + (root.present() ? ConfigNode.describe(root.raw()) : "an empty document"));
        }
        return new JobConfig(file, root);
    }

    public boolean bounded() {
        return !sources.kafka();
    }

    /** Keys every source type takes, and the keys of each type: any other key is an error. */
    private static final List<String> FILE_KEYS = List.of("type", "responses", "feedback", "ratings");
    private static final List<String> KAFKA_KEYS = List.of("type", "bootstrap_servers", "group_id",
            "starting_offsets", "properties", "topics");

    private static final String NAME = "[A-Za-z0-9_.-]{1,100}";
    /** Kafka's own rule for topic names. */
    private static final String TOPIC = "[A-Za-z0-9._-]{1,249}";
    private static final String TOPIC_WORDS = "a Kafka topic name (letters, digits, . _ -, at most 249)";
    private static final String SERVERS = "[^\\s,:]+:\\d{1,5}(,[^\\s,:]+:\\d{1,5})*";
    private static final String ENV_NAME = "[A-Za-z_][A-Za-z0-9_]*";

    private static Sources sources(ConfigNode s) {
        s.allowOnly(union(FILE_KEYS, KAFKA_KEYS));
        String type = s.string("type", "files");
        if (!type.equals("files") && !type.equals("kafka")) {
            throw s.error("type", "files or kafka");
        }
        // a Kafka key under type: files (or a file under type: kafka) would be silently ignored
        List<String> own = type.equals("files") ? FILE_KEYS : KAFKA_KEYS;
        for (String k : union(FILE_KEYS, KAFKA_KEYS)) {
            if (s.has(k) && !own.contains(k)) {
                throw s.get(k).fail("does not apply to sources.type: " + type + "; expected one of " + own);
            }
        }
        if (type.equals("files")) {
            return new Sources(type, s.requiredString("responses"), s.string("feedback", null),
                    s.string("ratings", null), null, null, null, new HashMap<>());
        }
        ConfigNode topics = s.get("topics");
        topics.allowOnly("responses", "feedback", "ratings");
        String offsets = s.string("starting_offsets", "committed");
        if (!offsets.matches("earliest|latest|committed|timestamp:\\d{1,15}")) {
            throw s.error("starting_offsets", "earliest, latest, committed or timestamp:<epoch ms>");
        }
        HashMap<String, String> props = new HashMap<>();
        for (Map.Entry<String, ConfigNode> e : s.entries("properties").entrySet()) {
            props.put(e.getKey(), e.getValue().asText());
        }
        String servers = s.requiredString("bootstrap_servers");
        if (!servers.matches(SERVERS)) {
            throw s.error("bootstrap_servers", "host:port[,host:port...]");
        }
        return new Sources(type, topics.string("responses", "llm.responses", TOPIC, TOPIC_WORDS),
                topics.string("feedback", "llm.feedback", TOPIC, TOPIC_WORDS),
                topics.string("ratings", "llm.ratings", TOPIC, TOPIC_WORDS),
                servers, s.string("group_id", "llm-slo"), offsets, props);
    }

    private static String[] union(List<String> a, List<String> b) {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(a);
        all.addAll(b);
        return all.toArray(String[]::new);
    }

    private static EventTime eventTime(ConfigNode e) {
        e.allowOnly("out_of_orderness", "allowed_lateness", "idleness", "earliest", "latest",
                "max_future", "max_jump");
        Instant earliest = instant(e, "earliest", EventTimeBounds.DEFAULT_EARLIEST);
        Instant latest = instant(e, "latest", EventTimeBounds.DEFAULT_LATEST);
        if (!latest.isAfter(earliest)) {
            throw e.error("latest", "an instant after event_time.earliest (" + earliest + ")");
        }
        EventTimeBounds bounds = new EventTimeBounds(earliest.toEpochMilli(), latest.toEpochMilli(),
                e.duration("max_future", EventTimeBounds.DEFAULT_MAX_FUTURE, Duration.ZERO, Duration.ofDays(366))
                        .toMillis());
        return new EventTime(e.duration("out_of_orderness", Duration.ofMinutes(2), Duration.ZERO, Duration.ofDays(1)),
                e.duration("allowed_lateness", Duration.ZERO, Duration.ZERO, Duration.ofDays(7)),
                e.duration("idleness", Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofDays(1)), bounds,
                e.duration("max_jump", Duration.ofDays(1), Duration.ofMinutes(1), Duration.ofDays(366)));
    }

    /** An ISO-8601 instant between the years 1970 and 9999. */
    private static Instant instant(ConfigNode n, String key, Instant def) {
        String text = n.string(key, null);
        if (text == null) {
            return def;
        }
        Instant i;
        try {
            i = Instant.parse(text);
        } catch (java.time.format.DateTimeParseException ex) {
            throw n.error(key, "an ISO-8601 instant, e.g. 2000-01-01T00:00:00Z");
        }
        if (i.isBefore(Instant.EPOCH) || i.isAfter(Instant.parse("9999-12-31T23:59:59Z"))) {
            throw n.error(key, "an ISO-8601 instant between 1970 and 9999, e.g. 2000-01-01T00:00:00Z");
        }
        return i;
    }

    private static Join join(ConfigNode j) {
        j.allowOnly("acceptance_window", "max_rating_delay");
        Join join = new Join(j.duration("acceptance_window", Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofDays(1)),
                j.duration("max_rating_delay", Duration.ofDays(8), Duration.ofMinutes(1), Duration.ofDays(90)));
        if (join.maxRatingDelay().compareTo(join.acceptanceWindow()) < 0) {
            throw j.error("max_rating_delay", "a duration at least acceptance_window ("
                    + join.acceptanceWindow() + ")");
        }
        return join;
    }

    private static Sampling sampling(ConfigNode s) {
        s.allowOnly("rate", "per_surface", "min_per_cohort_hour");
        HashMap<String, Double> per = new HashMap<>();
        for (Map.Entry<String, ConfigNode> e : s.entries("per_surface").entrySet()) {
            per.put(e.getKey(), e.getValue().asNumber(0, 1));
        }
        return new Sampling(s.number("rate", 0.05, 0, 1), per,
                s.integer("min_per_cohort_hour", 0, 0, 1_000_000));
    }

    private static Judge judge(ConfigNode j) {
        j.allowOnly("enabled", "provider", "base_url", "model", "api_key_env", "timeout",
                "max_tokens", "capacity", "max_concurrency", "rate_limit_per_second",
                "max_retries", "retry_backoff", "circuit_breaker", "rubrics_dir", "rubric_by_surface",
                "calibration", "review_queue", "decoupled", "requests_topic", "scores_topic", "max_backlog");
        String provider = j.string("provider", "offline");
        if (!List.of("offline", "openai", "anthropic", "ollama").contains(provider)) {
            throw j.error("provider", "one of offline, openai, anthropic, ollama");
        }
        String apiKeyEnv = j.string("api_key_env", null);
        if (apiKeyEnv != null && !apiKeyEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            // not j.error(...): that echoes the value, and a value that is no variable name is
            // most likely the key itself, which must not reach a log
            throw new ConfigException(j.file() + ": key '" + j.get("api_key_env").path()
                    + "' expected the NAME of an environment variable (never the key itself),"
                    + " got a value that is not a variable name (not shown: it may be a secret)");
        }
        ConfigNode cb = j.get("circuit_breaker");
        cb.allowOnly("failure_rate", "open_for");
        HashMap<String, String> bySurface = new HashMap<>();
        bySurface.put("chat", "helpfulness");
        bySurface.put("agent", "helpfulness");
        bySurface.put("batch", "helpfulness");
        bySurface.put("rag", "groundedness");
        for (Map.Entry<String, ConfigNode> e : j.entries("rubric_by_surface").entrySet()) {
            bySurface.put(e.getKey(), e.getValue().asText());
        }
        String defaultModel = switch (provider) {
            case "openai" -> "gpt-4o-mini";
            case "anthropic" -> "claude-3-5-haiku-latest";
            case "ollama" -> "llama3.1";
            default -> "e5-small-v2-anchors";
        };
        return new Judge(j.bool("enabled", true), provider, j.string("base_url", null, "https?://[^\\s]+", "an http:// or https:// URL"),
                j.string("model", defaultModel), apiKeyEnv,
                j.duration("timeout", Duration.ofSeconds(20), Duration.ofMillis(100), Duration.ofMinutes(10)),
                j.integer("max_tokens", 300, 16, 32_000), j.integer("capacity", 100, 1, 100_000),
                j.integer("max_concurrency", 8, 1, 10_000),
                j.number("rate_limit_per_second", 10, 0.001, 1_000_000),
                j.integer("max_retries", 3, 0, 20),
                j.duration("retry_backoff", Duration.ofMillis(500), Duration.ZERO, Duration.ofMinutes(10)),
                cb.number("failure_rate", 50, 1, 100),
                cb.duration("open_for", Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofHours(1)),
                j.string("rubrics_dir", "rubrics"), bySurface);
    }

    private static final List<String> QUEUE_KEYS = List.of("decoupled", "requests_topic", "scores_topic", "max_backlog");

    /** Kafka jobs judge off the SLO path unless {@code judge.decoupled: false}; file replays inline. */
    private static JudgeQueue judgeQueue(ConfigNode j, Sources sources, Judge judge) {
        if (!sources.kafka()) {
            for (String k : QUEUE_KEYS) {
                if (j.has(k)) {
                    throw j.get(k).fail("does not apply to sources.type: files (bounded replays judge inline)");
                }
            }
            return null;
        }
        boolean decoupled = j.bool("decoupled", true);
        JudgeQueue q = new JudgeQueue(j.string("requests_topic", "llm.judge_requests", TOPIC, TOPIC_WORDS),
                j.string("scores_topic", "llm.judge_scores", TOPIC, TOPIC_WORDS),
                j.duration("max_backlog", Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofDays(7)));
        return decoupled && judge.enabled() ? q : null;
    }

    private static Calibration calibration(ConfigNode c) {
        c.allowOnly("window", "min_pairs");
        return new Calibration(c.duration("window", Duration.ofDays(30)), c.integer("min_pairs", 30, 1, 1_000_000));
    }

    private static Review review(ConfigNode r) {
        r.allowOnly("enabled", "min_pairs", "window", "min_rate", "uncertain_boost", "strata", "topic",
                "weight_ratings");
        ArrayList<String> strata = new ArrayList<>(r.has("strata") ? r.strings("strata") : List.of("surface", "model"));
        return new Review(r.bool("enabled", true), r.integer("min_pairs", 30, 1, 1_000_000),
                r.duration("window", Duration.ofHours(24)), r.number("min_rate", 0.01, 1e-6, 1),
                r.number("uncertain_boost", 3, 1, 1000), strata, r.string("topic", "llm.review_queue"),
                r.bool("weight_ratings", true));
    }

    private static List<List<String>> cohorts(ConfigNode c) {
        c.allowOnly("grouping_sets", "max_values", "max_tracked", "values");
        List<List<String>> sets = new ArrayList<>();
        if (!c.has("grouping_sets")) {
            sets.add(List.of("surface"));
            sets.add(List.of("surface", "model"));
            sets.add(List.of("surface", "cohort.region"));
            sets.add(List.of("surface", "cohort.locale"));
            return sets;
        }
        for (ConfigNode set : c.list("grouping_sets")) {
            List<String> dims = new ArrayList<>();
            for (int i = 0; set.at(i).present(); i++) {
                String dim = set.at(i).asText();
                if (!dim.matches("surface|model|provider|cohort\\.[A-Za-z0-9_.-]+")) {
                    throw set.at(i).error("a dimension: surface, model, provider or cohort.<key>");
                }
                dims.add(dim);
            }
            if (dims.isEmpty()) {
                throw set.error("a non-empty list of dimensions, e.g. [surface, model]");
            }
            sets.add(List.copyOf(dims));
        }
        return sets;
    }

    private static CohortValueGuard cohortGuard(ConfigNode c, List<List<String>> sets) {
        int max = c.integer("max_values", 100, 1, 100_000);
        HashMap<String, ArrayList<String>> pinned = new HashMap<>();
        for (Map.Entry<String, ConfigNode> e : c.entries("values").entrySet()) {
            ArrayList<String> list = new ArrayList<>(c.get("values").strings(e.getKey()));
            if (list.size() > max) {
                throw e.getValue().error("at most cohorts.max_values (" + max + ") values");
            }
            pinned.put(e.getKey(), list);
        }
        // the joiner's memory bound only a flood reaches; far above the global cap
        int tracked = c.integer("max_tracked", Math.max(max, CohortValueGuard.DEFAULT_MAX_TRACKED), max, 10_000_000);
        return new CohortValueGuard(sets, max, tracked, pinned);
    }

    private static Output output(ConfigNode o) {
        o.allowOnly("jdbc_url", "jdbc_user", "jdbc_password_env", "history_interval",
                "batch_size", "flush_interval", "alerts_topic");
        String url = o.requiredString("jdbc_url");
        if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
            throw o.error("jdbc_url", "a jdbc:sqlite: or jdbc:postgresql: URL");
        }
        Duration interval = o.duration("history_interval", Duration.ofMinutes(5));
        if (interval.toMillis() < 60_000 || interval.toMillis() % 60_000 != 0
                || 3_600_000 % interval.toMillis() != 0) {
            throw o.error("history_interval",
                    "whole minutes dividing an hour (1m, 5m, 10m, 15m, 30m, 1h)");
        }
        return new Output(url, o.string("jdbc_user", null), o.string("jdbc_password_env", null, ENV_NAME, "the NAME of an environment variable"),
                interval, o.integer("batch_size", 5000, 1, 1_000_000),
                o.duration("flush_interval", Duration.ofSeconds(2), Duration.ofMillis(10), Duration.ofMinutes(10)), o.string("alerts_topic", null, TOPIC, TOPIC_WORDS));
    }

    private static State state(ConfigNode s) {
        s.allowOnly("backend", "incremental", "checkpoint_dir", "checkpoint_interval", "exactly_once");
        String backend = s.string("backend", "heap");
        if (!backend.equals("heap") && !backend.equals("rocksdb")) {
            throw s.error("backend", "heap or rocksdb");
        }
        return new State(backend, s.bool("incremental", true), s.string("checkpoint_dir", null),
                s.duration("checkpoint_interval", null, Duration.ofMillis(100), Duration.ofDays(1)), s.bool("exactly_once", true));
    }

    private static String fileStem(String file) {
        String n = Path.of(file).getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
