package io.llmslo.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An independent computation of the SLO observations of DESIGN §2–3 straight from the JSONL
 * files: its own parsing (Jackson trees), its own acceptance rule and cohort keys, no code of the
 * job. Integration tests compare the job's tables with it.
 */
public final class SloOracle {

    public static final long MIN = 60_000L;
    public static final long HOUR = 3_600_000L;
    public static final long DAY = 86_400_000L;

    public record Obs(String slo, long t, String cohort, boolean good) {}

    /** Window lengths of the seed's catalogue, for the SLOs the oracle covers. */
    public static final Map<String, Long> WINDOWS = Map.of(
            "availability.success", 30 * DAY,
            "availability.provider_success", 7 * DAY,
            "quality.acceptance", 7 * DAY,
            "quality.human_useful", 7 * DAY,
            "quality.refusal_drift", 7 * DAY,
            "latency.total_p95", DAY,
            "latency.ttft_p95", DAY,
            "cost.p95", DAY);

    public static final Map<String, Double> TARGETS = Map.of(
            "availability.success", 0.9995,
            "availability.provider_success", 0.995,
            "quality.acceptance", 0.88,
            "quality.human_useful", 0.85,
            "latency.total_p95", 0.95,
            "latency.ttft_p95", 0.95,
            "cost.p95", 0.95);

    private static final Map<String, Double> TOTAL_MS = Map.of(
            "chat", 8_000.0, "agent", 25_000.0, "rag", 2_500.0, "batch", 60_000.0);
    private static final Set<String> OUTCOMES = Set.of("success", "error", "timeout", "rate_limited");
    private static final Set<String> NEGATIVE = Set.of("regenerate", "abandon", "handoff", "thumbs_down");
    private static final Set<String> SIGNALS = Set.of("accept", "continue", "copy", "thumbs_up",
            "regenerate", "abandon", "handoff", "thumbs_down");
    private static final List<List<String>> SETS = List.of(
            List.of("surface"), List.of("surface", "model"), List.of("surface", "cohort.region"),
            List.of("surface", "cohort.locale"));

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, List<Obs>> bySeries = new HashMap<>();

    public static SloOracle of(Path dir) throws IOException {
        SloOracle o = new SloOracle();
        o.compute(dir);
        return o;
    }

    private void compute(Path dir) throws IOException {
        Map<String, JsonNode> responses = new LinkedHashMap<>();
        for (JsonNode r : read(dir.resolve("responses.jsonl"))) {
            if (text(r, "request_id") == null || text(r, "surface") == null || text(r, "model") == null
                    || !OUTCOMES.contains(String.valueOf(text(r, "outcome"))) || ts(r) == null) {
                continue;
            }
            responses.putIfAbsent(r.get("request_id").asText(), r);
        }
        Map<String, Long> firstNegative = new HashMap<>();
        for (JsonNode f : read(dir.resolve("feedback.jsonl"))) {
            String id = text(f, "request_id");
            String signal = text(f, "signal");
            Long t = ts(f);
            if (id == null || t == null || signal == null || !SIGNALS.contains(signal) || !NEGATIVE.contains(signal)) {
                continue;
            }
            firstNegative.merge(id, t, Math::min);
        }
        for (JsonNode r : responses.values()) {
            long t = ts(r);
            Map<String, String> dims = dims(r);
            boolean success = "success".equals(text(r, "outcome"));
            add("availability.success", t, dims, success);
            for (JsonNode a : r.path("attempts")) {
                Map<String, String> ad = new HashMap<>(dims);
                ad.put("provider", a.get("provider").asText());
                add("availability.provider_success", t, ad, "success".equals(a.get("outcome").asText()));
            }
            if (r.hasNonNull("cost_usd")) {
                add("cost.p95", t, dims, r.get("cost_usd").asDouble() <= 0.045);
            }
            if (!success) {
                continue;
            }
            add("quality.refusal_drift", t, dims, !r.path("refused").asBoolean(false));
            if (r.hasNonNull("total_ms")) {
                add("latency.total_p95", t, dims, r.get("total_ms").asDouble() <= TOTAL_MS.get(text(r, "surface")));
            }
            if (r.hasNonNull("ttft_ms")) {
                add("latency.ttft_p95", t, dims, r.get("ttft_ms").asDouble() <= 600.0);
            }
            Long neg = firstNegative.get(r.get("request_id").asText());
            if (neg != null && neg <= t + 10 * MIN) {
                add("quality.acceptance", neg, dims, false);
            } else {
                add("quality.acceptance", t + 10 * MIN, dims, true);
            }
        }
        Set<String> rated = new HashSet<>();
        for (JsonNode g : read(dir.resolve("ratings.jsonl"))) {
            String id = text(g, "request_id");
            Long t = ts(g);
            JsonNode score = g.get("score");
            if (id == null || t == null || score == null || !score.isInt() || score.asInt() < 1 || score.asInt() > 5) {
                continue;
            }
            JsonNode r = responses.get(id);
            if (r == null || !rated.add(id + "|" + text(g, "rater_id"))) {
                continue;
            }
            boolean useful = g.hasNonNull("useful") ? g.get("useful").asBoolean() : score.asInt() >= 4;
            add("quality.human_useful", t, dims(r), useful);
        }
    }

    private void add(String slo, long t, Map<String, String> dims, boolean good) {
        for (String cohort : cohorts(slo, dims)) {
            bySeries.computeIfAbsent(slo + "|" + cohort, k -> new ArrayList<>()).add(new Obs(slo, t, cohort, good));
        }
    }

    static List<String> cohorts(String slo, Map<String, String> dims) {
        boolean perProvider = slo.equals("availability.provider_success");
        List<String> out = new ArrayList<>();
        out.add(perProvider ? "provider=" + dims.get("provider") : "*");
        for (List<String> set : SETS) {
            StringBuilder sb = new StringBuilder();
            boolean complete = true;
            for (String d : set) {
                if (dims.get(d) == null) {
                    complete = false;
                    break;
                }
                sb.append(sb.length() == 0 ? "" : ",").append(d).append('=').append(dims.get(d));
            }
            if (complete) {
                if (perProvider) {
                    sb.append(",provider=").append(dims.get("provider"));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    /** n and good of a series over its window at instant {@code at} (DESIGN §2, hour rule beyond 6 h). */
    public long[] counts(String slo, String cohort, long at) {
        long w = WINDOWS.get(slo);
        long start = w <= 6 * HOUR ? at - w : Math.floorDiv(at, HOUR) * HOUR - w;
        long n = 0;
        long good = 0;
        for (Obs o : bySeries.getOrDefault(slo + "|" + cohort, List.of())) {
            if (o.t() > start && o.t() <= at) {
                n++;
                if (o.good()) {
                    good++;
                }
            }
        }
        return new long[] {n, good};
    }

    public Set<String> series() {
        return bySeries.keySet();
    }

    public long latestObservation() {
        return bySeries.values().stream().flatMap(List::stream).mapToLong(Obs::t).max().orElseThrow();
    }

    private static Map<String, String> dims(JsonNode r) {
        Map<String, String> d = new HashMap<>();
        d.put("surface", text(r, "surface"));
        d.put("model", text(r, "model"));
        if (text(r, "provider") != null) {
            d.put("provider", text(r, "provider"));
        }
        r.path("cohort").fields().forEachRemaining(e -> d.put("cohort." + e.getKey(), e.getValue().asText()));
        return d;
    }

    private List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode n = mapper.readTree(line);
                if (n != null && n.isObject()) {
                    out.add(n);
                }
            } catch (IOException badLine) {
                // invalid lines are the job's dead letters; they hold no observation
            }
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    private static Long ts(JsonNode n) {
        JsonNode v = n.get("ts");
        if (v == null) {
            return null;
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        try {
            return OffsetDateTime.parse(v.asText()).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
