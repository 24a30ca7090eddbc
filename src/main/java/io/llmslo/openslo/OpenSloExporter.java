package io.llmslo.openslo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.llmslo.slo.BurnTier;
import io.llmslo.slo.SloDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SLOs of a job as OpenSLO v1 documents: per SLO an {@code SLI} (a {@code ratioMetric} whose
 * good and total {@code metricSource} is {@code type: llm-slo}, naming the catalogue SLI and the
 * cohort selector) and an {@code SLO} (rolling {@code timeWindow}, {@code budgetingMethod:
 * Occurrences}, one objective), and per distinct burn tier an {@code AlertCondition} ({@code kind:
 * burnrate}, long window = {@code lookbackWindow}, short window = {@code alertAfter}) with an
 * {@code AlertPolicy} around it. Settings OpenSLO has no field for (budget period, alpha,
 * min_n, alert_min_n, enabled) are {@code metadata.annotations} with the {@code llm-slo/} prefix.
 */
public final class OpenSloExporter {

    public static final String API_VERSION = "openslo/v1";
    public static final String SOURCE_TYPE = "llm-slo";
    public static final String SERVICE = "llm-gateway";
    static final String ANNOTATION = "llm-slo/";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private OpenSloExporter() {}

    public static String export(List<SloDefinition> slos, List<List<String>> groupingSets) {
        List<ObjectNode> docs = new ArrayList<>();
        ObjectNode service = doc("Service", SERVICE);
        ((ObjectNode) service.get("metadata")).put("displayName", "LLM gateway traffic");
        service.putObject("spec").put("description", "Requests, feedback and ratings of the LLM gateway, "
                + "measured by the llm-slo Flink job");
        docs.add(service);
        // tier conditions shared by every SLO that uses them, in first-use order
        Map<String, BurnTier> conditions = new LinkedHashMap<>();
        List<ObjectNode> slis = new ArrayList<>();
        List<ObjectNode> sloDocs = new ArrayList<>();
        for (SloDefinition d : slos) {
            slis.add(sli(d, groupingSets));
            ObjectNode slo = slo(d);
            ArrayNode policies = ((ObjectNode) slo.get("spec")).putArray("alertPolicies");
            for (BurnTier t : d.tiers()) {
                String name = conditionName(t);
                conditions.putIfAbsent(name, t);
                policies.add(policyName(name));
            }
            sloDocs.add(slo);
        }
        docs.addAll(slis);
        docs.addAll(sloDocs);
        for (Map.Entry<String, BurnTier> c : conditions.entrySet()) {
            docs.add(condition(c.getKey(), c.getValue()));
            docs.add(policy(c.getKey()));
        }
        YAMLMapper yaml = new YAMLMapper(new YAMLFactory()
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS) // annotations are strings
                .disable(YAMLGenerator.Feature.SPLIT_LINES));
        StringBuilder out = new StringBuilder("# OpenSLO v1 documents of the llm-slo SLO catalogue.\n"
                + "# `slo import --openslo <this file> --job <job.yaml>` writes them into the job file.\n");
        for (ObjectNode d : docs) {
            try {
                out.append(yaml.writeValueAsString(d));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out.toString();
    }

    /** {@code quality.acceptance} → {@code quality-acceptance} (RFC 1123 label, as OpenSLO names are). */
    public static String docName(String slo) {
        return slo.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    static String conditionName(BurnTier t) {
        String burn = String.valueOf(t.burn()).replaceAll("\\.0$", "").replace('.', '-');
        return docName(t.severity()) + "-" + OpenSloDurations.format(t.longWindow())
                + (t.shortWindow() == null ? "" : "-" + OpenSloDurations.format(t.shortWindow())) + "-burn-" + burn;
    }

    static String policyName(String conditionName) {
        return "policy-" + conditionName;
    }

    private static ObjectNode doc(String kind, String name) {
        ObjectNode d = F.objectNode();
        d.put("apiVersion", API_VERSION);
        d.put("kind", kind);
        d.putObject("metadata").put("name", name);
        return d;
    }

    private static ObjectNode sli(SloDefinition d, List<List<String>> groupingSets) {
        ObjectNode doc = doc("SLI", docName(d.name()));
        ObjectNode ratio = doc.putObject("spec").putObject("ratioMetric");
        ratio.put("counter", true);
        ObjectNode good = source(ratio.putObject("good"), d, "good");
        putSettings(good, d);
        ArrayNode cohorts = good.putArray("cohorts");
        for (List<String> set : groupingSets) {
            ArrayNode s = cohorts.addArray();
            set.forEach(s::add);
        }
        source(ratio.putObject("total"), d, "valid");
        return doc;
    }

    private static ObjectNode source(ObjectNode metric, SloDefinition d, String events) {
        ObjectNode src = metric.putObject("metricSource");
        src.put("type", SOURCE_TYPE);
        ObjectNode spec = src.putObject("spec");
        spec.put("sli", d.name());
        spec.put("events", events);
        return spec;
    }

    /** What good means for this SLI: thresholds, quantile, factor, baseline where it has them. */
    private static void putSettings(ObjectNode spec, SloDefinition d) {
        if (!Double.isNaN(d.threshold())) {
            spec.put("threshold", d.threshold());
        }
        if (!d.thresholdBySurface().isEmpty()) {
            ObjectNode by = spec.putObject("thresholds");
            new TreeMap<>(d.thresholdBySurface()).forEach(by::put);
        }
        if (!Double.isNaN(d.quantile())) {
            spec.put("quantile", d.quantile());
        }
        if (!Double.isNaN(d.factor())) {
            spec.put("factor", d.factor());
        }
        if (d.baseline() != null) {
            spec.put("baseline", OpenSloDurations.format(d.baseline()));
        }
    }

    private static ObjectNode slo(SloDefinition d) {
        ObjectNode doc = doc("SLO", docName(d.name()));
        ObjectNode meta = (ObjectNode) doc.get("metadata");
        meta.put("displayName", d.name());
        ObjectNode ann = meta.putObject("annotations");
        ann.put(ANNOTATION + "enabled", String.valueOf(d.enabled()));
        ann.put(ANNOTATION + "budget-period", OpenSloDurations.format(d.budgetPeriod()));
        ann.put(ANNOTATION + "alpha", String.valueOf(d.alpha()));
        ann.put(ANNOTATION + "min-n", String.valueOf(d.minN()));
        ann.put(ANNOTATION + "alert-min-n", String.valueOf(d.alertMinN()));
        ObjectNode spec = doc.putObject("spec");
        spec.put("service", SERVICE);
        spec.put("indicatorRef", docName(d.name()));
        ObjectNode window = spec.putArray("timeWindow").addObject();
        window.put("duration", OpenSloDurations.format(d.window()));
        window.put("isRolling", true);
        spec.put("budgetingMethod", "Occurrences");
        ObjectNode objective = spec.putArray("objectives").addObject();
        objective.put("displayName", d.name());
        objective.put("target", d.target());
        return doc;
    }

    private static ObjectNode condition(String name, BurnTier t) {
        ObjectNode doc = doc("AlertCondition", name);
        ObjectNode spec = doc.putObject("spec");
        spec.put("description", "burn over " + OpenSloDurations.format(t.longWindow())
                + (t.shortWindow() == null ? "" : " and over " + OpenSloDurations.format(t.shortWindow()))
                + " at least " + t.burn() + ", the long window significant");
        spec.put("severity", t.severity());
        ObjectNode c = spec.putObject("condition");
        c.put("kind", "burnrate");
        c.put("op", "gte");
        c.put("threshold", t.burn());
        c.put("lookbackWindow", OpenSloDurations.format(t.longWindow()));
        if (t.shortWindow() != null) {
            c.put("alertAfter", OpenSloDurations.format(t.shortWindow()));
        }
        return doc;
    }

    private static ObjectNode policy(String conditionName) {
        ObjectNode doc = doc("AlertPolicy", policyName(conditionName));
        ObjectNode spec = doc.putObject("spec");
        spec.put("alertWhenBreaching", true);
        spec.put("alertWhenResolved", true);
        spec.putArray("conditions").addObject().put("conditionRef", conditionName);
        return doc;
    }
}
