package io.llmslo.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Reads a simulator output directory back, independently of the generator's own classes. */
final class TrafficFiles {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> NEGATIVE = Set.of("regenerate", "abandon", "handoff", "thumbs_down");
    static final long ACCEPTANCE_WINDOW_MS = 10 * 60 * 1000;

    final List<JsonNode> responses = new ArrayList<>();
    final Map<String, JsonNode> feedbackById = new HashMap<>();
    final Map<String, List<JsonNode>> ratingsById = new HashMap<>();

    TrafficFiles(Path dir) throws IOException {
        Map<String, JsonNode> seen = new HashMap<>();
        for (String line : lines(dir.resolve(TrafficSimulator.RESPONSES))) {
            JsonNode n = JSON.readTree(line);
            if (seen.putIfAbsent(n.get("request_id").asText(), n) == null) {
                responses.add(n);
            }
        }
        for (String line : lines(dir.resolve(TrafficSimulator.FEEDBACK))) {
            JsonNode n = JSON.readTree(line);
            feedbackById.put(n.get("request_id").asText(), n);
        }
        for (String line : lines(dir.resolve(TrafficSimulator.RATINGS))) {
            JsonNode n = JSON.readTree(line);
            ratingsById.computeIfAbsent(n.get("request_id").asText(), k -> new ArrayList<>()).add(n);
        }
    }

    static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    // Predicates re-read ts many times per record; parsing it each time dominated test time.
    private static final Map<JsonNode, Long> TS_CACHE = new IdentityHashMap<>();

    static long ts(JsonNode n) {
        return TS_CACHE.computeIfAbsent(n, k -> Instant.parse(k.get("ts").asText()).toEpochMilli());
    }

    static boolean success(JsonNode r) {
        return r.get("outcome").asText().equals("success");
    }

    static Predicate<JsonNode> in(String from, String to) {
        long f = Instant.parse(from).toEpochMilli();
        long t = Instant.parse(to).toEpochMilli();
        return r -> ts(r) >= f && ts(r) < t;
    }

    static Predicate<JsonNode> is(String field, String value) {
        return r -> {
            JsonNode v = field.startsWith("cohort.") ? r.get("cohort").get(field.substring(7)) : r.get(field);
            return v != null && v.asText().equals(value);
        };
    }

    List<JsonNode> select(Predicate<JsonNode> p) {
        return responses.stream().filter(p).toList();
    }

    /** DESIGN §2: accepted unless a negative signal arrives within 10 min of the response. */
    double acceptance(List<JsonNode> rs) {
        long n = 0;
        long accepted = 0;
        for (JsonNode r : rs) {
            if (!success(r)) {
                continue;
            }
            n++;
            JsonNode f = feedbackById.get(r.get("request_id").asText());
            boolean rejected = f != null && NEGATIVE.contains(f.get("signal").asText())
                    && ts(f) - ts(r) <= ACCEPTANCE_WINDOW_MS;
            accepted += rejected ? 0 : 1;
        }
        return (double) accepted / n;
    }

    double usefulRate(List<JsonNode> rs) {
        long n = 0;
        long useful = 0;
        for (JsonNode r : rs) {
            for (JsonNode rating : ratingsById.getOrDefault(r.get("request_id").asText(), List.of())) {
                n++;
                useful += rating.get("score").asInt() >= 4 ? 1 : 0;
            }
        }
        return (double) useful / n;
    }

    long ratingCount(List<JsonNode> rs) {
        return rs.stream().mapToLong(r -> ratingsById.getOrDefault(r.get("request_id").asText(), List.of()).size())
                .sum();
    }

    static double refusalRate(List<JsonNode> rs) {
        List<JsonNode> ok = rs.stream().filter(TrafficFiles::success).toList();
        return (double) ok.stream().filter(r -> r.get("refused").asBoolean()).count() / ok.size();
    }

    static double successRate(List<JsonNode> rs) {
        return (double) rs.stream().filter(TrafficFiles::success).count() / rs.size();
    }

    /** Share of attempts to {@code provider} that succeeded. */
    static double attemptSuccess(List<JsonNode> rs, String provider) {
        long n = 0;
        long ok = 0;
        for (JsonNode r : rs) {
            for (JsonNode a : r.get("attempts")) {
                if (a.get("provider").asText().equals(provider)) {
                    n++;
                    ok += a.get("outcome").asText().equals("success") ? 1 : 0;
                }
            }
        }
        return (double) ok / n;
    }

    static double[] values(List<JsonNode> rs, String field) {
        return rs.stream().filter(TrafficFiles::success).filter(r -> r.has(field))
                .mapToDouble(r -> r.get(field).asDouble()).sorted().toArray();
    }

    static double quantile(double[] sorted, double q) {
        return sorted[(int) Math.floor(q * (sorted.length - 1))];
    }

    static double fractionAtMost(double[] values, double threshold) {
        long n = 0;
        for (double v : values) {
            n += v <= threshold ? 1 : 0;
        }
        return (double) n / values.length;
    }
}
