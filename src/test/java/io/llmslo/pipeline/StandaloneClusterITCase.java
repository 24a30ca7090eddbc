package io.llmslo.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmslo.cli.JobRunner;
import io.llmslo.config.JobConfig;
import io.llmslo.sim.Scenario;
import io.llmslo.sim.TrafficSimulator;
import io.llmslo.testing.Tables;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar on a real Flink standalone session cluster: a JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and a TaskManager ({@code TaskManagerRunner}) as two
 * separate JVMs, started without Flink's scripts from what a Flink distribution holds (Flink's
 * own jars and their dependencies, taken from the Maven test classpath). The test uploads
 * {@code target/llm-slo-job.jar} and runs it through the REST API, exactly as {@code flink run}
 * or the web UI would, with {@code run --job <file>}: simulated JSONL files in, SQLite out, judge
 * off. Every table must equal a MiniCluster run of the same job file in this JVM.
 *
 * <p>What this catches that MiniCluster tests cannot: a class the job needs that the job jar
 * leaves out (it excludes everything a Flink distribution provides), service files lost by
 * shading (JDBC drivers), code that only works with the test classpath's class loader, and a
 * job graph that does not survive serialization across processes.
 *
 * <p>Skipped when the job jar has not been built ({@code mvn -DskipTests package}; CI builds it
 * before the tests).
 */
class StandaloneClusterITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    static final Path JOB_JAR = Path.of("target", "llm-slo-job.jar").toAbsolutePath();
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // Flink's REST server does not speak h2c upgrades
            .connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * Flink's Java 17 module flags (the distribution's {@code env.java.opts.all} defaults): Kryo,
     * Pekko and the state backends reflect into these JDK packages.
     */
    static final List<String> MODULE_FLAGS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    /**
     * What a Flink distribution ships (flink-dist, lib/, the web UI) as Maven repository paths:
     * Flink's modules except connectors the distribution does not bundle and test utilities,
     * the logging stack, and Flink's third-party runtime dependencies. The job jar excludes the
     * same artifacts (pom.xml, execution {@code job-jar}).
     */
    static final Pattern DISTRIBUTION = Pattern.compile("/repository/("
            + "org/apache/flink/flink-(?!connector-kafka|connector-jdbc|test-utils|table)[^/]+"
            + "|org/apache/logging/log4j/log4j-(api|core|slf4j2-impl)"
            + "|org/slf4j/slf4j-api"
            + "|com/esotericsoftware/[^/]+|org/objenesis/objenesis|com/ververica/frocksdbjni|tools/profiler/[^/]+"
            + "|commons-cli/commons-cli|commons-collections/commons-collections|commons-io/commons-io"
            + "|org/apache/commons/commons-(lang3|text|compress|math3)|com/google/code/findbugs/jsr305"
            + "|org/javassist/javassist|org/xerial/snappy/snappy-java|at/yawk/lz4/lz4-java"
            + "|org/snakeyaml/snakeyaml-engine"
            + ")/");

    @TempDir
    static Path dir;

    /** JobManager and TaskManager logs, kept after the test (the temp directory is not). */
    static final Path LOGS = Path.of("target", "standalone-cluster-it").toAbsolutePath();

    static Process jobManager;
    static Process taskManager;
    static String rest;

    @BeforeAll
    static void startCluster() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(JOB_JAR),
                JOB_JAR + " is absent: build it with `mvn -DskipTests package` (CI does before the tests)");
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(LOGS);
        int restPort = freePort();
        int rpcPort = freePort();
        Files.writeString(conf.resolve("config.yaml"), """
                jobmanager.rpc.address: 127.0.0.1
                jobmanager.rpc.port: %d
                jobmanager.bind-host: 127.0.0.1
                jobmanager.memory.heap.size: 512m
                jobmanager.memory.off-heap.size: 128m
                jobmanager.memory.jvm-metaspace.size: 256m
                jobmanager.memory.jvm-overhead.min: 128m
                jobmanager.memory.jvm-overhead.max: 128m
                taskmanager.host: 127.0.0.1
                taskmanager.bind-host: 127.0.0.1
                taskmanager.numberOfTaskSlots: 2
                # started without Flink's scripts: every component of the TaskManager's memory explicit
                taskmanager.cpu.cores: 2
                taskmanager.memory.framework.heap.size: 128m
                taskmanager.memory.task.heap.size: 384m
                taskmanager.memory.framework.off-heap.size: 128m
                taskmanager.memory.task.off-heap.size: 64m
                taskmanager.memory.network.min: 64m
                taskmanager.memory.network.max: 64m
                taskmanager.memory.managed.size: 64m
                taskmanager.memory.jvm-metaspace.size: 256m
                taskmanager.memory.jvm-overhead.min: 192m
                taskmanager.memory.jvm-overhead.max: 192m
                rest.address: 127.0.0.1
                rest.bind-address: 127.0.0.1
                rest.port: %d
                # the job jar is ~180 MB; the default limit is 100 MiB
                rest.server.max-content-length: 419430400
                rest.client.max-content-length: 419430400
                web.upload.dir: %s
                io.tmp.dirs: %s
                """.formatted(rpcPort, restPort, Files.createDirectories(dir.resolve("uploads")),
                Files.createDirectories(dir.resolve("io"))));
        Files.writeString(conf.resolve("log4j2.properties"), """
                rootLogger.level = INFO
                rootLogger.appenderRef.file.ref = file
                appender.file.type = File
                appender.file.name = file
                appender.file.fileName = ${sys:log.file}
                appender.file.layout.type = PatternLayout
                appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-40c{1.} - %m%n
                """);
        String classpath = distributionClasspath();
        rest = "http://127.0.0.1:" + restPort;
        jobManager = start("jobmanager", classpath, List.of("-Xmx512m", "-Xms512m", "-XX:MaxMetaspaceSize=256m"),
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
        taskManager = start("taskmanager", classpath, List.of("-Xmx512m", "-Xms512m",
                        "-XX:MaxDirectMemorySize=256m", "-XX:MaxMetaspaceSize=256m"),
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
        awaitSlots(2, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (Process p : new Process[] {taskManager, jobManager}) {
            if (p != null && p.isAlive()) {
                p.destroy();
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The test JVM's classpath restricted to what a Flink distribution ships; never our classes. */
    static String distributionClasspath() {
        List<String> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith(".jar") && DISTRIBUTION.matcher(entry.replace('\\', '/')).find()) {
                jars.add(entry);
            }
        }
        assertThat(jars).as("Flink jars on the test classpath").anyMatch(j -> j.contains("flink-runtime-web"));
        return String.join(File.pathSeparator, jars);
    }

    static Process start(String name, String classpath, List<String> memory, String mainClass) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(memory);
        cmd.addAll(MODULE_FLAGS);
        cmd.add("-Dlog.file=" + LOGS.resolve(name + ".log"));
        cmd.add("-Dlog4j.configurationFile=" + dir.resolve("conf/log4j2.properties").toUri());
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.add("--configDir");
        cmd.add(dir.resolve("conf").toString());
        return new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(LOGS.resolve(name + ".out").toFile())
                .start();
    }

    static void awaitSlots(int slots, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            assertThat(jobManager.isAlive()).as("JobManager alive; see " + LOGS.resolve("jobmanager.log")).isTrue();
            assertThat(taskManager.isAlive()).as("TaskManager alive; see " + LOGS.resolve("taskmanager.log")).isTrue();
            try {
                JsonNode overview = get("/overview");
                if (overview.path("slots-total").asInt() >= slots) {
                    return;
                }
            } catch (IOException e) {
                // REST not up yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("cluster not ready within " + timeout + "; logs in " + LOGS);
            }
            Thread.sleep(250);
        }
    }

    static JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(rest + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    static JsonNode post(String path, HttpRequest.BodyPublisher body, String contentType)
            throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(rest + path))
                        .header("Content-Type", contentType).POST(body).timeout(Duration.ofMinutes(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("POST " + path + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** {@code POST /jars/upload}: multipart/form-data with the jar as field {@code jarfile}. */
    static String uploadJar(Path jar) throws Exception {
        String boundary = "llmslo-" + UUID.randomUUID();
        String head = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName() + "\"\r\n"
                + "Content-Type: application/x-java-archive\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        JsonNode r = post("/jars/upload", HttpRequest.BodyPublishers.concat(
                        HttpRequest.BodyPublishers.ofString(head, StandardCharsets.UTF_8),
                        HttpRequest.BodyPublishers.ofFile(jar),
                        HttpRequest.BodyPublishers.ofString(tail, StandardCharsets.UTF_8)),
                "multipart/form-data; boundary=" + boundary);
        assertThat(r.path("status").asText()).isEqualTo("success");
        return Path.of(r.path("filename").asText()).getFileName().toString();
    }

    static String jobFile(Path traffic, Path db) throws IOException {
        Path file = dir.resolve("cluster-it.yaml");
        // every path absolute: the JobManager (which runs main) and the TaskManager have their
        // own working directories
        Files.writeString(file, """
                name: cluster-it
                parallelism: 2
                sources:
                  type: files
                  responses: %1$s
                  feedback: %2$s
                  ratings: %3$s
                event_time: {out_of_orderness: 2m, allowed_lateness: 0s}
                judge: {enabled: false}
                cohorts:
                  grouping_sets:
                    - [surface]
                    - [surface, model]
                    - [surface, cohort.locale]
                slo: {alpha: 0.01, min_n: 50, budget_period: 30d}
                output:
                  jdbc_url: "jdbc:sqlite:%4$s"
                  history_interval: 1h
                state:
                  backend: heap
                """.formatted(traffic.resolve(TrafficSimulator.RESPONSES).toAbsolutePath(),
                traffic.resolve(TrafficSimulator.FEEDBACK).toAbsolutePath(),
                traffic.resolve(TrafficSimulator.RATINGS).toAbsolutePath(), db.toAbsolutePath()));
        return file.toAbsolutePath().toString();
    }

    @Test
    void theJobJarOnAStandaloneClusterWritesTheSameTablesAsAMiniClusterRun() throws Exception {
        Path traffic = dir.resolve("traffic");
        TrafficSimulator.run(Scenario.parse("""
                start: 2026-10-01T00:00:00Z
                days: 2
                requests_per_day: 800
                seed: 7
                invalid_rate: 0.003
                incidents:
                  - type: quality_regression
                    negative_rate: 0.45
                    useful_rate: 0.5
                    match: {surface: chat}
                    from: 2026-10-01T12:00:00Z
                """, "cluster-it-scenario"), traffic);
        Path db = dir.resolve("out.db");
        String job = jobFile(traffic, db);

        // the cluster run: upload, run with program arguments, wait for FINISHED
        long t0 = System.nanoTime();
        String jarId = uploadJar(JOB_JAR);
        double uploadSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        String body = JSON.writeValueAsString(JSON.createObjectNode()
                .set("programArgsList", JSON.createArrayNode().add("run").add("--job").add(job)));
        String jobId = post("/jars/" + jarId + "/run", HttpRequest.BodyPublishers.ofString(body), "application/json")
                .path("jobid").asText();
        assertThat(jobId).isNotBlank();
        JsonNode state = awaitTerminal(jobId, Duration.ofMinutes(3));
        double runSeconds = (System.nanoTime() - t1) / 1e9;
        assertThat(state.path("state").asText())
                .as("job state; exceptions: %s; logs in %s", exceptions(jobId), LOGS).isEqualTo("FINISHED");
        System.out.printf("[standalone cluster] jar upload %.1f s; run -> FINISHED %.1f s wall (job duration %d ms)%n",
                uploadSeconds, runSeconds, state.path("duration").asLong());

        // the same job file on the MiniCluster in this JVM, after moving the cluster's database aside
        Path clusterDb = dir.resolve("cluster.db");
        Files.move(db, clusterDb, StandardCopyOption.ATOMIC_MOVE);
        for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
            Path side = Path.of(db + suffix);
            if (Files.exists(side)) {
                Files.move(side, Path.of(clusterDb + suffix), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        long t2 = System.nanoTime();
        JobRunner.run(JobConfig.load(Path.of(job)));
        System.out.printf("[standalone cluster] same job file on the MiniCluster: %.1f s%n", (System.nanoTime() - t2) / 1e9);

        String onCluster = "jdbc:sqlite:" + clusterDb;
        String onMini = "jdbc:sqlite:" + db;
        for (String table : Tables.ALL) {
            long rows = count(onMini, table);
            System.out.println("[standalone cluster] " + table + ": " + rows + " rows");
            Tables.assertSameRows(onCluster, onMini, orderedSelect(onMini, table));
        }
        assertThat(count(onCluster, "slo_history")).isGreaterThan(count(onCluster, "slo_status")).isPositive();
        assertThat(count(onCluster, "slo_alerts")).as("the chat regression opens alerts").isPositive();
        assertThat(count(onCluster, "dead_letters")).as("invalid lines are dead letters").isPositive();
    }

    static JsonNode awaitTerminal(String jobId, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode job = get("/jobs/" + jobId);
            String s = job.path("state").asText();
            if (s.equals("FINISHED") || s.equals("FAILED") || s.equals("CANCELED")) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + jobId + " still " + s + " after " + timeout + "; logs in " + LOGS);
            }
            Thread.sleep(500);
        }
    }

    static String exceptions(String jobId) {
        try {
            return get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries").path(0)
                    .path("stacktrace").asText("(none)");
        } catch (Exception e) {
            return "(unavailable: " + e.getMessage() + ")";
        }
    }

    static long count(String url, String table) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** {@code SELECT * FROM t ORDER BY 1, 2, …, n}: a total order over all columns. */
    static String orderedSelect(String url, String table) throws Exception {
        int n;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + table + " LIMIT 0")) {
            n = rs.getMetaData().getColumnCount();
        }
        StringBuilder order = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            order.append(i > 1 ? ", " : "").append(i);
        }
        return "SELECT * FROM " + table + " ORDER BY " + order;
    }
}
