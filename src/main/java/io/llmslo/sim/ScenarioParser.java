package io.llmslo.sim;

import io.llmslo.config.ConfigException;
import io.llmslo.config.ConfigNode;
import io.llmslo.config.YamlDocument;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a scenario through the same {@link ConfigNode} as job files, so every error names the
 * file, the full key path, what was expected, what was found and where, e.g.
 * {@code month.yaml: key 'incidents[1].multiplier' expected a number > 0, got '-2' (line 9, column 5)}.
 */
final class ScenarioParser {

    private static final String SURFACE_NAMES = "chat|agent|rag|batch";
    private static final String[] TOP_KEYS = {"name", "description", "start", "days", "requests_per_day",
            "seed", "diurnal", "weekend_factor", "surfaces", "models", "providers", "regions", "locales", "baseline",
            "incidents", "invalid_rate", "duplicate_rate"};
    private static final String[] BASELINE_KEYS = {"negative_rate", "useful_rate", "refusal_rate",
            "attempt_failure_rate", "failover_rate", "feedback_rate", "rating_rate", "late_negative_share"};
    private static final String[] MATCH_KEYS = {"surface", "model", "provider", "region", "locale"};
    private static final List<String> INCIDENT_COMMON = List.of("type", "name", "description", "from", "to", "match");
    /** Longest simulated span and volume: beyond them a scenario is a typo, not a plan. */
    private static final int MAX_DAYS = 3_650;
    private static final int MAX_PER_DAY = 10_000_000;

    static final Baseline DEFAULT_BASELINE = new Baseline(0.08, 0.92, 0.01, 0.003, 0.90, 0.70, 0.03, 0.12);

    private final String file;

    ScenarioParser(String file) {
        this.file = file;
    }

    Scenario parse(String yaml) {
        try {
            return read(YamlDocument.parse(file, yaml));
        } catch (ScenarioException e) {
            throw e;
        } catch (ConfigException e) {
            throw new ScenarioException(e.getMessage(), e);
        }
    }

    private Scenario read(ConfigNode root) {
        if (root.present() && !root.raw().isObject()) {
            throw new ScenarioException(file + ": expected a mapping of scenario keys at the top level, got "
                    + describe(root));
        }
        root.allowOnly(TOP_KEYS);

        Instant start = instant(root.get("start"), Instant.parse("2026-10-01T00:00:00Z"));
        int days = positiveInt(root.get("days"), 35, MAX_DAYS);
        int perDay = positiveInt(root.get("requests_per_day"), 1200, MAX_PER_DAY);
        long seed = longValue(root.get("seed"), 42L);
        boolean diurnal = bool(root.get("diurnal"), true);
        double weekend = number(root.get("weekend_factor"), 0.8, 0.0, false, 1.0, true, "a number in (0, 1]");
        List<SurfaceSpec> surfaces = surfaces(root.get("surfaces"));
        List<ModelSpec> models = models(root.get("models"));
        List<Weighted> providers = weighted(root.get("providers"), List.of("openai", "anthropic"), List.of(1.0, 1.0));
        List<Weighted> regions = weighted(root.get("regions"), List.of("eu-west", "us-east", "ap-south"),
                List.of(0.4, 0.3, 0.3));
        List<Weighted> locales = weighted(root.get("locales"), List.of("en-US", "de-DE", "ja-JP"),
                List.of(0.55, 0.25, 0.20));
        Baseline baseline = baseline(root.get("baseline"));
        double invalid = probability(root.get("invalid_rate"), 0.0);
        double duplicate = probability(root.get("duplicate_rate"), 0.002);

        Instant end = start.plusSeconds(86_400L * days);
        List<Incident> incidents = new ArrayList<>();
        for (ConfigNode inc : root.list("incidents")) {
            incidents.add(incident(inc, end, surfaces, models, providers, regions, locales, baseline));
        }
        return new Scenario(file, start, days, perDay, seed, diurnal, weekend, surfaces, models, providers, regions,
                locales, baseline, incidents, invalid, duplicate);
    }

    // ---------------------------------------------------------------- sections

    private List<SurfaceSpec> surfaces(ConfigNode node) {
        if (!node.present()) {
            return List.of(new SurfaceSpec(Surface.CHAT, 0.5, true), new SurfaceSpec(Surface.AGENT, 0.2, true),
                    new SurfaceSpec(Surface.RAG, 0.2, false), new SurfaceSpec(Surface.BATCH, 0.1, false));
        }
        if (!node.raw().isArray() || node.raw().isEmpty()) {
            throw node.error("a non-empty list of {name, share, streaming}");
        }
        List<SurfaceSpec> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        double[] shares = new double[node.raw().size()];
        for (int i = 0; i < shares.length; i++) {
            ConfigNode s = node.at(i);
            if (!s.raw().isObject()) {
                throw s.error("an object {name, share, streaming}");
            }
            s.allowOnly("name", "share", "streaming");
            String name = requiredString(s.get("name"));
            Surface surface = Surface.fromWire(name);
            if (surface == null) {
                throw s.get("name").error("one of " + SURFACE_NAMES);
            }
            if (!seen.add(name)) {
                throw s.get("name").fail("repeats surface '" + name + "'; expected each surface once");
            }
            shares[i] = share(s.get("share"));
            boolean streaming = bool(s.get("streaming"), surface.defaultStreaming());
            out.add(new SurfaceSpec(surface, shares[i], streaming));
        }
        double sum = sum(shares, node);
        return out.stream().map(s -> new SurfaceSpec(s.surface(), s.share() / sum, s.streaming())).toList();
    }

    private List<ModelSpec> models(ConfigNode node) {
        List<Weighted> w = weighted(node, List.of("m-1", "m-2"), List.of(1.0, 1.0));
        List<ModelSpec> out = new ArrayList<>();
        for (int i = 0; i < w.size(); i++) {
            String name = w.get(i).name();
            // Illustrative list prices per million tokens: m-2 is the cheaper, slightly faster tier.
            double in = name.equals("m-2") ? 1.0 : 2.5;
            double outP = name.equals("m-2") ? 4.0 : 10.0;
            double lf = name.equals("m-2") ? 0.9 : 1.0;
            ConfigNode m = node.raw().isArray() ? node.at(i) : null;
            if (m != null && m.raw().isObject()) {
                in = number(m.get("input_usd_per_mtok"), in, 0, true, 1e6, true, "a number >= 0");
                outP = number(m.get("output_usd_per_mtok"), outP, 0, true, 1e6, true, "a number >= 0");
                lf = number(m.get("latency_factor"), lf, 0, false, 1e3, true, "a number > 0");
            }
            out.add(new ModelSpec(name, w.get(i).share(), in, outP, lf));
        }
        return out;
    }

    /**
     * A categorical dimension: a list of names (equal shares), a list of {name, share}, or a
     * mapping name: share. Shares are normalised so they need not add up to 1.
     */
    private List<Weighted> weighted(ConfigNode node, List<String> defNames, List<Double> defShares) {
        if (!node.present()) {
            double sum = defShares.stream().mapToDouble(Double::doubleValue).sum();
            List<Weighted> out = new ArrayList<>();
            for (int i = 0; i < defNames.size(); i++) {
                out.add(new Weighted(defNames.get(i), defShares.get(i) / sum));
            }
            return out;
        }
        List<String> names = new ArrayList<>();
        List<Double> shares = new ArrayList<>();
        if (node.raw().isArray() && !node.raw().isEmpty()) {
            boolean models = node.path().equals("models");
            for (int i = 0; i < node.raw().size(); i++) {
                ConfigNode e = node.at(i);
                if (e.raw().isTextual()) {
                    names.add(nonBlank(e));
                    shares.add(1.0);
                } else if (e.raw().isObject()) {
                    if (models) {
                        e.allowOnly("name", "share", "input_usd_per_mtok", "output_usd_per_mtok", "latency_factor");
                    } else {
                        e.allowOnly("name", "share");
                    }
                    names.add(requiredString(e.get("name")));
                    shares.add(share(e.get("share")));
                } else {
                    throw e.error("a name or an object {name, share}");
                }
            }
        } else if (node.raw().isObject() && !node.raw().isEmpty()) {
            for (Map.Entry<String, ConfigNode> e : nodeEntries(node).entrySet()) {
                names.add(e.getKey());
                shares.add(share(e.getValue()));
            }
        } else {
            throw node.error("a non-empty list of names, a list of {name, share} or a mapping name: share");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                throw node.fail("repeats '" + n + "'; expected each name once");
            }
        }
        double sum = sum(shares.stream().mapToDouble(Double::doubleValue).toArray(), node);
        List<Weighted> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            out.add(new Weighted(names.get(i), shares.get(i) / sum));
        }
        return out;
    }

    private Baseline baseline(ConfigNode node) {
        Baseline d = DEFAULT_BASELINE;
        if (!node.present()) {
            return d;
        }
        if (!node.raw().isObject()) {
            throw node.error("a mapping of baseline rates");
        }
        node.allowOnly(BASELINE_KEYS);
        return new Baseline(
                probability(node.get("negative_rate"), d.negativeRate()),
                probability(node.get("useful_rate"), d.usefulRate()),
                probability(node.get("refusal_rate"), d.refusalRate()),
                probability(node.get("attempt_failure_rate"), d.attemptFailureRate()),
                probability(node.get("failover_rate"), d.failoverRate()),
                probability(node.get("feedback_rate"), d.feedbackRate()),
                probability(node.get("rating_rate"), d.ratingRate()),
                probability(node.get("late_negative_share"), d.lateNegativeShare()));
    }

    private Incident incident(ConfigNode node, Instant end, List<SurfaceSpec> surfaces, List<ModelSpec> models,
                              List<Weighted> providers, List<Weighted> regions, List<Weighted> locales,
                              Baseline baseline) {
        if (!node.raw().isObject()) {
            throw node.error("an incident object {type, from, to, match, ...}");
        }
        String type = requiredString(node.get("type"));
        List<String> allowed = new ArrayList<>(INCIDENT_COMMON);
        switch (type) {
            case "provider_outage" -> allowed.addAll(List.of("provider", "failure_rate", "failover_rate"));
            case "latency_regression", "cost_blowup" -> allowed.add("multiplier");
            case "quality_regression" -> allowed.addAll(List.of("negative_rate", "useful_rate", "refusal_rate"));
            default -> throw node.get("type").error(
                    "one of provider_outage|latency_regression|cost_blowup|quality_regression");
        }
        node.allowOnly(allowed.toArray(String[]::new));
        Instant from = instant(node.get("from"), null);
        Instant to = instant(node.get("to"), end);
        if (!to.isAfter(from)) {
            throw node.get("to").error("an instant after from (" + from + ")");
        }
        Match match = match(node.get("match"), surfaces, models, providers, regions, locales);
        return switch (type) {
            case "provider_outage" -> {
                String provider = requiredString(node.get("provider"));
                oneOf(provider, names(providers, Weighted::name), node.get("provider"));
                double failure = number(node.get("failure_rate"), Double.NaN, 0, false, 1, true,
                        "a probability in (0, 1]");
                double failover = probability(node.get("failover_rate"), 0.98);
                yield new ProviderOutage(from, to, match, provider, failure, failover);
            }
            case "latency_regression" -> new LatencyRegression(from, to, match, multiplier(node));
            case "cost_blowup" -> new CostBlowup(from, to, match, multiplier(node));
            default -> {
                if (!node.has("negative_rate") && !node.has("useful_rate") && !node.has("refusal_rate")) {
                    throw node.fail("expected at least one of negative_rate, useful_rate, refusal_rate for a"
                            + " quality_regression");
                }
                yield new QualityRegression(from, to, match,
                        probability(node.get("negative_rate"), baseline.negativeRate()),
                        probability(node.get("useful_rate"), baseline.usefulRate()),
                        probability(node.get("refusal_rate"), baseline.refusalRate()));
            }
        };
    }

    private double multiplier(ConfigNode node) {
        return number(node.get("multiplier"), Double.NaN, 0, false, 1e6, true, "a number > 0");
    }

    private Match match(ConfigNode node, List<SurfaceSpec> surfaces, List<ModelSpec> models,
                        List<Weighted> providers, List<Weighted> regions, List<Weighted> locales) {
        if (!node.present()) {
            return Match.ALL;
        }
        if (!node.raw().isObject()) {
            throw node.error("a mapping with any of surface, model, provider, region, locale");
        }
        node.allowOnly(MATCH_KEYS);
        return new Match(
                matchValue(node.get("surface"), names(surfaces, SurfaceSpec::name)),
                matchValue(node.get("model"), names(models, ModelSpec::name)),
                matchValue(node.get("provider"), names(providers, Weighted::name)),
                matchValue(node.get("region"), names(regions, Weighted::name)),
                matchValue(node.get("locale"), names(locales, Weighted::name)));
    }

    /** Values are checked against the configured ones: a typo would otherwise match nothing, silently. */
    private String matchValue(ConfigNode v, List<String> allowed) {
        if (!v.present()) {
            return null;
        }
        if (!v.raw().isTextual()) {
            throw v.error("one of " + String.join("|", allowed));
        }
        oneOf(v.raw().asText(), allowed, v);
        return v.raw().asText();
    }

    // ---------------------------------------------------------------- scalars

    private static void oneOf(String value, List<String> allowed, ConfigNode node) {
        if (!allowed.contains(value)) {
            throw node.error("one of " + String.join("|", allowed));
        }
    }

    private static Instant instant(ConfigNode v, Instant def) {
        String expectation = "an ISO-8601 instant such as 2026-10-01T00:00:00Z";
        if (!v.present()) {
            if (def == null) {
                throw required(v, expectation);
            }
            return def;
        }
        if (!v.raw().isTextual()) {
            throw v.error(expectation);
        }
        String s = v.raw().asText().trim();
        try {
            return checkYear(Instant.parse(s), v, expectation);
        } catch (DateTimeParseException e) {
            // fall through to the friendlier forms
        }
        try {
            return checkYear(OffsetDateTime.parse(s).toInstant(), v, expectation);
        } catch (DateTimeParseException e) {
            // fall through
        }
        try {
            return checkYear(LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant(), v, expectation);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw v.error(expectation);
        }
    }

    /** Simulated time stays within years a timestamp field can hold and a reader can mean. */
    private static Instant checkYear(Instant t, ConfigNode v, String expectation) {
        if (t.isBefore(Instant.parse("1970-01-01T00:00:00Z")) || t.isAfter(Instant.parse("2200-01-01T00:00:00Z"))) {
            throw v.error(expectation + " between 1970 and 2200");
        }
        return t;
    }

    private static int positiveInt(ConfigNode v, int def, int max) {
        if (!v.present()) {
            return def;
        }
        if (!v.raw().isIntegralNumber() || !v.raw().canConvertToInt() || v.raw().asInt() <= 0 || v.raw().asInt() > max) {
            throw v.error("a positive integer (at most " + max + ")");
        }
        return v.raw().asInt();
    }

    private static long longValue(ConfigNode v, long def) {
        if (!v.present()) {
            return def;
        }
        if (!v.raw().isIntegralNumber() || !v.raw().canConvertToLong()) {
            throw v.error("an integer");
        }
        return v.raw().asLong();
    }

    private static boolean bool(ConfigNode v, boolean def) {
        if (!v.present()) {
            return def;
        }
        if (!v.raw().isBoolean()) {
            throw v.error("true or false");
        }
        return v.raw().asBoolean();
    }

    private static double share(ConfigNode v) {
        return number(v, 1.0, 0, true, 1e12, true, "a share >= 0");
    }

    private static double probability(ConfigNode v, double def) {
        return number(v, def, 0, true, 1, true, "a probability in [0, 1]");
    }

    private static double number(ConfigNode v, double def, double lo, boolean loInclusive, double hi,
                                 boolean hiInclusive, String expectation) {
        if (!v.present()) {
            if (Double.isNaN(def)) {
                throw required(v, expectation);
            }
            return def;
        }
        if (!v.raw().isNumber()) {
            throw v.error(expectation);
        }
        double d = v.raw().asDouble();
        boolean ok = Double.isFinite(d) && (loInclusive ? d >= lo : d > lo) && (hiInclusive ? d <= hi : d < hi);
        if (!ok) {
            throw v.error(expectation);
        }
        return d;
    }

    private static double sum(double[] shares, ConfigNode node) {
        double sum = Arrays.stream(shares).sum();
        if (!(sum > 0)) {
            throw node.fail("expected shares adding up to more than 0, got " + sum);
        }
        return sum;
    }

    private static String requiredString(ConfigNode v) {
        if (!v.present()) {
            throw required(v, "a string");
        }
        return nonBlank(v);
    }

    private static String nonBlank(ConfigNode v) {
        if (!v.raw().isTextual() || v.raw().asText().isBlank()) {
            throw v.error("a non-empty string");
        }
        return v.asText();
    }

    private static ConfigException required(ConfigNode v, String expectation) {
        return v.fail("is required (expected " + expectation + ")");
    }

    private static Map<String, ConfigNode> nodeEntries(ConfigNode node) {
        Map<String, ConfigNode> out = new java.util.LinkedHashMap<>();
        node.raw().fieldNames().forEachRemaining(k -> out.put(k, node.get(k)));
        return out;
    }

    private static String describe(ConfigNode v) {
        return v.raw().isArray() ? "a list" : v.raw().isObject() ? "a mapping" : "'" + v.raw().asText() + "'";
    }

    private static <T> List<String> names(List<T> list, Function<T, String> name) {
        return list.stream().map(name).toList();
    }
}
