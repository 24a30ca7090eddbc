package io.llmslo.openslo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.llmslo.cli.Main;
import io.llmslo.config.ConfigException;
import io.llmslo.config.JobConfig;
import io.llmslo.slo.BurnTier;
import io.llmslo.slo.SloCatalog;
import io.llmslo.slo.SloDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenSLO v1 export and import: the default catalogue survives the round trip exactly, the
 * committed example imports into the default job's SLOs, and documents that cannot be mapped fail
 * with the documented message naming the file, the document and the field.
 */
class OpenSloTest {

    static final Path EXAMPLE = Path.of("examples/openslo/default.yaml");
    static final String JOB = "name: j\nsources: {responses: r.jsonl}\noutput: {jdbc_url: 'jdbc:sqlite:x.db'}\n";

    private static JobConfig imported(String openslo, String job) throws Exception {
        ObjectNode root = (ObjectNode) new YAMLMapper().readTree(job);
        ObjectNode out = OpenSloImporter.importInto("x.openslo.yaml", openslo, "j.yaml", root);
        return JobConfig.parse("j.yaml", new YAMLMapper().writeValueAsString(out));
    }

    private static List<List<String>> defaultSets() {
        return JobConfig.parse("j.yaml", JOB).groupingSets;
    }

    @Test
    void defaultCatalogueRoundTripsExactly() throws Exception {
        String yaml = OpenSloExporter.export(SloCatalog.defaults().all(), defaultSets());
        JobConfig back = imported(yaml, JOB);
        assertThat(back.slo.all()).isEqualTo(SloCatalog.defaults().all());
        assertThat(back.groupingSets).isEqualTo(defaultSets());
        // and exporting the imported job gives the same documents again
        assertThat(OpenSloExporter.export(back.slo.all(), back.groupingSets)).isEqualTo(yaml);
    }

    @Test
    void theCommittedExampleIsTheDefaultCatalogueAndImportsIntoTheDefaultSlos() throws Exception {
        String example = Files.readString(EXAMPLE);
        assertThat(example).isEqualTo(OpenSloExporter.export(SloCatalog.defaults().all(), defaultSets()));
        JobConfig job = imported(example, JOB);
        assertThat(job.slo.all()).isEqualTo(JobConfig.parse("j.yaml", JOB).slo.all());
        // the default job needs no slo section at all: nothing differs from the catalogue
        ObjectNode root = OpenSloImporter.importInto("x", example, "j.yaml", (ObjectNode) new YAMLMapper().readTree(JOB));
        assertThat(root.path("slo").path("definitions").isMissingNode()).isTrue();
        assertThat(root.path("slo").path("tiers").isMissingNode()).isTrue();
    }

    @Test
    void changedSlosBecomeOverridesAndMissingOnesAreDisabled() throws Exception {
        String yaml = OpenSloExporter.export(SloCatalog.defaults().all(), defaultSets())
                .replace("target: 0.88", "target: 0.9")
                .replace("- duration: 30d", "- duration: 28d");
        // drop the cost.p99 SLO document (keep its SLI: unused SLIs are fine)
        int start = yaml.indexOf("kind: SLO\nmetadata:\n  name: cost-p99");
        int docStart = yaml.lastIndexOf("---", start);
        int next = yaml.indexOf("---", start);
        yaml = yaml.substring(0, docStart) + yaml.substring(next);
        ObjectNode root = OpenSloImporter.importInto("x", yaml, "j.yaml", (ObjectNode) new YAMLMapper().readTree(JOB));
        assertThat(root.at("/slo/definitions/quality.acceptance/target").asDouble()).isEqualTo(0.9);
        assertThat(root.at("/slo/definitions/availability.success/window").asText()).isEqualTo("28d");
        assertThat(root.at("/slo/definitions/cost.p99/enabled").asBoolean(true)).isFalse();
        JobConfig job = JobConfig.parse("j.yaml", new YAMLMapper().writeValueAsString(root));
        assertThat(job.slo.get("quality.acceptance").target()).isEqualTo(0.9);
        assertThat(job.slo.get("availability.success").window()).isEqualTo(Duration.ofDays(28));
        assertThat(job.slo.enabled("cost.p99")).isFalse();
    }

    @Test
    void handWrittenDocumentsWithInlineIndicatorAndConditionMap() throws Exception {
        String yaml = """
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: chat-acceptance}
                spec:
                  service: chat
                  budgetingMethod: Occurrences
                  timeWindow: [{duration: 7d, isRolling: true}]
                  objectives: [{targetPercent: 90}]
                  indicator:
                    metadata: {name: acc}
                    spec:
                      ratioMetric:
                        counter: true
                        good: {metricSource: {type: llm-slo, spec: {sli: quality.acceptance, cohorts: [[surface]]}}}
                        total: {metricSource: {type: llm-slo, spec: {sli: quality.acceptance}}}
                  alertPolicies:
                    - kind: AlertPolicy
                      metadata: {name: fast}
                      spec:
                        conditions:
                          - kind: AlertCondition
                            metadata: {name: fast-burn}
                            spec:
                              severity: page
                              condition: {kind: burnrate, op: gte, threshold: 5, lookbackWindow: 1h, alertAfter: 5m}
                """;
        JobConfig job = imported(yaml, JOB);
        SloDefinition d = job.slo.get("quality.acceptance");
        assertThat(d.target()).isEqualTo(0.9);
        assertThat(d.tiers()).containsExactly(new BurnTier("page", Duration.ofHours(1), Duration.ofMinutes(5), 5));
        assertThat(job.groupingSets).containsExactly(List.of("surface"));
        assertThat(job.slo.enabled("latency.ttft_p95")).isFalse();
    }

    /** The documented errors (README "OpenSLO"): file, document number, kind, name and field. */
    @Test
    void unmappableDocumentsNameTheDocumentAndTheField() {
        String good = OpenSloExporter.export(SloCatalog.defaults().all(), defaultSets());
        assertError(good.replaceFirst("budgetingMethod: Occurrences", "budgetingMethod: Timeslices"),
                "x.openslo.yaml: document 15 (SLO 'quality-acceptance'): field 'spec.budgetingMethod' expected"
                        + " 'Occurrences' (Timeslices and RatioTimeslices cannot be mapped: the job counts events),"
                        + " got 'Timeslices'");
        assertError(good.replaceFirst("isRolling: true", "isRolling: false"),
                "document 15 (SLO 'quality-acceptance'): field 'spec.timeWindow[0].isRolling' expected true");
        assertError(good.replaceFirst("duration: 7d", "duration: 1M"),
                "document 15 (SLO 'quality-acceptance'): field 'spec.timeWindow[0].duration' expected a duration like"
                        + " 5m, 6h, 7d or 2w (calendar units M, Q, Y cannot be a rolling window), got '1M'");
        assertError(good.replaceFirst("type: llm-slo", "type: Prometheus"),
                "document 2 (SLI 'quality-acceptance'): field 'spec.ratioMetric.good.metricSource.type' expected"
                        + " 'llm-slo'");
        assertError(good.replaceFirst("sli: quality.acceptance", "sli: quality.vibes"),
                "field 'spec.ratioMetric.total.metricSource.spec.sli' expected the good metric's SLI 'quality.vibes'");
        assertError(good.replace("sli: quality.acceptance", "sli: quality.vibes"),
                "document 2 (SLI 'quality-acceptance'): field 'spec.ratioMetric.good.metricSource.spec.sli' expected"
                        + " a catalogue SLI, one of [quality.acceptance,");
        assertError(good.replaceFirst("indicatorRef: quality-acceptance", "indicatorRef: nope"),
                "document 15 (SLO 'quality-acceptance'): field 'spec.indicatorRef' expected the name of an SLI"
                        + " document in the file, got 'nope'");
        assertError(good.replaceFirst("kind: burnrate", "kind: timeslice"),
                "document 28 (AlertCondition 'page-rollback-1h-5m-burn-4'): field 'spec.condition.kind' expected"
                        + " 'burnrate' (the job's alerts are multi-window burn-rate tiers), got 'timeslice'");
        assertError(good.replaceFirst("apiVersion: openslo/v1", "apiVersion: openslo/v2alpha"),
                "document 1 (Service 'llm-gateway'): field 'apiVersion' expected 'openslo/v1', got 'openslo/v2alpha'");
        assertError(good.replaceFirst("kind: Service", "kind: DataSource"),
                "document 1 (DataSource 'llm-gateway'): field 'kind' expected one of");
        assertError(good.replaceFirst("objectives:\n  - displayName: quality.acceptance\n    target: 0.88",
                "objectives: []"), "field 'spec.objectives' expected a list of exactly one objective, got []");
        assertError("apiVersion: openslo/v1\nkind: Service\nmetadata: {name: s}\n", "x.openslo.yaml: no document of kind SLO");
        assertError("kind: [unclosed", "x.openslo.yaml: not valid YAML");
        // a tier the SLO can never reach is the job's own validation error, prefixed with the file
        assertError(good.replaceFirst("threshold: 4.0", "threshold: 40.0"),
                "x.openslo.yaml: the imported SLOs do not make a valid job: j.yaml: key 'slo.quality_tiers[0].burn'");
    }

    private static void assertError(String yaml, String expected) {
        assertThatThrownBy(() -> imported(yaml, JOB)).isInstanceOf(ConfigException.class).hasMessageContaining(expected);
    }

    @Test
    void commandsExportAndImportThroughTheCli(@TempDir Path dir) throws Exception {
        Path openslo = dir.resolve("slos.yaml");
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JOB);
        assertThat(Main.execute("slo", "export", "--openslo", openslo.toString())).isZero();
        assertThat(Files.readString(openslo)).isEqualTo(Files.readString(EXAMPLE));
        Path out = dir.resolve("imported.yaml");
        assertThat(Main.execute("slo", "import", "--openslo", openslo.toString(), "--job", job.toString(),
                "--out", out.toString())).isZero();
        assertThat(JobConfig.load(out).slo.all()).isEqualTo(SloCatalog.defaults().all());
        Files.writeString(openslo, Files.readString(openslo).replaceFirst("budgetingMethod: Occurrences",
                "budgetingMethod: Timeslices"));
        assertThat(Main.execute("slo", "import", "--openslo", openslo.toString(), "--job", job.toString())).isEqualTo(2);
    }
}
