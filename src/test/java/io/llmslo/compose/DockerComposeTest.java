package io.llmslo.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.llmslo.config.JobConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine here, so the compose stack is checked statically: every image pinned, every
 * port well-formed, every bind-mounted path present in the repository, the job submission
 * pointing at the job jar, an existing (valid) job file and the main class, and Grafana's
 * provisioning reading the job's tables.
 */
class DockerComposeTest {

    static final Path ROOT = Path.of("");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static JsonNode compose;
    static JsonNode services;

    @BeforeAll
    static void load() throws Exception {
        compose = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile());
        services = compose.get("services");
    }

    static List<String> serviceNames() {
        List<String> out = new ArrayList<>();
        services.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void theStackHasEveryPart() {
        assertThat(serviceNames()).contains("kafka", "kafka-topics", "postgres", "jobmanager", "taskmanager",
                "submit-job", "grafana", "ollama");
        assertThat(services.get("ollama").get("profiles").toString()).contains("ollama");
    }

    @Test
    void everyImageIsPinnedAndFlinkMatchesThePom() throws Exception {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        Matcher flinkVersion = Pattern.compile("<flink.version>([^<]+)</flink.version>").matcher(pom);
        assertThat(flinkVersion.find()).isTrue();
        for (String name : serviceNames()) {
            String image = services.get(name).get("image").asText();
            assertThat(image).as(name).matches("[a-z0-9./-]+:[A-Za-z0-9._-]+").doesNotEndWith(":latest");
            if (image.startsWith("flink:")) {
                assertThat(image).isEqualTo("flink:" + flinkVersion.group(1) + "-java17");
            }
        }
        assertThat(services.get("kafka").get("image").asText()).startsWith("apache/kafka:");
        assertThat(services.get("kafka").get("environment").get("KAFKA_PROCESS_ROLES").asText())
                .isEqualTo("broker,controller"); // KRaft, no ZooKeeper
    }

    @Test
    void portsAreHostToContainerPairsAndUnique() {
        List<Integer> hostPorts = new ArrayList<>();
        for (String name : serviceNames()) {
            JsonNode ports = services.get(name).get("ports");
            if (ports == null) {
                continue;
            }
            for (JsonNode p : ports) {
                assertThat(p.asText()).as(name).matches("\\d{2,5}:\\d{2,5}");
                int host = Integer.parseInt(p.asText().split(":")[0]);
                assertThat(host).isBetween(1, 65535);
                hostPorts.add(host);
            }
        }
        assertThat(hostPorts).doesNotHaveDuplicates().contains(8081, 3000, 5432, 29092);
    }

    @Test
    void everyBindMountExistsAndNamedVolumesAreDeclared() {
        for (String name : serviceNames()) {
            JsonNode volumes = services.get(name).get("volumes");
            if (volumes == null) {
                continue;
            }
            for (JsonNode v : volumes) {
                String source = v.asText().split(":")[0];
                if (source.startsWith("./")) {
                    Path p = ROOT.resolve(source.substring(2));
                    if (source.equals("./target/llm-slo-job.jar") || source.equals("./target/llm-slo.jar")) {
                        // built by `mvn package`, not checked in: the pom must produce exactly this name
                        assertThat(pomText()).contains("<finalName>" + source.substring("./target/".length())
                                .replace(".jar", "") + "</finalName>");
                    } else {
                        assertThat(p).as(name + " mounts " + source).exists();
                    }
                } else {
                    assertThat(compose.get("volumes").has(source)).as(name + " uses named volume " + source).isTrue();
                }
            }
        }
    }

    static String pomText() {
        try {
            return Files.readString(ROOT.resolve("pom.xml"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theSubmissionRunsTheJobJarsMainWithAnExistingValidJobFile() {
        JsonNode submit = services.get("submit-job");
        String command = submit.get("command").toString();
        assertThat(command).contains("flink run").contains("-c io.llmslo.cli.Main")
                .contains("/opt/flink/usrlib/llm-slo-job.jar").contains(" run --job ");
        // the jar the command names is the one mounted from target/
        assertThat(submit.get("volumes").toString()).contains("./target/llm-slo-job.jar:/opt/flink/usrlib/llm-slo-job.jar");
        assertThat(ROOT.resolve("src/main/java/io/llmslo/cli/Main.java")).exists();

        Matcher jobs = Pattern.compile("(jobs/[A-Za-z0-9_.-]+\\.yaml)").matcher(command);
        List<String> files = new ArrayList<>();
        while (jobs.find()) {
            files.add(jobs.group(1));
        }
        files.add("jobs/compose-ollama.yaml"); // the JOB_FILE documented for the ollama profile
        assertThat(files).contains("jobs/production.yaml");
        String workdir = submit.get("working_dir").asText();
        for (String f : files) {
            assertThat(ROOT.resolve(f)).exists();
            JobConfig cfg = JobConfig.load(ROOT.resolve(f));
            // the job file talks to the compose services by their names
            assertThat(cfg.sources.bootstrapServers()).isEqualTo("kafka:9092");
            assertThat(cfg.output.jdbcUrl()).startsWith("jdbc:postgresql://postgres:5432/");
            assertThat(cfg.state.backend()).isEqualTo("rocksdb");
            assertThat(cfg.output.alertsTopic()).isEqualTo("slo.alerts");
            // paths the job resolves relative to the client's working directory are mounted there
            assertThat(submit.get("volumes").toString()).contains(":" + workdir + "/" + cfg.judge.rubricsDir());
        }
        assertThat(services.get("jobmanager").get("command").asText()).isEqualTo("jobmanager");
        assertThat(services.get("taskmanager").get("command").asText()).isEqualTo("taskmanager");
    }

    @Test
    void postgresIsInitialisedWithTheGeneratedSchema() {
        assertThat(services.get("postgres").get("volumes").toString())
                .contains("./docs/schema.sql:/docker-entrypoint-initdb.d/");
    }

    @Test
    void grafanaIsProvisionedWithThePostgresDatasourceAndADashboardOverTheTables() throws Exception {
        Path prov = ROOT.resolve("grafana/provisioning");
        JsonNode ds = YAML.readTree(prov.resolve("datasources/postgres.yaml").toFile()).get("datasources").get(0);
        assertThat(ds.get("type").asText()).contains("postgres");
        assertThat(ds.get("url").asText()).isEqualTo("postgres:5432");
        assertThat(ds.get("jsonData").get("database").asText())
                .isEqualTo(services.get("postgres").get("environment").get("POSTGRES_DB").asText());

        JsonNode provider = YAML.readTree(prov.resolve("dashboards/llm-slo.yaml").toFile()).get("providers").get(0);
        String dashboardsIn = provider.get("options").get("path").asText();
        assertThat(services.get("grafana").get("volumes").toString())
                .contains("./grafana/dashboards:" + dashboardsIn).contains("./grafana/provisioning:/etc/grafana/provisioning");

        JsonNode dash = new ObjectMapper().readTree(ROOT.resolve("grafana/dashboards/llm-slo.json").toFile());
        List<String> sql = new ArrayList<>();
        for (JsonNode panel : dash.get("panels")) {
            assertThat(panel.get("datasource").get("uid").asText()).isEqualTo(ds.get("uid").asText());
            for (JsonNode t : panel.get("targets")) {
                sql.add(t.get("rawSql").asText());
            }
        }
        // the four headline panels of the dashboard's main page (quality, latency, cost, availability)
        List<String> titles = new ArrayList<>();
        dash.get("panels").forEach(p -> titles.add(p.get("title").asText()));
        for (String family : List.of("Quality", "Latency", "Cost", "Availability")) {
            assertThat(titles).anySatisfy(t -> assertThat(t).startsWith(family + " · "));
        }
        // each panel reads one of the job's tables, with columns the schema has
        String schema = Files.readString(ROOT.resolve("docs/schema.sql"));
        Map<String, List<String>> expected = Map.of(
                "slo_status", List.of("status", "burn_1h", "budget_remaining"),
                "slo_history", List.of("burn_1h", "burn_6h", "eval_time"),
                "slo_alerts", List.of("severity", "state", "at"),
                "judge_calibration", List.of("useful_agreement", "kappa"));
        expected.forEach((table, cols) -> {
            assertThat(sql).anySatisfy(q -> {
                assertThat(q).contains("FROM " + table);
                cols.forEach(c -> assertThat(q).contains(c));
            });
            assertThat(schema).contains("CREATE TABLE IF NOT EXISTS " + table + " (");
            cols.forEach(c -> assertThat(schema).contains("  " + c + " "));
        });
    }
}
