package io.llmslo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.config.JobConfig;
import io.llmslo.sink.TableSchemas;
import io.llmslo.sink.TableSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The end-of-run summary counts what the tables hold (rows written here by hand). */
class RunSummaryTest {

    @TempDir
    Path dir;

    @Test
    void countsInputLinesDeadLettersBreachesAndOpenAlerts() throws Exception {
        Path responses = Files.writeString(dir.resolve("r.jsonl"), "{}\n{}\n{}"); // last line without newline
        Path feedback = Files.writeString(dir.resolve("f.jsonl"), "{}\n");
        String url = "jdbc:sqlite:" + dir.resolve("t.db");
        JobConfig cfg = JobConfig.parse("jobs/t.yaml", """
                sources: {responses: %s, feedback: %s}
                output: {jdbc_url: "%s"}
                """.formatted(responses, feedback, url));
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (TableSpec<?> t : TableSchemas.all()) {
                TableSchemas.create(c, t);
            }
            for (String[] d : new String[][] {{"a", "late"}, {"b", "late"}, {"c", "orphan"},
                    {"d", "field 'outcome': expected one of success|error, got 'x'"},
                    {"e", "field 'outcome': expected one of success|error, got 'y'"}}) {
                s.execute("INSERT INTO dead_letters (source, payload_hash, reason, payload) VALUES ('responses', '"
                        + d[0] + "', '" + d[1].replace("'", "''") + "', '{}')");
            }
            status(s, "quality.acceptance", "*", "ok", null);
            status(s, "quality.acceptance", "surface=chat", "breach", "page");
            status(s, "latency.ttft_p95", "surface=chat", "breach", null);
            status(s, "cost.p95", "*", "insufficient_data", null);

            RunSummary sum = RunSummary.read(cfg, c);
            assertThat(sum.linesRead()).containsEntry("responses", 3L).containsEntry("feedback", 1L)
                    .containsEntry("ratings", 0L);
            assertThat(sum.deadLettersByReason()).containsEntry("late", 2L).containsEntry("orphan", 1L)
                    .containsEntry("field 'outcome'", 2L);
            assertThat(sum.series()).isEqualTo(4);
            assertThat(sum.breaches()).isEqualTo(2);
            assertThat(sum.openAlerts()).containsExactly("page quality.acceptance surface=chat");

            String text = sum.format(url, null);
            assertThat(text).contains("read 4 input lines (responses 3, feedback 1, ratings 0)")
                    .contains("dead letters: 5 (")
                    .contains("SLO series: 4; in breach: 2")
                    .contains("  latency.ttft_p95 surface=chat")
                    .contains("open alerts: 1")
                    .contains("next: java -jar target/llm-slo.jar dashboard --jdbc-url " + url)
                    .contains("sqlite3 " + dir.resolve("t.db"));
        }
    }

    @Test
    void longListsAreCut() {
        var many = java.util.stream.IntStream.range(0, 20).mapToObj(i -> "slo" + i + " *").toList();
        String text = new RunSummary(java.util.Map.of(), java.util.Map.of(), 20, 20, many, java.util.List.of())
                .format("jdbc:postgresql://h/db", "/tmp/x.log");
        assertThat(text).contains("  slo7 *\n  … and 12 more").doesNotContain("slo8 ").contains("engine log: /tmp/x.log");
    }

    private static void status(Statement s, String slo, String cohort, String status, String alert) throws Exception {
        s.execute("INSERT INTO slo_status (slo, cohort, eval_time, \"window\", n, good, target, status, alert)"
                + " VALUES ('" + slo + "', '" + cohort + "', '2026-10-01 00:00:00.000', '7d', 10, 9, 0.9, '"
                + status + "', " + (alert == null ? "NULL" : "'" + alert + "'") + ")");
    }
}
