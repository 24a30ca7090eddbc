package io.llmslo.sim;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.llmslo.sim.Scenario.Baseline;
import io.llmslo.sim.Scenario.CostBlowup;
import io.llmslo.sim.Scenario.Incident;
import io.llmslo.sim.Scenario.LatencyRegression;
import io.llmslo.sim.Scenario.Match;
import io.llmslo.sim.Scenario.ModelSpec;
import io.llmslo.sim.Scenario.ProviderOutage;
import io.llmslo.sim.Scenario.QualityRegression;
import io.llmslo.sim.Scenario.SurfaceSpec;
import io.llmslo.sim.Scenario.Weighted;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the YAML tree by hand rather than binding it, so that every error can name the file,
 * the full key path and what was expected, e.g.
 * {@code month.yaml: key 'incidents[1].multiplier' expected a number > 0, got -2}.
 */
final class ScenarioParser {
    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().build()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final String SURFACE_NAMES = "chat|agent|rag|batch";
    private static final Set<String> TOP_KEYS = keys("name", "description", "start", "days", "requests_per_day",
            "seed", "diurnal", "weekend_factor", "surfaces", "models", "providers", "regions", "locales", "baseline",
            "incidents", "invalid_rate", "duplicate_rate");
    private static final Set<String> BASELINE_KEYS = keys("negative_rate", "useful_rate", "refusal_rate",
            "attempt_failure_rate", "failover_rate", "feedback_rate", "rating_rate", "late_negative_share");
    private static final Set<String> MATCH_KEYS = keys("surface", "model", "provider", "region", "locale");
    private static final Set<String> INCIDENT_COMMON = keys("type", "name", "description", "from", "to", "match");

    static final Baseline DEFAULT_BASELINE = new Baseline(0.08, 0.92, 0.01, 0.003, 0.90, 0.70, 0.03, 0.12);

    private final String file;

    ScenarioParser(String file) {
        this.file = file;
    }

    Scenario parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc != null && loc.getLineNr() > 0 ? " line " + loc.getLineNr() + ":" : "";
            throw new ScenarioException(file + ":" + where + " not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = YAML.createObjectNode();
        }
        if (!root.isObject()) {
            throw new ScenarioException(file + ": expected a mapping of scenario keys at the top level, got "
                    + describe(root));
        }
        checkKeys(root, "", TOP_KEYS);

        Instant start = instant(root.get("start"), "start", Instant.parse("2026-10-01T00:00:00Z"));
        int days = positiveInt(root, "days", 35);
        int perDay = positiveInt(root, "requests_per_day", 1200);
        long seed = longValue(root, "seed", 42L);
        boolean diurnal = bool(root, "diurnal", true);
        double weekend = number(root.get("weekend_factor"), "weekend_factor", 0.8, 0.0, false, 1.0, true,
                "a number in (0, 1]");
        List<SurfaceSpec> surfaces = surfaces(root.get("surfaces"));
        List<ModelSpec> models = models(root.get("models"));
        List<Weighted> providers = weighted(root.get("providers"), "providers", List.of("openai", "anthropic"),
                List.of(1.0, 1.0));
        List<Weighted> regions = weighted(root.get("regions"), "regions", List.of("eu-west", "us-east", "ap-south"),
                List.of(0.4, 0.3, 0.3));
        List<Weighted> locales = weighted(root.get("locales"), "locales", List.of("en-US", "de-DE", "ja-JP"),
                List.of(0.55, 0.25, 0.20));
        Baseline baseline = baseline(root.get("baseline"));
        double invalid = probability(root.get("invalid_rate"), "invalid_rate", 0.0);
        double duplicate = probability(root.get("duplicate_rate"), "duplicate_rate", 0.002);

        Instant end = start.plusSeconds(86_400L * days);
        List<Incident> incidents = new ArrayList<>();
        JsonNode inc = root.get("incidents");
        if (inc != null && !inc.isNull()) {
            if (!inc.isArray()) {
                throw expected("incidents", "a list of incidents", inc);
            }
            for (int i = 0; i < inc.size(); i++) {
                incidents.add(incident(inc.get(i), "incidents[" + i + "]", end, surfaces, models, providers,
                        regions, locales, baseline));
            }
        }
        return new Scenario(file, start, days, perDay, seed, diurnal, weekend, surfaces, models, providers, regions,
                locales, baseline, incidents, invalid, duplicate);
    }

    // ---------------------------------------------------------------- sections

    private List<SurfaceSpec> surfaces(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of(new SurfaceSpec(Surface.CHAT, 0.5, true), new SurfaceSpec(Surface.AGENT, 0.2, true),
                    new SurfaceSpec(Surface.RAG, 0.2, false), new SurfaceSpec(Surface.BATCH, 0.1, false));
        }
        if (!node.isArray() || node.isEmpty()) {
            throw expected("surfaces", "a non-empty list of {name, share, streaming}", node);
        }
        List<SurfaceSpec> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        double[] shares = new double[node.size()];
        for (int i = 0; i < node.size(); i++) {
            String p = "surfaces[" + i + "]";
            JsonNode s = node.get(i);
            if (!s.isObject()) {
                throw expected(p, "an object {name, share, streaming}", s);
            }
            checkKeys(s, p, keys("name", "share", "streaming"));
            String name = requiredString(s, p + ".name");
            Surface surface = Surface.fromWire(name);
            if (surface == null) {
                throw expected(p + ".name", "one of " + SURFACE_NAMES, s.get("name"));
            }
            if (!seen.add(name)) {
                throw new ScenarioException(file + ": key '" + p + ".name' repeats surface '" + name + "'");
            }
            shares[i] = share(s.get("share"), p + ".share");
            boolean streaming = bool(s, p, "streaming", surface.defaultStreaming());
            out.add(new SurfaceSpec(surface, shares[i], streaming));
        }
        double sum = sum(shares, "surfaces");
        return out.stream().map(s -> new SurfaceSpec(s.surface(), s.share() / sum, s.streaming())).toList();
    }

    private List<ModelSpec> models(JsonNode node) {
        List<Weighted> w = weighted(node, "models", List.of("m-1", "m-2"), List.of(1.0, 1.0));
        List<ModelSpec> out = new ArrayList<>();
        for (int i = 0; i < w.size(); i++) {
            String name = w.get(i).name();
            // Illustrative list prices per million tokens: m-2 is the cheaper, slightly faster tier.
            double in = name.equals("m-2") ? 1.0 : 2.5;
            double outP = name.equals("m-2") ? 4.0 : 10.0;
            double lf = name.equals("m-2") ? 0.9 : 1.0;
            JsonNode m = node != null && node.isArray() ? node.get(i) : null;
            if (m != null && m.isObject()) {
                String p = "models[" + i + "]";
                in = number(m.get("input_usd_per_mtok"), p + ".input_usd_per_mtok", in, 0, true, 1e6, true,
                        "a number >= 0");
                outP = number(m.get("output_usd_per_mtok"), p + ".output_usd_per_mtok", outP, 0, true, 1e6, true,
                        "a number >= 0");
                lf = number(m.get("latency_factor"), p + ".latency_factor", lf, 0, false, 1e3, true,
                        "a number > 0");
            }
            out.add(new ModelSpec(name, w.get(i).share(), in, outP, lf));
        }
        return out;
    }

    /**
     * A categorical dimension: a list of names (equal shares), a list of {name, share}, or a
     * mapping name: share. Shares are normalised so they need not add up to 1.
     */
    private List<Weighted> weighted(JsonNode node, String key, List<String> defNames, List<Double> defShares) {
        if (node == null || node.isNull()) {
            double sum = defShares.stream().mapToDouble(Double::doubleValue).sum();
            List<Weighted> out = new ArrayList<>();
            for (int i = 0; i < defNames.size(); i++) {
                out.add(new Weighted(defNames.get(i), defShares.get(i) / sum));
            }
            return out;
        }
        String expectation = "a non-empty list of names, a list of {name, share} or a mapping name: share";
        List<String> names = new ArrayList<>();
        List<Double> shares = new ArrayList<>();
        if (node.isArray() && !node.isEmpty()) {
            Set<String> allowed = key.equals("models")
                    ? keys("name", "share", "input_usd_per_mtok", "output_usd_per_mtok", "latency_factor")
                    : keys("name", "share");
            for (int i = 0; i < node.size(); i++) {
                String p = key + "[" + i + "]";
                JsonNode e = node.get(i);
                if (e.isTextual()) {
                    names.add(nonBlank(e, p));
                    shares.add(1.0);
                } else if (e.isObject()) {
                    checkKeys(e, p, allowed);
                    names.add(requiredString(e, p + ".name"));
                    shares.add(share(e.get("share"), p + ".share"));
                } else {
                    throw expected(p, "a name or an object {name, share}", e);
                }
            }
        } else if (node.isObject() && !node.isEmpty()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                names.add(e.getKey());
                shares.add(share(e.getValue(), key + "." + e.getKey()));
            }
        } else {
            throw expected(key, expectation, node);
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                throw new ScenarioException(file + ": key '" + key + "' repeats '" + n + "'");
            }
        }
        double sum = sum(shares.stream().mapToDouble(Double::doubleValue).toArray(), key);
        List<Weighted> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            out.add(new Weighted(names.get(i), shares.get(i) / sum));
        }
        return out;
    }

    private Baseline baseline(JsonNode node) {
        Baseline d = DEFAULT_BASELINE;
        if (node == null || node.isNull()) {
            return d;
        }
        if (!node.isObject()) {
            throw expected("baseline", "a mapping of baseline rates", node);
        }
        checkKeys(node, "baseline", BASELINE_KEYS);
        return new Baseline(
                probability(node.get("negative_rate"), "baseline.negative_rate", d.negativeRate()),
                probability(node.get("useful_rate"), "baseline.useful_rate", d.usefulRate()),
                probability(node.get("refusal_rate"), "baseline.refusal_rate", d.refusalRate()),
                probability(node.get("attempt_failure_rate"), "baseline.attempt_failure_rate",
                        d.attemptFailureRate()),
                probability(node.get("failover_rate"), "baseline.failover_rate", d.failoverRate()),
                probability(node.get("feedback_rate"), "baseline.feedback_rate", d.feedbackRate()),
                probability(node.get("rating_rate"), "baseline.rating_rate", d.ratingRate()),
                probability(node.get("late_negative_share"), "baseline.late_negative_share",
                        d.lateNegativeShare()));
    }

    private Incident incident(JsonNode node, String p, Instant end, List<SurfaceSpec> surfaces,
                              List<ModelSpec> models, List<Weighted> providers, List<Weighted> regions,
                              List<Weighted> locales, Baseline baseline) {
        if (!node.isObject()) {
            throw expected(p, "an incident object {type, from, to, match, ...}", node);
        }
        String type = requiredString(node, p + ".type");
        Set<String> allowed = new LinkedHashSet<>(INCIDENT_COMMON);
        switch (type) {
            case "provider_outage" -> allowed.addAll(keys("provider", "failure_rate", "failover_rate"));
            case "latency_regression", "cost_blowup" -> allowed.add("multiplier");
            case "quality_regression" -> allowed.addAll(keys("negative_rate", "useful_rate", "refusal_rate"));
            default -> throw expected(p + ".type",
                    "one of provider_outage|latency_regression|cost_blowup|quality_regression", node.get("type"));
        }
        checkKeys(node, p, allowed);
        Instant from = instant(node.get("from"), p + ".from", null);
        Instant to = instant(node.get("to"), p + ".to", end);
        if (!to.isAfter(from)) {
            throw new ScenarioException(file + ": key '" + p + ".to' expected an instant after from (" + from
                    + "), got " + to);
        }
        Match match = match(node.get("match"), p + ".match", surfaces, models, providers, regions, locales);
        return switch (type) {
            case "provider_outage" -> {
                String provider = requiredString(node, p + ".provider");
                oneOf(provider, names(providers, Weighted::name), p + ".provider", node.get("provider"));
                double failure = number(node.get("failure_rate"), p + ".failure_rate", Double.NaN, 0, false, 1,
                        true, "a probability in (0, 1]");
                double failover = probability(node.get("failover_rate"), p + ".failover_rate", 0.98);
                yield new ProviderOutage(from, to, match, provider, failure, failover);
            }
            case "latency_regression" -> new LatencyRegression(from, to, match, multiplier(node, p));
            case "cost_blowup" -> new CostBlowup(from, to, match, multiplier(node, p));
            default -> {
                if (!node.has("negative_rate") && !node.has("useful_rate") && !node.has("refusal_rate")) {
                    throw new ScenarioException(file + ": key '" + p + "' expected at least one of negative_rate, "
                            + "useful_rate, refusal_rate for a quality_regression");
                }
                yield new QualityRegression(from, to, match,
                        probability(node.get("negative_rate"), p + ".negative_rate", baseline.negativeRate()),
                        probability(node.get("useful_rate"), p + ".useful_rate", baseline.usefulRate()),
                        probability(node.get("refusal_rate"), p + ".refusal_rate", baseline.refusalRate()));
            }
        };
    }

    private double multiplier(JsonNode node, String p) {
        return number(node.get("multiplier"), p + ".multiplier", Double.NaN, 0, false, 1e6, true, "a number > 0");
    }

    private Match match(JsonNode node, String p, List<SurfaceSpec> surfaces, List<ModelSpec> models,
                        List<Weighted> providers, List<Weighted> regions, List<Weighted> locales) {
        if (node == null || node.isNull()) {
            return Match.ALL;
        }
        if (!node.isObject()) {
            throw expected(p, "a mapping with any of surface, model, provider, region, locale", node);
        }
        checkKeys(node, p, MATCH_KEYS);
        return new Match(
                matchValue(node, p, "surface", names(surfaces, SurfaceSpec::name)),
                matchValue(node, p, "model", names(models, ModelSpec::name)),
                matchValue(node, p, "provider", names(providers, Weighted::name)),
                matchValue(node, p, "region", names(regions, Weighted::name)),
                matchValue(node, p, "locale", names(locales, Weighted::name)));
    }

    /** Values are checked against the configured ones: a typo would otherwise match nothing, silently. */
    private String matchValue(JsonNode node, String p, String key, List<String> allowed) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        String path = p + "." + key;
        if (!v.isTextual()) {
            throw expected(path, "one of " + String.join("|", allowed), v);
        }
        oneOf(v.asText(), allowed, path, v);
        return v.asText();
    }

    // ---------------------------------------------------------------- scalars

    private void oneOf(String value, List<String> allowed, String path, JsonNode node) {
        if (!allowed.contains(value)) {
            throw expected(path, "one of " + String.join("|", allowed), node);
        }
    }

    private Instant instant(JsonNode v, String path, Instant def) {
        String expectation = "an ISO-8601 instant such as 2026-10-01T00:00:00Z";
        if (v == null || v.isNull()) {
            if (def == null) {
                throw required(path, expectation);
            }
            return def;
        }
        if (!v.isTextual()) {
            throw expected(path, expectation, v);
        }
        String s = v.asText().trim();
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            // fall through to the friendlier forms
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            // fall through
        }
        try {
            return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw expected(path, expectation, v);
        }
    }

    private int positiveInt(JsonNode parent, String key, int def) {
        JsonNode v = parent.get(key);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() <= 0) {
            throw expected(key, "a positive integer", v);
        }
        return v.asInt();
    }

    private long longValue(JsonNode parent, String key, long def) {
        JsonNode v = parent.get(key);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw expected(key, "an integer", v);
        }
        return v.asLong();
    }

    private boolean bool(JsonNode parent, String key, boolean def) {
        return bool(parent, "", key, def);
    }

    private boolean bool(JsonNode parent, String prefix, String key, boolean def) {
        JsonNode v = parent.get(key);
        String path = prefix.isEmpty() ? key : prefix + "." + key;
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isBoolean()) {
            throw expected(path, "true or false", v);
        }
        return v.asBoolean();
    }

    private double share(JsonNode v, String path) {
        return number(v, path, 1.0, 0, true, Double.MAX_VALUE, true, "a share >= 0");
    }

    private double probability(JsonNode v, String path, double def) {
        return number(v, path, def, 0, true, 1, true, "a probability in [0, 1]");
    }

    private double number(JsonNode v, String path, double def, double lo, boolean loInclusive, double hi,
                          boolean hiInclusive, String expectation) {
        if (v == null || v.isNull()) {
            if (Double.isNaN(def)) {
                throw required(path, expectation);
            }
            return def;
        }
        if (!v.isNumber()) {
            throw expected(path, expectation, v);
        }
        double d = v.asDouble();
        boolean ok = Double.isFinite(d) && (loInclusive ? d >= lo : d > lo) && (hiInclusive ? d <= hi : d < hi);
        if (!ok) {
            throw expected(path, expectation, v);
        }
        return d;
    }

    private double sum(double[] shares, String key) {
        double sum = Arrays.stream(shares).sum();
        if (!(sum > 0)) {
            throw new ScenarioException(file + ": key '" + key + "' expected shares adding up to more than 0, got "
                    + sum);
        }
        return sum;
    }

    private String requiredString(JsonNode parent, String path) {
        String key = path.substring(path.lastIndexOf('.') + 1);
        JsonNode v = parent.get(key);
        if (v == null || v.isNull()) {
            throw required(path, "a string");
        }
        return nonBlank(v, path);
    }

    private String nonBlank(JsonNode v, String path) {
        if (!v.isTextual() || v.asText().isBlank()) {
            throw expected(path, "a non-empty string", v);
        }
        return v.asText();
    }

    private void checkKeys(JsonNode obj, String prefix, Set<String> allowed) {
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                String path = prefix.isEmpty() ? k : prefix + "." + k;
                throw new ScenarioException(file + ": unknown key '" + path + "' (expected one of "
                        + String.join(", ", allowed) + ")");
            }
        }
    }

    private ScenarioException expected(String path, String expectation, JsonNode got) {
        return new ScenarioException(file + ": key '" + path + "' expected " + expectation + ", got "
                + describe(got));
    }

    private ScenarioException required(String path, String expectation) {
        return new ScenarioException(file + ": key '" + path + "' is required (expected " + expectation + ")");
    }

    private static String describe(JsonNode v) {
        if (v == null || v instanceof MissingNode || v.isNull()) {
            return "nothing";
        }
        if (v.isTextual()) {
            return "'" + v.asText() + "'";
        }
        if (v.isNumber() || v.isBoolean()) {
            return v.asText();
        }
        if (v.isArray()) {
            return "a list";
        }
        return "a mapping";
    }

    private static <T> List<String> names(List<T> list, Function<T, String> name) {
        return list.stream().map(name).toList();
    }

    private static Set<String> keys(String... k) {
        return new LinkedHashSet<>(List.of(k));
    }
}
