package io.llmslo.hostile;

import io.llmslo.testing.ReplayJobs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmslo.cli.JobRunner;
import io.llmslo.config.JobConfig;
import io.llmslo.hostile.HostileCorpus.Kind;
import io.llmslo.sim.Scenario;
import io.llmslo.sim.TrafficSimulator;
import io.llmslo.testing.Postgres;
import io.llmslo.testing.Tables;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's acceptance test: a hostile corpus ({@link HostileCorpus}, 80+ kinds) mixed into valid
 * simulated traffic, through the whole job on a MiniCluster, into SQLite and into PostgreSQL. The
 * job must finish; slo_status, slo_history and slo_alerts must equal a run over the valid traffic
 * alone, row for row; every hostile record must be a dead letter whose reason matches its kind
 * (or, for the documented rules — byte-order mark, CRLF, blank lines, unknown fields — leave the
 * tables unchanged); repeats must be counted.
 */
class HostileInputITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    static final String TS = "2026-10-02T06:00:00Z";
    static final List<String> COMPARED = List.of("slo_status", "slo_history", "slo_alerts");

    @TempDir
    static Path dir;

    static Path clean;
    static Path hostile;
    static HostileCorpus corpus = new HostileCorpus(TS);
    /** request ids of the valid records copied as duplicates. */
    static final Set<String> duplicated = new HashSet<>();
    static String duplicatedRating;

    @BeforeAll
    static void build() throws Exception {
        clean = Files.createDirectories(dir.resolve("clean"));
        hostile = Files.createDirectories(dir.resolve("hostile"));
        TrafficSimulator.run(Scenario.parse("""
                start: 2026-10-01T00:00:00Z
                days: 2
                requests_per_day: 300
                seed: 8
                invalid_rate: 0
                """, "hostile-it.yaml"), clean);
        for (String file : List.of("responses", "feedback", "ratings")) {
            Files.write(hostile.resolve(file + ".jsonl"), mix(file, Files.readAllLines(clean.resolve(file + ".jsonl"))));
        }
    }

    /** The valid lines with this file's hostile kinds spread through them, plus the documented harmless variations. */
    static byte[] mix(String file, List<String> valid) throws Exception {
        List<Kind> kinds = corpus.kinds().stream().filter(k -> k.file().equals(file)).toList();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int k = 0;
        for (int i = 0; i < valid.size(); i++) {
            String line = valid.get(i);
            if (i == 0) {
                out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}); // a byte-order mark: skipped
            }
            if (i == 5) {
                line = line + "\r"; // CRLF line ending
            }
            if (i == 7) {
                line = line.substring(0, line.length() - 1) + ",\"x_unknown\":{\"a\":[1,2,{\"b\":null}]}}"; // ignored
            }
            if (i == 9) {
                out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}); // a mid-file mark: skipped too
            }
            out.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
            if (i == 3) {
                out.writeBytes("\n   \t\n\n".getBytes(StandardCharsets.UTF_8)); // blank lines: skipped
            }
            // ratings are few (about 1 % of requests): copy an early one
            int copyAt = file.equals("ratings") ? 1 : 11;
            if ((i == copyAt && !file.equals("feedback")) || (i == 13 && file.equals("responses"))) {
                // an exact copy right after the original: a duplicate, counted once
                int copies = file.equals("responses") && i == 11 ? 2 : 1;
                for (int c = 0; c < copies; c++) {
                    out.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
                }
                String id = new ObjectMapper().readTree(line).get("request_id").asText();
                duplicated.add(id);
                if (file.equals("ratings")) {
                    duplicatedRating = id;
                }
            }
            // spread the kinds: one after every few valid lines, the last kind after the last line
            while (k < kinds.size() && (i + 1) * (long) kinds.size() / valid.size() > k) {
                insert(out, kinds.get(k++), line);
            }
        }
        while (k < kinds.size()) {
            insert(out, kinds.get(k++), valid.get(valid.size() - 1));
        }
        return out.toByteArray();
    }

    static void insert(ByteArrayOutputStream out, Kind kind, String previous) throws Exception {
        byte[] line = kind.line();
        String text = new String(line, StandardCharsets.UTF_8);
        if (text.contains("@TS@")) {
            JsonNode prev = new ObjectMapper().readTree(previous.trim());
            line = text.replace("@TS@", prev.get("ts").toString()).getBytes(StandardCharsets.UTF_8);
        }
        for (int r = 0; r < kind.repeats(); r++) {
            out.writeBytes(line);
            out.write('\n');
        }
    }

    static JobConfig job(Path in, String jdbcUrl) {
        return ReplayJobs.files("hostile-it", in, jdbcUrl, "");
    }

    @Test
    void corpusHasAtLeastSixtyKinds() {
        assertThat(corpus.kinds()).hasSizeGreaterThanOrEqualTo(60);
    }

    @Test
    void sqliteSurvivesEveryKind() throws Exception {
        String cleanUrl = "jdbc:sqlite:" + dir.resolve("clean.db");
        String hostileUrl = "jdbc:sqlite:" + dir.resolve("hostile.db");
        JobRunner.run(job(clean, cleanUrl));
        JobRunner.run(job(hostile, hostileUrl));
        verify(cleanUrl, hostileUrl, "sqlite");
    }

    @Test
    void postgresSurvivesEveryKind() throws Exception {
        String cleanUrl = Postgres.freshSchema("hostile_clean");
        String hostileUrl = Postgres.freshSchema("hostile_mixed");
        JobRunner.run(job(clean, cleanUrl));
        JobRunner.run(job(hostile, hostileUrl));
        verify(cleanUrl, hostileUrl, "postgresql");
    }

    /**
     * 600 responses, each with a new cohort.region (the 1.7 M-row flood of issue 8), with
     * cohorts.max_values 20: the global cap (DESIGN §7b) keeps exactly 20 named regions plus
     * __other__ — the same ones at parallelism 1 and 2 and with the input order shuffled (the three
     * runs' tables are equal row for row), namely the 20 first seen in event time, ties in value
     * order (derived here from the input file, independently of the job). Against a run without
     * the cap: every row of another cohort and of an admitted region is unchanged, and each
     * __other__ row's n and good are the sums of the folded regions' rows (the evaluator's merge is a
     * sum). One cohort_cap row per run, the same count in all three.
     */
    @Test
    void cohortValuesAreCappedTheSameForEveryParallelismAndArrivalOrder() throws Exception {
        Path flood = Files.createDirectories(dir.resolve("flood"));
        List<String> responses = Files.readAllLines(clean.resolve("responses.jsonl"));
        List<String> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < responses.size(); i++) {
            out.add(responses.get(i));
            if (i < 600) {
                String ts = json.readTree(responses.get(i)).get("ts").toString();
                out.add(HostileCorpus.response("flood-" + i, ts, "").replace("\"us-east\"", "\"flood-region-" + i + "\""));
            }
        }
        Files.write(flood.resolve("responses.jsonl"), out);
        Files.copy(clean.resolve("feedback.jsonl"), flood.resolve("feedback.jsonl"));
        Files.copy(clean.resolve("ratings.jsonl"), flood.resolve("ratings.jsonl"));
        // the same records in another order: shuffled in blocks of 40 lines (about 1.5 h of event
        // time), within the 4 h out-of-orderness all four runs allow, so nothing is late
        Path shuffled = Files.createDirectories(dir.resolve("flood-shuffled"));
        List<String> mixed = new ArrayList<>();
        java.util.Random random = new java.util.Random(8);
        for (int from = 0; from < out.size(); from += 40) {
            List<String> block = new ArrayList<>(out.subList(from, Math.min(out.size(), from + 40)));
            java.util.Collections.shuffle(block, random);
            mixed.addAll(block);
        }
        assertThat(mixed).isNotEqualTo(out).containsExactlyInAnyOrderElementsOf(out);
        Files.write(shuffled.resolve("responses.jsonl"), mixed);
        Files.copy(clean.resolve("feedback.jsonl"), shuffled.resolve("feedback.jsonl"));
        Files.copy(clean.resolve("ratings.jsonl"), shuffled.resolve("ratings.jsonl"));

        String uncapped = floodRun(flood, "flood-uncapped", 2, 1000);
        // a tail SLO's n and good are the evaluator's judgement of values against the series' own
        // trailing median: not a sum over cohorts, so not part of the sum check below
        Set<String> tail = new HashSet<>();
        for (io.llmslo.slo.SloDefinition d : job(flood, "jdbc:sqlite:unused").slo.all()) {
            if (d.kind() == io.llmslo.slo.SloKind.TAIL_BLOWUP) {
                tail.add(d.name());
            }
        }
        assertThat(tail).isNotEmpty();
        String p1 = floodRun(flood, "flood-p1", 1, 20);
        String p2 = floodRun(flood, "flood-p2", 2, 20);
        String reordered = floodRun(shuffled, "flood-shuffled", 2, 20);
        for (String table : COMPARED) {
            List<String> expected = Postgres.rows(p2, table);
            assertThat(Postgres.rows(p1, table)).as("%s at parallelism 1 vs 2", table).isEqualTo(expected);
            assertThat(Postgres.rows(reordered, table)).as("%s with the input shuffled", table).isEqualTo(expected);
        }

        // the rule, from the input alone: the 20 regions first seen earliest (minute), ties by value
        Map<String, Long> firstMinute = new HashMap<>();
        for (String line : out) {
            JsonNode r = json.readTree(line);
            long minute = io.llmslo.slo.TimeBuckets.endOf(java.time.Instant.parse(r.get("ts").asText()).toEpochMilli(),
                    io.llmslo.slo.TimeBuckets.MINUTE);
            firstMinute.merge(r.get("cohort").get("region").asText(), minute, Math::min);
        }
        assertThat(firstMinute).hasSizeGreaterThan(600);
        List<String> admitted = firstMinute.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .limit(20).map(Map.Entry::getKey).toList();
        Set<String> expectedRegions = new HashSet<>(admitted);
        expectedRegions.add("__other__");
        assertThat(regionsIn(p2)).isEqualTo(expectedRegions);
        assertThat(regionsIn(uncapped)).hasSize(firstMinute.size());

        // against the uncapped run (1.7 M history rows: filtered and summed in SQL): rows of other
        // cohorts and of admitted regions unchanged; __other__ = the sums of the folded regions
        StringBuilder named = new StringBuilder("(cohort NOT LIKE '%cohort.region=%'");
        for (String r : admitted) {
            named.append(" OR cohort LIKE '%cohort.region=").append(r).append("' OR cohort LIKE '%cohort.region=")
                    .append(r).append(",%'");
        }
        named.append(")");
        assertThat(Postgres.rows(p2, "slo_history WHERE cohort NOT LIKE '%cohort.region=\\_\\_other\\_\\_%' ESCAPE '\\'"))
                .as("rows of other cohorts and admitted regions, capped vs uncapped")
                .isEqualTo(Postgres.rows(uncapped, "slo_history WHERE " + named));
        String after = "substr(cohort, instr(cohort, 'cohort.region=') + 14)";
        String otherCohort = "substr(cohort, 1, instr(cohort, 'cohort.region=') - 1) || 'cohort.region=__other__' || "
                + "CASE WHEN instr(" + after + ", ',') > 0 THEN substr(" + after + ", instr(" + after + ", ',')) ELSE '' END";
        List<String> folded = new ArrayList<>();
        for (Map<String, Object> r : Tables.rows(uncapped, "SELECT slo, " + otherCohort + " AS c, CAST(eval_time AS TEXT) AS t,"
                + " \"window\", SUM(n) AS n, SUM(good) AS good FROM slo_history WHERE NOT " + named
                + " GROUP BY slo, c, t, \"window\"")) {
            folded.add(r.get("slo") + "|" + r.get("c") + "|" + r.get("t") + "|" + r.get("window") + "|"
                    + Tables.asLong(r.get("n")) + "|" + Tables.asLong(r.get("good")));
        }
        List<String> others = new ArrayList<>();
        for (Map<String, Object> r : Tables.rows(p2, "SELECT slo, cohort, CAST(eval_time AS TEXT) AS t, \"window\", n, good FROM slo_history"
                + " WHERE cohort LIKE '%cohort.region=\\_\\_other\\_\\_%' ESCAPE '\\'")) {
            if (tail.contains(String.valueOf(r.get("slo")))) {
                continue;
            }
            others.add(r.get("slo") + "|" + r.get("cohort") + "|" + r.get("t") + "|" + r.get("window") + "|"
                    + Tables.asLong(r.get("n")) + "|" + Tables.asLong(r.get("good")));
        }
        assertThat(others).isNotEmpty();
        assertThat(folded).as("n and good of the folded regions' rows, summed").containsAll(others);

        assertThat(Tables.rows(uncapped, "SELECT * FROM dead_letters WHERE reason LIKE 'cohort_cap:%'")).isEmpty();
        Long count = null;
        for (String url : List.of(p1, p2, reordered)) {
            List<Map<String, Object>> cap = Tables.rows(url, "SELECT * FROM dead_letters WHERE reason LIKE 'cohort_cap:%'");
            assertThat(cap).hasSize(1);
            assertThat(String.valueOf(cap.get(0).get("reason"))).contains("'cohort.region'").contains("cohorts.max_values");
            long n = Tables.asLong(cap.get(0).get("count"));
            // observations folded: at least one per folded request (its availability in surface × region)
            assertThat(n).isGreaterThanOrEqualTo(600 - 20);
            if (count != null) {
                assertThat(n).as("cohort_cap count, " + url).isEqualTo(count);
            }
            count = n;
        }
        System.out.println("cohort cap: " + admitted.size() + " named regions + __other__, " + others.size()
                + " __other__ history rows, " + count + " folded observations; slo_history rows capped "
                + Postgres.count(p2, "SELECT COUNT(*) FROM slo_history") + " vs uncapped "
                + Postgres.count(uncapped, "SELECT COUNT(*) FROM slo_history") + " (history_interval 1h)");
    }

    static String floodRun(Path in, String name, int parallelism, int maxValues) throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve(name + ".db");
        JobRunner.run(JobConfig.parse(name + ".yaml", """
                name: %3$s
                parallelism: %4$d
                sources: {type: files, responses: %1$s/responses.jsonl, feedback: %1$s/feedback.jsonl, ratings: %1$s/ratings.jsonl}
                judge: {enabled: false}
                event_time: {out_of_orderness: 4h}
                cohorts:
                  max_values: %5$d
                output: {jdbc_url: "%2$s", history_interval: 1h}
                """.formatted(in, url, name, parallelism, maxValues)));
        return url;
    }

    /** The cohort.region value of a cohort key; null if it has none. */
    static String regionOf(String cohort) {
        int at = cohort.indexOf("cohort.region=");
        if (at < 0) {
            return null;
        }
        String v = cohort.substring(at + "cohort.region=".length());
        return v.contains(",") ? v.substring(0, v.indexOf(',')) : v; // per-provider keys go on
    }

    static Set<String> regionsIn(String url) throws Exception {
        Set<String> regions = new HashSet<>();
        for (Map<String, Object> r : Tables.rows(url, "SELECT DISTINCT cohort FROM slo_history")) {
            String region = regionOf(String.valueOf(r.get("cohort")));
            if (region != null) {
                regions.add(region);
            }
        }
        return regions;
    }

    static void verify(String cleanUrl, String hostileUrl, String db) throws Exception {
        for (String table : COMPARED) {
            List<String> expected = Postgres.rows(cleanUrl, table);
            assertThat(Postgres.rows(hostileUrl, table)).as("%s on %s, with vs without the hostile records", table, db)
                    .hasSize(expected.size()).isEqualTo(expected);
        }
        assertThat(Postgres.rows(cleanUrl, "slo_history")).as("the comparison compares something").isNotEmpty();

        Set<String> before = new HashSet<>();
        for (Map<String, Object> r : Tables.rows(cleanUrl, "SELECT source, payload_hash FROM dead_letters")) {
            before.add(r.get("source") + "|" + r.get("payload_hash"));
        }
        List<Map<String, Object>> added = new ArrayList<>();
        for (Map<String, Object> r : Tables.rows(hostileUrl, "SELECT * FROM dead_letters")) {
            if (!before.contains(r.get("source") + "|" + r.get("payload_hash"))) {
                added.add(r);
            }
        }
        Map<String, List<Kind>> byMarker = new LinkedHashMap<>();
        for (Kind k : corpus.kinds()) {
            byMarker.computeIfAbsent(k.marker(), x -> new ArrayList<>()).add(k);
        }
        Map<String, List<Map<String, Object>>> found = new HashMap<>();
        List<String> unexplained = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        for (Map<String, Object> row : added) {
            String payload = String.valueOf(row.get("payload"));
            String marker = byMarker.keySet().stream().filter(payload::contains).findFirst().orElse(null);
            if (marker == null && "duplicate".equals(row.get("reason"))
                    && duplicated.stream().anyMatch(id -> payload.contains("\"" + id + "\""))) {
                marker = "duplicate";
            }
            if (marker == null) {
                unexplained.add(row.get("source") + ": " + row.get("reason") + " | " + clip(payload));
            } else {
                found.computeIfAbsent(marker, x -> new ArrayList<>()).add(row);
            }
        }
        assertThat(unexplained).as("dead letters no hostile record explains (%s)", db).isEmpty();
        for (Map.Entry<String, List<Kind>> e : byMarker.entrySet()) {
            List<Map<String, Object>> rows = found.getOrDefault(e.getKey(), List.of());
            Kind kind = e.getValue().get(0);
            assertThat(rows).as("dead letters of '%s' (%s)", kind.name(), db).hasSize(e.getValue().size());
            for (Map<String, Object> row : rows) {
                String reason = String.valueOf(row.get("reason"));
                assertThat(Pattern.compile(kind.reason()).matcher(reason).find())
                        .as("reason of '%s' (%s): %s", kind.name(), db, reason).isTrue();
                assertThat(Tables.asLong(row.get("count"))).as("count of '%s' (%s)", kind.name(), db)
                        .isEqualTo(kind.repeats());
                report.append(String.format("%-75s | %-9s | %s%n", kind.name(), row.get("source"), clip(reason)));
            }
        }
        // two copies of one response, one of another: two rows, three records
        List<Map<String, Object>> dups = found.getOrDefault("duplicate", List.of()).stream()
                .filter(r -> "responses".equals(r.get("source"))).toList();
        assertThat(dups).as("duplicate responses (%s)", db).hasSize(2);
        assertThat(dups.stream().mapToLong(r -> Tables.asLong(r.get("count"))).sum()).as("duplicate responses").isEqualTo(3);
        // the copied rating: a duplicate, or, if the original was already a dead letter in the clean
        // run (a late rating), the same row with its count one higher
        String ratingId = duplicatedRating;
        assertThat(ratingId).as("a rating was copied").isNotNull();
        List<Map<String, Object>> ratingRows = Tables.rows(hostileUrl, "SELECT * FROM dead_letters WHERE source = 'ratings'")
                .stream().filter(r -> String.valueOf(r.get("payload")).contains("\"" + ratingId + "\"")).toList();
        if (ratingRows.stream().noneMatch(r -> "duplicate".equals(r.get("reason")))) {
            List<Map<String, Object>> cleanRows = Tables.rows(cleanUrl, "SELECT * FROM dead_letters WHERE source = 'ratings'")
                    .stream().filter(r -> String.valueOf(r.get("payload")).contains("\"" + ratingId + "\"")).toList();
            assertThat(cleanRows).as("the copied rating's original was a dead letter (%s)", db).hasSize(1);
            assertThat(ratingRows).hasSize(1);
            assertThat(Tables.asLong(ratingRows.get(0).get("count")))
                    .isEqualTo(Tables.asLong(cleanRows.get(0).get("count")) + 1);
        }
        System.out.println("hostile corpus on " + db + ": " + corpus.kinds().size() + " kinds, " + added.size()
                + " new dead-letter rows\n" + report);
    }

    static String clip(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }
}
