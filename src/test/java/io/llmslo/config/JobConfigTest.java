package io.llmslo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmslo.slo.SloCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Job files are validated in full at submit time; every error names the file, the key and what
 * was expected (DESIGN §8).
 */
class JobConfigTest {

    static final String FILE = "jobs/test.yaml";

    /** The smallest valid job: everything else has a default. */
    static final String MINIMAL = """
            sources:
              responses: in/responses.jsonl
            output:
              jdbc_url: jdbc:sqlite:out.db
            """;

    @Test
    void bundledReplayJobLoads() throws Exception {
        Path path = Path.of("jobs/replay.yaml");
        JobConfig c = JobConfig.parse(path.toString(), Files.readString(path));
        assertThat(c.name).isEqualTo("replay");
        assertThat(c.parallelism).isEqualTo(2);
        assertThat(c.bounded()).isTrue();
        assertThat(c.sources.responses()).isEqualTo("jobs/sample/responses.jsonl");
        assertThat(c.sources.feedback()).isEqualTo("jobs/sample/feedback.jsonl");
        assertThat(c.sources.ratings()).isEqualTo("jobs/sample/ratings.jsonl");
        assertThat(c.eventTime.outOfOrderness()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.eventTime.allowedLateness()).isEqualTo(Duration.ZERO);
        assertThat(c.join.acceptanceWindow()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.join.maxRatingDelay()).isEqualTo(Duration.ofDays(8));
        assertThat(c.sampling.rate()).isEqualTo(0.05);
        assertThat(c.judge.provider()).isEqualTo("offline");
        assertThat(c.groupingSets).containsExactly(List.of("surface"), List.of("surface", "model"),
                List.of("surface", "cohort.region"), List.of("surface", "cohort.locale"));
        assertThat(c.output.jdbcUrl()).isEqualTo("jdbc:sqlite:llm-slo.db");
        assertThat(c.output.sqlite()).isTrue();
        assertThat(c.output.historyInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.state.backend()).isEqualTo("heap");
        assertThat(c.slo.get(SloCatalog.ACCEPTANCE).target()).isEqualTo(0.88);
        assertThat(c.slo.get(SloCatalog.ACCEPTANCE).alpha()).isEqualTo(0.01);
        assertThat(c.slo.get(SloCatalog.ACCEPTANCE).minN()).isEqualTo(50);
    }

    @Test
    void minimalJobGetsTheDesignDefaults() {
        JobConfig c = JobConfig.parse(FILE, MINIMAL);
        assertThat(c.name).isEqualTo("test");
        assertThat(c.eventTime.outOfOrderness()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.join.acceptanceWindow()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.join.maxRatingDelay()).isEqualTo(Duration.ofDays(8));
        assertThat(c.sampling.rate()).isEqualTo(0.05);
        assertThat(c.output.historyInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.groupingSets).hasSize(4);
        assertThat(c.judge.apiKeyEnv()).isNull();
    }

    @Test
    void durationsInEveryWrittenForm() {
        JobConfig c = JobConfig.parse(FILE, MINIMAL + """
                join:
                  acceptance_window: PT90S
                  max_rating_delay: 1w
                event_time:
                  out_of_orderness: 500ms
                  allowed_lateness: 1.5h
                """);
        assertThat(c.join.acceptanceWindow()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.join.maxRatingDelay()).isEqualTo(Duration.ofDays(7));
        assertThat(c.eventTime.outOfOrderness()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.eventTime.allowedLateness()).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void unknownTopLevelKey() {
        fails(MINIMAL + "paralelism: 4\n")
                .hasMessageContaining(FILE)
                .hasMessageContaining("key 'paralelism' is not known here")
                .hasMessageContaining("parallelism");
    }

    @Test
    void unknownNestedKeyNamesTheFullPath() {
        fails(MINIMAL + "join:\n  acceptance_windw: 10m\n")
                .hasMessageContaining(FILE)
                .hasMessageContaining("'join.acceptance_windw'")
                .hasMessageContaining("acceptance_window");
        fails(MINIMAL + "slo:\n  definitions:\n    quality.acceptance:\n      targett: 0.9\n")
                .hasMessageContaining("'slo.definitions.quality.acceptance.targett'");
    }

    @Test
    void unknownSloName() {
        fails(MINIMAL + "slo:\n  definitions:\n    quality.acceptence:\n      target: 0.9\n")
                .hasMessageContaining(FILE)
                .hasMessageContaining("'slo.definitions.quality.acceptence'")
                .hasMessageContaining("quality.acceptance");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10 minutes", "ten", "-5m", "10", "5y"})
    void badDuration(String text) {
        fails(MINIMAL + "join:\n  acceptance_window: \"" + text + "\"\n")
                .hasMessageContaining(FILE)
                .hasMessageContaining("key 'join.acceptance_window' expected a duration like 30s, 10m, 6h or 8d")
                .hasMessageContaining(text);
    }

    @Test
    void maxRatingDelayShorterThanTheAcceptanceWindow() {
        fails(MINIMAL + "join:\n  acceptance_window: 1h\n  max_rating_delay: 30m\n")
                .hasMessageContaining("key 'join.max_rating_delay' expected a duration at least acceptance_window");
    }

    @Test
    void samplingRateAboveOne() {
        fails(MINIMAL + "sampling:\n  rate: 1.5\n")
                .hasMessageContaining(FILE)
                .hasMessageContaining("key 'sampling.rate' expected a number in [0, 1], got 1.5");
        fails(MINIMAL + "sampling:\n  per_surface:\n    chat: 2\n")
                .hasMessageContaining("key 'sampling.per_surface.chat' expected a number in [0, 1]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql://db/llm", "jdbc:mysql://db/llm", "sqlite:out.db"})
    void badJdbcUrl(String url) {
        fails("sources:\n  responses: r.jsonl\noutput:\n  jdbc_url: \"" + url + "\"\n")
                .hasMessageContaining(FILE)
                .hasMessageContaining("key 'output.jdbc_url' expected a jdbc:sqlite: or jdbc:postgresql: URL")
                .hasMessageContaining(url);
    }

    @Test
    void missingJdbcUrl() {
        fails("sources:\n  responses: r.jsonl\n")
                .hasMessageContaining("key 'output.jdbc_url' expected a non-empty string, got nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"7m", "90s", "2h", "45m", "30s"})
    void historyIntervalMustDivideAnHour(String interval) {
        fails(MINIMAL.replace("jdbc:sqlite:out.db", "jdbc:sqlite:out.db\n  history_interval: " + interval))
                .hasMessageContaining(FILE)
                .hasMessageContaining("key 'output.history_interval' expected whole minutes dividing an hour")
                .hasMessageContaining(interval);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1m", "5m", "10m", "15m", "20m", "30m", "1h"})
    void historyIntervalsThatDivideAnHour(String interval) {
        JobConfig c = JobConfig.parse(FILE,
                MINIMAL.replace("jdbc:sqlite:out.db", "jdbc:sqlite:out.db\n  history_interval: " + interval));
        assertThat(Duration.ofHours(1).toMillis() % c.output.historyInterval().toMillis()).isZero();
    }

    @Test
    void groupingSetWithAnUnknownDimension() {
        fails(MINIMAL + "cohorts:\n  grouping_sets:\n    - [surface]\n    - [surface, region]\n")
                .hasMessageContaining(FILE)
                .hasMessageContaining("key 'cohorts.grouping_sets[1][1]' expected a dimension: surface, model,"
                        + " provider or cohort.<key>, got 'region'");
    }

    @Test
    void cohortCapAndItsMemoryBound() {
        JobConfig c = JobConfig.parse(FILE, MINIMAL + "cohorts:\n  max_values: 20\n");
        assertThat(c.cohortGuard.maxValues()).isEqualTo(20);
        assertThat(c.cohortGuard.reason("cohort.region")).contains("more than 10000 ").contains("cohorts.max_tracked");
        fails(MINIMAL + "cohorts:\n  max_values: 50\n  max_tracked: 10\n")
                .hasMessageContaining("cohorts.max_tracked");
    }

    @Test
    void emptyGroupingSet() {
        fails(MINIMAL + "cohorts:\n  grouping_sets:\n    - []\n")
                .hasMessageContaining("key 'cohorts.grouping_sets[0]' expected a non-empty list of dimensions");
    }

    @Test
    void burnTierAboveTheFastestPossibleBurnCouldNeverFire() {
        // at target 0.88 the fastest possible burn is 1 / 0.12 = 8.33: a 14.4 tier is a dud
        fails(MINIMAL + """
                slo:
                  definitions:
                    quality.acceptance:
                      tiers:
                        - {severity: page_rollback, long: 1h, short: 5m, burn: 14.4}
                """)
                .hasMessageContaining(FILE)
                .hasMessageContaining("'slo.definitions.quality.acceptance.tiers[0].burn'")
                .hasMessageContaining("8.33")
                .hasMessageContaining("14.4")
                .hasMessageContaining("could never fire");
    }

    @Test
    void attainableQualityTierIsAccepted() {
        JobConfig c = JobConfig.parse(FILE, MINIMAL + """
                slo:
                  definitions:
                    quality.acceptance:
                      tiers:
                        - {severity: page, long: 1h, short: 5m, burn: 8}
                """);
        assertThat(c.slo.get(SloCatalog.ACCEPTANCE).tiers()).singleElement()
                .satisfies(t -> assertThat(t.burn()).isEqualTo(8.0));
    }

    @Test
    void loweringATargetSoADefaultTierCannotFireNamesTheTarget() {
        // target 0.9 on a non-quality SLO: max burn 10 < the default page_rollback tier's 14.4;
        // the tiers are not in the file, the target is
        fails(MINIMAL + "slo:\n  definitions:\n    cost.p95:\n      target: 0.9\n")
                .hasMessageContaining(FILE)
                .hasMessageContaining("key 'slo.definitions.cost.p95.target'")
                .hasMessageContaining("page_rollback")
                .hasMessageContaining("10.00")
                .hasMessageContaining("could never fire");
    }

    @Test
    void qualityTiersErrorNamesTheKeyThatWasWritten() {
        // the unattainable tier was written under slo.quality_tiers, not under any definition
        fails(MINIMAL + """
                slo:
                  quality_tiers:
                    - {severity: page_rollback, long: 1h, short: 5m, burn: 14.4}
                """)
                .hasMessageContaining(FILE)
                .hasMessageContaining("'slo.quality_tiers[0].burn'")
                .hasMessageContaining("could never fire");
    }

    @Test
    void shortWindowMustBeShorterThanLong() {
        fails(MINIMAL + "slo:\n  tiers:\n    - {severity: page, long: 1h, short: 2h, burn: 2}\n")
                .hasMessageContaining("key 'slo.tiers[0].short' expected a duration shorter than long");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sk-proj-Abc123DefGhi456", "sk-ant-api03-XYZ", "Bearer abc", "${OPENAI_API_KEY}"})
    void apiKeyEnvHoldingALiteralKeyIsRejectedWithoutEchoingIt(String literal) {
        fails(MINIMAL + "judge:\n  provider: openai\n  api_key_env: \"" + literal + "\"\n")
                .hasMessageContaining(FILE)
                .hasMessageContaining("key 'judge.api_key_env'")
                .hasMessageContaining("NAME of an environment variable")
                // a secret pasted into the file must not end up in logs through the error
                .hasMessageNotContaining(literal);
    }

    @Test
    void apiKeyEnvNamingAVariableIsAccepted() {
        JobConfig c = JobConfig.parse(FILE, MINIMAL + "judge:\n  provider: openai\n  api_key_env: OPENAI_API_KEY\n");
        assertThat(c.judge.apiKeyEnv()).isEqualTo("OPENAI_API_KEY");
        assertThat(c.judge.model()).isEqualTo("gpt-4o-mini");
    }

    @Test
    void notYaml() {
        fails("sources: [unclosed\n").hasMessageStartingWith(FILE + ": not valid YAML");
        fails("- just\n- a list\n").hasMessage(FILE + ": expected a YAML map at the top level, got a list");
    }

    static AbstractThrowableAssert<?, ? extends Throwable> fails(String yaml) {
        return assertThatThrownBy(() -> JobConfig.parse(FILE, yaml)).isInstanceOf(ConfigException.class);
    }
}
