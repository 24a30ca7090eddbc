package io.llmslo.openslo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.llmslo.config.ConfigException;
import io.llmslo.config.ConfigNode;
import io.llmslo.config.JobConfig;
import io.llmslo.slo.BurnTier;
import io.llmslo.slo.SloCatalog;
import io.llmslo.slo.SloDefinition;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * OpenSLO v1 documents (as {@link OpenSloExporter} writes them, or hand-written) into a job file's
 * {@code slo.definitions}, {@code slo.tiers} / {@code slo.quality_tiers} and
 * {@code cohorts.grouping_sets}. Only what this job can compute maps: a {@code ratioMetric} over an
 * {@code llm-slo} metric source naming a catalogue SLI, one rolling {@code timeWindow},
 * {@code budgetingMethod: Occurrences}, one objective, and {@code burnrate} alert conditions.
 * Anything else is a {@link ConfigException} naming the file, the document and the field.
 * Catalogue SLOs the file does not mention are disabled.
 */
public final class OpenSloImporter {

    private static final Set<String> KINDS = Set.of("SLO", "SLI", "AlertPolicy", "AlertCondition", "Service");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final String file;
    private final Map<String, OpenSloDoc> slis = new HashMap<>();
    private final Map<String, OpenSloDoc> policies = new HashMap<>();
    private final Map<String, OpenSloDoc> conditions = new HashMap<>();
    private final List<OpenSloDoc> slos = new ArrayList<>();

    private OpenSloImporter(String file) {
        this.file = file;
    }

    /** The SLOs of the file, as catalogue definitions (kind and budget rules from the catalogue). */
    public record Result(List<SloDefinition> definitions, List<List<String>> groupingSets) {}

    public static Result read(String file, String yaml) {
        OpenSloImporter im = new OpenSloImporter(file);
        im.index(yaml);
        return im.convert();
    }

    /**
     * The job file {@code job} with its SLO sections replaced by the OpenSLO file's, checked by
     * loading it as a job; other keys are kept (comments are not: it is rewritten as YAML).
     */
    public static ObjectNode importInto(String file, String yaml, String jobFile, ObjectNode job) {
        Result r = read(file, yaml);
        ObjectNode out = job.deepCopy();
        ObjectNode slo = out.has("slo") && out.get("slo").isObject() ? (ObjectNode) out.get("slo") : out.putObject("slo");
        slo.remove(List.of("definitions", "tiers", "quality_tiers"));
        List<BurnTier> shared = mostCommon(r.definitions(), false);
        List<BurnTier> sharedQuality = mostCommon(r.definitions(), true);
        if (shared != null && !shared.equals(SloCatalog.defaultTiers())) {
            slo.set("tiers", tiers(shared));
        }
        if (sharedQuality != null && !sharedQuality.equals(SloCatalog.defaultQualityTiers())) {
            slo.set("quality_tiers", tiers(sharedQuality));
        }
        SloCatalog base;
        try {
            base = SloCatalog.fromConfig(new ConfigNode(jobFile, "slo", slo));
        } catch (ConfigException e) {
            throw new ConfigException(file + ": the imported SLOs do not make a valid job: " + e.getMessage());
        }
        ObjectNode defs = F.objectNode();
        Map<String, SloDefinition> imported = new LinkedHashMap<>();
        r.definitions().forEach(d -> imported.put(d.name(), d));
        for (SloDefinition b : base.all()) {
            SloDefinition d = imported.get(b.name());
            ObjectNode o = d == null ? disabled() : overrides(b, d);
            if (!o.isEmpty()) {
                defs.set(b.name(), o);
            }
        }
        if (!defs.isEmpty()) {
            slo.set("definitions", defs);
        }
        if (r.groupingSets() != null) {
            ObjectNode cohorts = out.has("cohorts") && out.get("cohorts").isObject()
                    ? (ObjectNode) out.get("cohorts") : out.putObject("cohorts");
            ArrayNode sets = cohorts.putArray("grouping_sets");
            r.groupingSets().forEach(s -> {
                ArrayNode a = sets.addArray();
                s.forEach(a::add);
            });
        }
        // the job must load, and hold exactly the imported SLOs: a mapping bug must not pass silently
        JobConfig loaded;
        try {
            loaded = JobConfig.parse(jobFile, new YAMLMapper().writeValueAsString(out));
        } catch (ConfigException e) {
            throw new ConfigException(file + ": the imported SLOs do not make a valid job: " + e.getMessage());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (SloDefinition d : r.definitions()) {
            if (!d.equals(loaded.slo.get(d.name()))) {
                throw new IllegalStateException("import of " + d.name() + " does not round-trip: " + d + " vs "
                        + loaded.slo.get(d.name()));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ reading the documents

    private void index(String yaml) {
        List<JsonNode> nodes = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNextValue()) {
                nodes.add(it.nextValue());
            }
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(file + ": not valid YAML: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        int i = 0;
        for (JsonNode n : nodes) {
            i++;
            if (n == null || n.isNull() || n.isMissingNode()) {
                continue; // an empty document between two '---'
            }
            OpenSloDoc bare = new OpenSloDoc(file, i, null, null, n);
            if (!n.isObject()) {
                throw bare.error("document", "a map with apiVersion, kind, metadata and spec", n);
            }
            String kind = n.path("kind").asText(null);
            OpenSloDoc doc = new OpenSloDoc(file, i, kind, n.path("metadata").path("name").asText(null), n);
            if (!OpenSloExporter.API_VERSION.equals(n.path("apiVersion").asText())) {
                throw doc.error("apiVersion", "'" + OpenSloExporter.API_VERSION + "'", n.path("apiVersion"));
            }
            if (kind == null || !KINDS.contains(kind)) {
                throw doc.error("kind", "one of " + KINDS + " (others cannot be mapped to llm-slo)", n.path("kind"));
            }
            doc.requiredText("metadata.name");
            Map<String, OpenSloDoc> byName = switch (kind) {
                case "SLI" -> slis;
                case "AlertPolicy" -> policies;
                case "AlertCondition" -> conditions;
                default -> null;
            };
            if (byName != null && byName.put(doc.name(), doc) != null) {
                throw doc.error("metadata.name", "a name no other " + kind + " has", n.path("metadata").path("name"));
            }
            if (kind.equals("SLO")) {
                slos.add(doc);
            }
        }
        if (slos.isEmpty()) {
            throw new ConfigException(file + ": no document of kind SLO");
        }
    }

    private Result convert() {
        SloCatalog catalog = SloCatalog.defaults();
        Map<String, SloDefinition> out = new LinkedHashMap<>();
        List<List<String>> groupingSets = null;
        OpenSloDoc groupingFrom = null;
        for (OpenSloDoc slo : slos) {
            OpenSloDoc sli = indicator(slo);
            JsonNode good = sli.at("spec.ratioMetric.good.metricSource");
            String name = source(sli, "spec.ratioMetric.good.metricSource");
            String totalName = source(sli, "spec.ratioMetric.total.metricSource");
            if (!name.equals(totalName)) {
                throw sli.error("spec.ratioMetric.total.metricSource.spec.sli", "the good metric's SLI '" + name + "'",
                        sli.at("spec.ratioMetric.total.metricSource.spec.sli"));
            }
            SloDefinition b = catalog.get(name);
            if (b == null) {
                throw sli.error("spec.ratioMetric.good.metricSource.spec.sli", "a catalogue SLI, one of "
                        + catalog.all().stream().map(SloDefinition::name).toList(), good.path("spec").path("sli"));
            }
            if (out.containsKey(name)) {
                throw slo.error("spec.indicatorRef", "an SLI no other SLO measures (" + name + " is measured twice)",
                        slo.at("spec.indicatorRef"));
            }
            List<List<String>> sets = cohorts(sli, good.path("spec").path("cohorts"));
            if (sets != null) {
                if (groupingSets != null && !groupingSets.equals(sets)) {
                    throw sli.error("spec.ratioMetric.good.metricSource.spec.cohorts", "the cohorts of "
                            + groupingFrom.where() + " (the job cohorts every SLO the same way): " + groupingSets,
                            good.path("spec").path("cohorts"));
                }
                groupingSets = sets;
                groupingFrom = sli;
            }
            out.put(name, definition(slo, sli, good.path("spec"), b));
        }
        return new Result(new ArrayList<>(out.values()), groupingSets);
    }

    private OpenSloDoc indicator(OpenSloDoc slo) {
        JsonNode ref = slo.at("spec.indicatorRef");
        JsonNode inline = slo.at("spec.indicator");
        if (ref.isTextual()) {
            OpenSloDoc sli = slis.get(ref.asText());
            if (sli == null) {
                throw slo.error("spec.indicatorRef", "the name of an SLI document in the file", ref);
            }
            return sli;
        }
        if (inline.isObject()) {
            return new OpenSloDoc(file, slo.index(), "SLI", inline.path("metadata").path("name").asText(slo.name()),
                    inline);
        }
        throw slo.error("spec.indicatorRef", "the name of an SLI (or an inline spec.indicator)", ref);
    }

    /** The catalogue SLI a ratio metric's source names. */
    private static String source(OpenSloDoc sli, String path) {
        if (!sli.at("spec.ratioMetric").isObject()) {
            String other = sli.at("spec.thresholdMetric").isObject() ? " (thresholdMetric cannot be mapped:"
                    + " every llm-slo SLO is a ratio of good to valid events)" : "";
            throw sli.error("spec.ratioMetric", "a ratioMetric with good and total" + other, sli.at("spec.ratioMetric"));
        }
        JsonNode type = sli.at(path + ".type");
        if (!OpenSloExporter.SOURCE_TYPE.equals(type.asText())) {
            throw sli.error(path + ".type", "'" + OpenSloExporter.SOURCE_TYPE
                    + "' (the events this job computes; other sources cannot be mapped)", type);
        }
        return sli.requiredText(path + ".spec.sli");
    }

    private static List<List<String>> cohorts(OpenSloDoc sli, JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        String field = "spec.ratioMetric.good.metricSource.spec.cohorts";
        String expected = "a list of grouping sets, e.g. [[surface], [surface, model]]";
        if (!n.isArray() || n.isEmpty()) {
            throw sli.error(field, expected, n);
        }
        List<List<String>> sets = new ArrayList<>();
        for (JsonNode set : n) {
            if (!set.isArray() || set.isEmpty()) {
                throw sli.error(field, expected, set);
            }
            List<String> dims = new ArrayList<>();
            for (JsonNode d : set) {
                if (!d.isTextual() || !d.asText().matches("surface|model|provider|cohort\\.[A-Za-z0-9_.-]+")) {
                    throw sli.error(field, "dimensions surface, model, provider or cohort.<key>", d);
                }
                dims.add(d.asText());
            }
            sets.add(List.copyOf(dims));
        }
        return sets;
    }

    private SloDefinition definition(OpenSloDoc slo, OpenSloDoc sli, JsonNode source, SloDefinition b) {
        JsonNode method = slo.at("spec.budgetingMethod");
        if (!"Occurrences".equals(method.asText())) {
            throw slo.error("spec.budgetingMethod", "'Occurrences' (Timeslices and RatioTimeslices cannot be mapped:"
                    + " the job counts events)", method);
        }
        JsonNode windows = slo.at("spec.timeWindow");
        if (!windows.isArray() || windows.size() != 1) {
            throw slo.error("spec.timeWindow", "a list of exactly one rolling window", windows);
        }
        if (!windows.get(0).path("isRolling").asBoolean(false)) {
            throw slo.error("spec.timeWindow[0].isRolling", "true (calendar-aligned windows cannot be mapped)",
                    windows.get(0).path("isRolling"));
        }
        Duration window = duration(slo, "spec.timeWindow[0].duration", windows.get(0).path("duration"));
        JsonNode objectives = slo.at("spec.objectives");
        if (!objectives.isArray() || objectives.size() != 1) {
            throw slo.error("spec.objectives", "a list of exactly one objective", objectives);
        }
        double target = target(slo, objectives.get(0));

        double threshold = number(sli, source, "threshold", b.threshold());
        Map<String, Double> bySurface = new HashMap<>();
        JsonNode by = source.path("thresholds");
        if (!by.isMissingNode()) {
            if (!by.isObject()) {
                throw sli.error("spec.ratioMetric.good.metricSource.spec.thresholds", "a map of surface to number", by);
            }
            by.fields().forEachRemaining(e -> {
                if (!e.getValue().isNumber() || e.getValue().asDouble() < 0) {
                    throw sli.error("spec.ratioMetric.good.metricSource.spec.thresholds." + e.getKey(),
                            "a non-negative number", e.getValue());
                }
                bySurface.put(e.getKey(), e.getValue().asDouble());
            });
        } else {
            bySurface.putAll(b.thresholdBySurface());
        }
        double quantile = number(sli, source, "quantile", b.quantile());
        double factor = number(sli, source, "factor", b.factor());
        Duration baseline = source.has("baseline")
                ? duration(sli, "spec.ratioMetric.good.metricSource.spec.baseline", source.get("baseline"))
                : b.baseline();

        JsonNode ann = slo.at("metadata.annotations");
        String a = OpenSloExporter.ANNOTATION;
        boolean enabled = !"false".equals(ann.path(a + "enabled").asText("true"));
        Duration budget = ann.has(a + "budget-period")
                ? duration(slo, "metadata.annotations." + a + "budget-period", ann.get(a + "budget-period"))
                : (b.isQuality() ? window : b.budgetPeriod());
        double alpha = annotationNumber(slo, ann, "alpha", b.alpha(), 1e-9, 0.5);
        long minN = (long) annotationNumber(slo, ann, "min-n", b.minN(), 1, Integer.MAX_VALUE);
        long alertMinN = (long) annotationNumber(slo, ann, "alert-min-n", b.alertMinN(), 1, Integer.MAX_VALUE);
        List<BurnTier> tiers = tiers(slo, b);
        return new SloDefinition(b.name(), b.kind(), enabled, target, window, threshold, bySurface, quantile, factor,
                baseline, budget, tiers, b.alertOnly(), minN, alertMinN, alpha);
    }

    private static double target(OpenSloDoc slo, JsonNode objective) {
        JsonNode t = objective.path("target");
        if (t.isMissingNode() && objective.has("targetPercent")) {
            JsonNode p = objective.get("targetPercent");
            if (!p.isNumber() || p.asDouble() <= 0 || p.asDouble() >= 100) {
                throw slo.error("spec.objectives[0].targetPercent", "a number in (0, 100)", p);
            }
            return p.asDouble() / 100;
        }
        if (!t.isNumber() || t.asDouble() <= 0 || t.asDouble() >= 1) {
            throw slo.error("spec.objectives[0].target", "a number in (0, 1)", t);
        }
        return t.asDouble();
    }

    private static double number(OpenSloDoc sli, JsonNode source, String key, double dflt) {
        JsonNode n = source.path(key);
        if (n.isMissingNode()) {
            return dflt;
        }
        if (!n.isNumber() || n.asDouble() < 0) {
            throw sli.error("spec.ratioMetric.good.metricSource.spec." + key, "a non-negative number", n);
        }
        return n.asDouble();
    }

    private static double annotationNumber(OpenSloDoc slo, JsonNode ann, String key, double dflt, double min,
            double max) {
        String k = OpenSloExporter.ANNOTATION + key;
        if (!ann.has(k)) {
            return dflt;
        }
        try {
            double v = Double.parseDouble(ann.get(k).asText());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw slo.error("metadata.annotations." + k, "a number in [" + min + ", " + max + "] as a string", ann.get(k));
    }

    private static Duration duration(OpenSloDoc doc, String field, JsonNode n) {
        Duration d = OpenSloDurations.parse(n.asText(null));
        if (d == null) {
            throw doc.error(field, "a duration like 5m, 6h, 7d or 2w (calendar units M, Q, Y cannot be a rolling"
                    + " window)", n);
        }
        return d;
    }

    private List<BurnTier> tiers(OpenSloDoc slo, SloDefinition b) {
        JsonNode refs = slo.at("spec.alertPolicies");
        List<BurnTier> out = new ArrayList<>();
        if (refs.isMissingNode()) {
            return out;
        }
        if (!refs.isArray()) {
            throw slo.error("spec.alertPolicies", "a list of AlertPolicy names", refs);
        }
        for (int i = 0; i < refs.size(); i++) {
            JsonNode r = refs.get(i);
            OpenSloDoc policy = r.isTextual() ? policies.get(r.asText())
                    : r.isObject() ? new OpenSloDoc(file, slo.index(), "AlertPolicy",
                            r.path("metadata").path("name").asText(slo.name()), r) : null;
            if (policy == null) {
                throw slo.error("spec.alertPolicies[" + i + "]", "the name of an AlertPolicy document in the file", r);
            }
            JsonNode conds = policy.at("spec.conditions");
            if (!conds.isArray() || conds.isEmpty()) {
                throw policy.error("spec.conditions", "a non-empty list of conditions", conds);
            }
            for (int j = 0; j < conds.size(); j++) {
                JsonNode c = conds.get(j);
                OpenSloDoc cond;
                if (c.has("conditionRef")) {
                    cond = conditions.get(c.get("conditionRef").asText());
                    if (cond == null) {
                        throw policy.error("spec.conditions[" + j + "].conditionRef",
                                "the name of an AlertCondition document in the file", c.get("conditionRef"));
                    }
                } else if (c.isObject() && c.has("spec")) {
                    cond = new OpenSloDoc(file, policy.index(), "AlertCondition",
                            c.path("metadata").path("name").asText(policy.name()), c);
                } else {
                    throw policy.error("spec.conditions[" + j + "]", "a conditionRef or an inline AlertCondition", c);
                }
                out.add(tier(cond));
            }
        }
        return out;
    }

    private static BurnTier tier(OpenSloDoc c) {
        String severity = c.requiredText("spec.severity");
        JsonNode kind = c.at("spec.condition.kind");
        if (!"burnrate".equals(kind.asText())) {
            throw c.error("spec.condition.kind", "'burnrate' (the job's alerts are multi-window burn-rate tiers)", kind);
        }
        JsonNode op = c.at("spec.condition.op");
        if (!op.isMissingNode() && !Set.of("gte", "gt").contains(op.asText())) {
            throw c.error("spec.condition.op", "gte or gt (a burn-rate alert fires above its threshold)", op);
        }
        JsonNode threshold = c.at("spec.condition.threshold");
        if (!threshold.isNumber() || threshold.asDouble() <= 0) {
            throw c.error("spec.condition.threshold", "a positive burn rate", threshold);
        }
        Duration longW = duration(c, "spec.condition.lookbackWindow", c.at("spec.condition.lookbackWindow"));
        JsonNode after = c.at("spec.condition.alertAfter");
        Duration shortW = after.isMissingNode() ? null : duration(c, "spec.condition.alertAfter", after);
        if (shortW != null && shortW.compareTo(longW) >= 0) {
            throw c.error("spec.condition.alertAfter", "the short window, shorter than lookbackWindow "
                    + OpenSloDurations.format(longW), after);
        }
        return new BurnTier(severity, longW, shortW, threshold.asDouble());
    }

    // ------------------------------------------------------------------ writing the job sections

    /** The tier list most SLOs of the group share (null when the group is empty); ties: first seen. */
    private static List<BurnTier> mostCommon(List<SloDefinition> defs, boolean quality) {
        Map<List<BurnTier>, Integer> counts = new LinkedHashMap<>();
        for (SloDefinition d : defs) {
            if (d.isQuality() == quality) {
                counts.merge(d.tiers(), 1, Integer::sum);
            }
        }
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }

    private static ArrayNode tiers(List<BurnTier> tiers) {
        ArrayNode a = F.arrayNode();
        for (BurnTier t : tiers) {
            ObjectNode o = a.addObject();
            o.put("severity", t.severity());
            o.put("long", OpenSloDurations.format(t.longWindow()));
            if (t.shortWindow() != null) {
                o.put("short", OpenSloDurations.format(t.shortWindow()));
            }
            o.put("burn", t.burn());
        }
        return a;
    }

    private static ObjectNode disabled() {
        ObjectNode o = F.objectNode();
        o.put("enabled", false);
        return o;
    }

    /** The keys of {@code slo.definitions.<name>} that make the catalogue's {@code b} into {@code d}. */
    private static ObjectNode overrides(SloDefinition b, SloDefinition d) {
        ObjectNode o = F.objectNode();
        if (d.enabled() != b.enabled()) {
            o.put("enabled", d.enabled());
        }
        if (d.target() != b.target()) {
            o.put("target", d.target());
        }
        if (!d.window().equals(b.window())) {
            o.put("window", OpenSloDurations.format(d.window()));
        }
        if (Double.compare(d.threshold(), b.threshold()) != 0) {
            o.put("threshold", d.threshold());
        }
        if (!d.thresholdBySurface().equals(b.thresholdBySurface())) {
            ObjectNode by = o.putObject("thresholds");
            new java.util.TreeMap<>(d.thresholdBySurface()).forEach(by::put);
        }
        if (Double.compare(d.quantile(), b.quantile()) != 0) {
            o.put("quantile", d.quantile());
        }
        if (Double.compare(d.factor(), b.factor()) != 0) {
            o.put("factor", d.factor());
        }
        if (!Objects.equals(d.baseline(), b.baseline())) {
            o.put("baseline", OpenSloDurations.format(d.baseline()));
        }
        // a quality SLO's budget period follows its window unless set
        Duration budgetDefault = b.isQuality() ? d.window() : b.budgetPeriod();
        if (!d.budgetPeriod().equals(budgetDefault)) {
            o.put("budget_period", OpenSloDurations.format(d.budgetPeriod()));
        }
        if (!d.tiers().equals(b.tiers())) {
            o.set("tiers", tiers(d.tiers()));
        }
        if (d.minN() != b.minN()) {
            o.put("min_n", d.minN());
        }
        if (d.alertMinN() != b.alertMinN()) {
            o.put("alert_min_n", d.alertMinN());
        }
        if (Double.compare(d.alpha(), b.alpha()) != 0) {
            o.put("alpha", d.alpha());
        }
        return o;
    }
}
