package io.llmslo.slo;

import io.llmslo.config.ConfigException;
import io.llmslo.config.ConfigNode;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The SLO catalogue of DESIGN §3 with the seed's defaults, overridable per SLO from the job file's
 * {@code slo} section.
 */
public final class SloCatalog implements Serializable {

    public static final String ACCEPTANCE = "quality.acceptance";
    public static final String JUDGE_HIGH = "quality.judge_high";
    public static final String HUMAN_USEFUL = "quality.human_useful";
    public static final String REFUSAL_DRIFT = "quality.refusal_drift";
    public static final String TTFT = "latency.ttft_p95";
    public static final String TOTAL = "latency.total_p95";
    public static final String TURN = "latency.turn_p95";
    public static final String COST = "cost.p95";
    public static final String COST_P99 = "cost.p99";
    public static final String COST_TAIL = "cost.tail_blowup";
    public static final String SUCCESS = "availability.success";
    public static final String PROVIDER_SUCCESS = "availability.provider_success";
    public static final String FAILOVER = "availability.failover_p95";

    private static final double NONE = Double.NaN;

    private final Map<String, SloDefinition> definitions;

    private SloCatalog(Map<String, SloDefinition> definitions) {
        this.definitions = definitions;
    }

    public SloDefinition get(String name) {
        return definitions.get(name);
    }

    /** Whether observations of this SLO should be produced at all. */
    public boolean enabled(String name) {
        SloDefinition d = definitions.get(name);
        return d != null && d.enabled();
    }

    /** The SLOs whose values are kept in sketches (quantile and tail SLOs). */
    public java.util.Set<String> sketched() {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (SloDefinition d : definitions.values()) {
            if (d.sketched()) {
                out.add(d.name());
            }
        }
        return out;
    }

    public List<SloDefinition> all() {
        return new ArrayList<>(definitions.values());
    }

    public static List<BurnTier> defaultTiers() {
        return List.of(
                new BurnTier("page_rollback", Duration.ofHours(1), Duration.ofMinutes(5), 14.4),
                new BurnTier("page", Duration.ofHours(6), Duration.ofMinutes(30), 6),
                new BurnTier("ticket", Duration.ofHours(24), Duration.ofHours(2), 3),
                new BurnTier("digest", Duration.ofDays(7), null, 1));
    }

    /** Attainable under every quality target of the seed (max burn 6.7 at 0.85). */
    public static List<BurnTier> defaultQualityTiers() {
        return List.of(
                new BurnTier("page_rollback", Duration.ofHours(1), Duration.ofMinutes(5), 4),
                new BurnTier("page", Duration.ofHours(6), Duration.ofMinutes(30), 2.5),
                new BurnTier("ticket", Duration.ofHours(24), Duration.ofHours(2), 1.5),
                new BurnTier("digest", Duration.ofDays(7), null, 1));
    }

    public static SloCatalog defaults() {
        return fromConfig(new ConfigNode("<defaults>", "slo", null));
    }

    /** Builds the catalogue from the job file's {@code slo} node (absent: all defaults). */
    public static SloCatalog fromConfig(ConfigNode slo) {
        slo.allowOnly("alpha", "min_n", "alert_min_n", "budget_period", "tiers", "quality_tiers",
                "definitions");
        double alpha = slo.number("alpha", 0.01, 1e-9, 0.5);
        int minN = slo.integer("min_n", 50, 1, Integer.MAX_VALUE);
        int alertMinN = slo.integer("alert_min_n", 20, 1, Integer.MAX_VALUE);
        Duration budget = slo.duration("budget_period", Duration.ofDays(30));
        List<BurnTier> tiers =
                slo.has("tiers") ? parseTiers(slo.get("tiers")) : defaultTiers();
        List<BurnTier> qualityTiers =
                slo.has("quality_tiers") ? parseTiers(slo.get("quality_tiers")) : defaultQualityTiers();

        Map<String, Double> totalBySurface = new HashMap<>();
        totalBySurface.put("chat", 8_000.0);
        totalBySurface.put("agent", 25_000.0);
        totalBySurface.put("rag", 2_500.0);
        totalBySurface.put("batch", 60_000.0);
        Duration d7 = Duration.ofDays(7);
        Duration h24 = Duration.ofHours(24);

        List<SloDefinition> seed = new ArrayList<>();
        seed.add(def(ACCEPTANCE, SloKind.RATIO, 0.88, d7, NONE, null, NONE, NONE, null, d7));
        seed.add(def(JUDGE_HIGH, SloKind.RATIO, 0.92, h24, NONE, null, NONE, NONE, null, h24));
        seed.add(def(HUMAN_USEFUL, SloKind.RATIO, 0.85, d7, NONE, null, NONE, NONE, null, d7));
        seed.add(def(REFUSAL_DRIFT, SloKind.REFUSAL_DRIFT, 0.015, d7, NONE, null, NONE, 0.015,
                Duration.ofDays(28), d7));
        seed.add(def(TTFT, SloKind.QUANTILE, 0.95, h24, 600, null, 0.95, NONE, null, budget));
        seed.add(def(TOTAL, SloKind.QUANTILE, 0.95, h24, 8_000, totalBySurface, 0.95, NONE, null, budget));
        seed.add(def(TURN, SloKind.QUANTILE, 0.95, h24, 3_000, null, 0.95, NONE, null, budget));
        seed.add(def(COST, SloKind.QUANTILE, 0.95, h24, 0.045, null, 0.95, NONE, null, budget));
        seed.add(def(COST_P99, SloKind.QUANTILE, 0.99, h24, 0.20, null, 0.99, NONE, null, budget));
        seed.add(def(COST_TAIL, SloKind.TAIL_BLOWUP, 0.995, h24, NONE, null, 0.5, 10, h24, budget));
        seed.add(def(SUCCESS, SloKind.RATIO, 0.9995, Duration.ofDays(30), NONE, null, NONE, NONE, null, budget));
        seed.add(def(PROVIDER_SUCCESS, SloKind.RATIO, 0.995, d7, NONE, null, NONE, NONE, null, budget));
        seed.add(def(FAILOVER, SloKind.QUANTILE, 0.95, h24, 800, null, 0.95, NONE, null, budget));

        Map<String, ConfigNode> overrides = slo.entries("definitions");
        for (String name : overrides.keySet()) {
            if (seed.stream().noneMatch(d -> d.name().equals(name))) {
                throw new ConfigException(slo.file() + ": key 'slo.definitions." + name
                        + "' names no SLO; expected one of "
                        + seed.stream().map(SloDefinition::name).toList());
            }
        }
        Map<String, SloDefinition> out = new LinkedHashMap<>();
        for (SloDefinition base : seed) {
            List<BurnTier> baseTiers = base.isQuality() ? qualityTiers : tiers;
            SloDefinition d = override(base, overrides.get(base.name()), baseTiers, alpha, minN, alertMinN);
            if (d.kind() != SloKind.REFUSAL_DRIFT) {
                checkTiersAttainable(slo, d, tiersKey(slo, overrides.get(base.name()), base));
            }
            checkWindowsExact(slo, d, overrides.get(base.name()), tiersKey(slo, overrides.get(base.name()), base));
            out.put(d.name(), d);
        }
        return new SloCatalog(out);
    }

    private static SloDefinition def(String name, SloKind kind, double target, Duration window,
            double threshold, Map<String, Double> bySurface, double quantile, double factor,
            Duration baseline, Duration budget) {
        boolean alertOnly = COST_P99.equals(name);
        return new SloDefinition(name, kind, true, target, window, threshold,
                bySurface == null ? new HashMap<>() : bySurface, quantile, factor, baseline,
                budget, List.of(), alertOnly, 0, 0, 0);
    }

    private static SloDefinition override(SloDefinition b, ConfigNode c, List<BurnTier> tiers,
            double alpha, int minN, int alertMinN) {
        if (c == null) {
            return new SloDefinition(b.name(), b.kind(), b.enabled(), b.target(), b.window(),
                    b.threshold(), b.thresholdBySurface(), b.quantile(), b.factor(), b.baseline(),
                    b.budgetPeriod(), tiers, b.alertOnly(), minN, alertMinN, alpha);
        }
        c.allowOnly("enabled", "target", "window", "threshold", "thresholds", "quantile",
                "factor", "baseline", "budget_period", "tiers", "min_n", "alert_min_n", "alpha");
        double target = b.kind() == SloKind.REFUSAL_DRIFT
                ? c.number("target", b.target(), 0, 1)
                : c.number("target", b.target(), 0.5, 0.999999);
        Map<String, Double> bySurface = new HashMap<>(b.thresholdBySurface());
        for (Map.Entry<String, ConfigNode> e : c.entries("thresholds").entrySet()) {
            bySurface.put(e.getKey(), e.getValue().asNumber(0, Double.MAX_VALUE));
        }
        Duration window = c.duration("window", b.window());
        Duration budget = c.duration("budget_period", b.isQuality() ? window : b.budgetPeriod());
        return new SloDefinition(b.name(), b.kind(), c.bool("enabled", b.enabled()), target,
                window, c.number("threshold", b.threshold(), 0, Double.MAX_VALUE), bySurface,
                c.number("quantile", b.quantile(), 0.01, 0.9999),
                c.number("factor", b.factor(), 0, 1_000), c.duration("baseline", b.baseline()),
                budget, c.has("tiers") ? parseTiers(c.get("tiers")) : tiers, b.alertOnly(),
                c.integer("min_n", minN, 1, Integer.MAX_VALUE),
                c.integer("alert_min_n", alertMinN, 1, Integer.MAX_VALUE), c.number("alpha", alpha, 1e-9, 0.5));
    }

    static List<BurnTier> parseTiers(ConfigNode list) {
        List<BurnTier> out = new ArrayList<>();
        if (!list.present()) {
            return out;
        }
        for (int i = 0; ; i++) {
            ConfigNode t = list.at(i);
            if (!t.present()) {
                break;
            }
            t.allowOnly("severity", "long", "short", "burn");
            Duration longW = t.duration("long", null);
            if (longW == null) {
                throw t.error("long", "a duration like 1h");
            }
            Duration shortW = t.duration("short", null);
            if (shortW != null && shortW.compareTo(longW) >= 0) {
                throw t.error("short", "a duration shorter than long (" + longW + ")");
            }
            out.add(new BurnTier(t.requiredString("severity"), longW, shortW,
                    t.number("burn", Double.NaN, 0.000001, 1e9)));
            if (Double.isNaN(out.get(i).burn())) {
                throw t.error("burn", "a positive number");
            }
        }
        return out;
    }

    /** Where the SLO's tiers were written, so an error names a key the file has; null: defaults. */
    private static String tiersKey(ConfigNode slo, ConfigNode override, SloDefinition base) {
        if (override != null && override.has("tiers")) {
            return override.path() + ".tiers";
        }
        String shared = base.isQuality() ? "quality_tiers" : "tiers";
        return slo.has(shared) ? slo.get(shared).path() : null;
    }

    /**
     * Every window is summed exactly for every allowed history interval (RunningCounts): windows
     * up to 6 h to the minute, longer ones from whole hours. A length that is neither (90 s, 7h30m)
     * would be silently widened, so it is rejected here, naming the key.
     */
    private static void checkWindowsExact(ConfigNode slo, SloDefinition d, ConfigNode override, String tiersKey) {
        String own = override != null ? override.path() : slo.path() + ".definitions." + d.name();
        checkExact(slo, own + ".window", d.window());
        checkExact(slo, override != null && override.has("budget_period") ? own + ".budget_period"
                : slo.path() + ".budget_period", d.budgetPeriod());
        if (d.baseline() != null) {
            checkExact(slo, own + ".baseline", d.baseline());
        }
        String tiers = tiersKey == null ? "(default tiers)" : tiersKey;
        for (int i = 0; i < d.tiers().size(); i++) {
            BurnTier t = d.tiers().get(i);
            checkExact(slo, tiers + "[" + i + "].long", t.longWindow());
            if (t.shortWindow() != null) {
                checkExact(slo, tiers + "[" + i + "].short", t.shortWindow());
            }
        }
    }

    static void checkExact(ConfigNode slo, String key, Duration w) {
        long ms = w.toMillis();
        boolean exact = ms > 0 && (ms <= TimeBuckets.MINUTE_HORIZON ? ms % TimeBuckets.MINUTE == 0
                : ms % TimeBuckets.HOUR == 0);
        if (!exact) {
            throw new ConfigException(slo.file() + ": key '" + key + "' expected whole minutes up to 6h"
                    + " or whole hours beyond (windows are summed exactly from minute and hour buckets), got "
                    + Durations.format(w));
        }
    }

    /** A tier at or above 1 / (1 − target) can never fire: reject it instead of shipping a dud. */
    private static void checkTiersAttainable(ConfigNode slo, SloDefinition d, String tiersKey) {
        double max = d.maxBurn();
        for (int i = 0; i < d.tiers().size(); i++) {
            BurnTier t = d.tiers().get(i);
            if (t.burn() < max) {
                continue;
            }
            if (tiersKey == null) {
                // default tiers: only the SLO's own target (written in the file) can have made them unattainable
                throw new ConfigException(String.format(Locale.ROOT,
                        "%s: key 'slo.definitions.%s.target' expected a target under which the default"
                                + " tier %s (burn %s) can fire, got %s: the fastest this SLO can burn"
                                + " is %.2f = 1 / (1 - target), so the tier could never fire. Set the"
                                + " SLO's own tiers or raise the target.",
                        slo.file(), d.name(), t.severity(), t.burn(), d.target(), max));
            }
            throw new ConfigException(String.format(Locale.ROOT,
                    "%s: key '%s[%d].burn' (severity %s) expected a burn rate below %.2f ="
                            + " 1 / (1 - target %s), the fastest %s can burn, got %s: the tier could"
                            + " never fire. Lower the burn or set quality_tiers / the SLO's own tiers.",
                    slo.file(), tiersKey, i, t.severity(), max, d.target(), d.name(), t.burn()));
        }
    }
}
