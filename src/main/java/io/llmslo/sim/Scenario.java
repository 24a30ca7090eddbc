package io.llmslo.sim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A traffic scenario: how much traffic, its mix over surfaces and cohorts, the baseline
 * behaviour and the incidents injected on top. Load with {@link #load(String)}; the YAML
 * keys are documented in {@code src/main/resources/scenarios/month.yaml}.
 *
 * @param source file or resource name the scenario came from, used in messages
 */
public record Scenario(
        String source,
        Instant start,
        int days,
        int requestsPerDay,
        long seed,
        boolean diurnal,
        double weekendFactor,
        List<SurfaceSpec> surfaces,
        List<ModelSpec> models,
        List<Weighted> providers,
        List<Weighted> regions,
        List<Weighted> locales,
        Baseline baseline,
        List<Incident> incidents,
        double invalidRate,
        double duplicateRate) {

    public static final String CLASSPATH_PREFIX = "classpath:";

    public Scenario {
        surfaces = List.copyOf(surfaces);
        models = List.copyOf(models);
        providers = List.copyOf(providers);
        regions = List.copyOf(regions);
        locales = List.copyOf(locales);
        incidents = List.copyOf(incidents);
    }

    /** Exclusive end of the simulated span; no event is written with a later {@code ts}. */
    public Instant end() {
        return start.plus(Duration.ofDays(days));
    }

    public Scenario withSeed(long newSeed) {
        return new Scenario(source, start, days, requestsPerDay, newSeed, diurnal, weekendFactor, surfaces,
                models, providers, regions, locales, baseline, incidents, invalidRate, duplicateRate);
    }

    /** The built-in defaults, as if loaded from an empty YAML document. */
    public static Scenario defaults() {
        return parse("{}", "defaults");
    }

    /**
     * Loads a scenario from a file path, or from the classpath when the location starts with
     * {@code classpath:} (e.g. {@code classpath:scenarios/month.yaml}).
     */
    public static Scenario load(String location) {
        if (location.startsWith(CLASSPATH_PREFIX)) {
            String resource = location.substring(CLASSPATH_PREFIX.length());
            String name = resource.startsWith("/") ? resource.substring(1) : resource;
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            if (cl == null) {
                cl = Scenario.class.getClassLoader();
            }
            try (InputStream in = cl.getResourceAsStream(name)) {
                if (in == null) {
                    throw new ScenarioException(location + ": no such classpath resource");
                }
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), location);
            } catch (IOException e) {
                throw new ScenarioException(location + ": cannot read: " + e.getMessage(), e);
            }
        }
        return load(Path.of(location));
    }

    public static Scenario load(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (NoSuchFileException e) {
            throw new ScenarioException(file + ": no such file", e);
        } catch (IOException e) {
            throw new ScenarioException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Parses YAML text; {@code sourceName} only labels error messages. */
    public static Scenario parse(String yaml, String sourceName) {
        return new ScenarioParser(sourceName).parse(yaml);
    }

    /** A categorical value and its (normalised) share of traffic. */
    public record Weighted(String name, double share) { }

    public record SurfaceSpec(Surface surface, double share, boolean streaming) {
        public String name() {
            return surface.wireName();
        }
    }

    /**
     * @param latencyFactor multiplies every latency of the model (a faster model has < 1)
     */
    public record ModelSpec(String name, double share, double inputUsdPerMtok, double outputUsdPerMtok,
                            double latencyFactor) { }

    /**
     * Behaviour outside incidents. Rates are per {@code success} response unless noted.
     *
     * @param negativeRate      probability of a negative user signal (at any delay)
     * @param usefulRate        probability that a human rating is useful (score >= 4)
     * @param refusalRate       probability that the model refuses
     * @param attemptFailureRate per provider attempt
     * @param failoverRate      probability that the gateway retries a failed attempt on the next provider
     * @param feedbackRate      probability of any feedback event
     * @param ratingRate        probability of a human rating
     * @param lateNegativeShare share of negative signals arriving after the acceptance window
     */
    public record Baseline(double negativeRate, double usefulRate, double refusalRate, double attemptFailureRate,
                           double failoverRate, double feedbackRate, double ratingRate, double lateNegativeShare) { }

    /** Request attributes an incident is restricted to; a null field matches everything. */
    public record Match(String surface, String model, String provider, String region, String locale) {
        public static final Match ALL = new Match(null, null, null, null, null);

        boolean matches(String surface, String model, String provider, String region, String locale) {
            return (this.surface == null || this.surface.equals(surface))
                    && (this.model == null || this.model.equals(model))
                    && (this.provider == null || this.provider.equals(provider))
                    && (this.region == null || this.region.equals(region))
                    && (this.locale == null || this.locale.equals(locale));
        }
    }

    /** Something that goes wrong for matching requests with {@code from <= ts < to}. */
    public sealed interface Incident permits ProviderOutage, LatencyRegression, CostBlowup, QualityRegression {
        Instant from();

        Instant to();

        Match match();

        default boolean activeAt(long tsMillis) {
            return from().toEpochMilli() <= tsMillis && tsMillis < to().toEpochMilli();
        }
    }

    /** Attempts to {@code provider} fail with {@code failureRate}; the gateway fails over with {@code failoverRate}. */
    public record ProviderOutage(Instant from, Instant to, Match match, String provider, double failureRate,
                                 double failoverRate) implements Incident { }

    public record LatencyRegression(Instant from, Instant to, Match match, double multiplier) implements Incident { }

    public record CostBlowup(Instant from, Instant to, Match match, double multiplier) implements Incident { }

    public record QualityRegression(Instant from, Instant to, Match match, double negativeRate, double usefulRate,
                                    double refusalRate) implements Incident { }
}
