package io.llmslo.sim;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmslo.sim.Events.Attempt;
import io.llmslo.sim.Events.Cohort;
import io.llmslo.sim.Events.Failover;
import io.llmslo.sim.Events.Feedback;
import io.llmslo.sim.Events.Rating;
import io.llmslo.sim.Events.Response;
import io.llmslo.sim.Scenario.CostBlowup;
import io.llmslo.sim.Scenario.Incident;
import io.llmslo.sim.Scenario.LatencyRegression;
import io.llmslo.sim.Scenario.ModelSpec;
import io.llmslo.sim.Scenario.ProviderOutage;
import io.llmslo.sim.Scenario.QualityRegression;
import io.llmslo.sim.Scenario.SurfaceSpec;
import io.llmslo.sim.Scenario.Weighted;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic generator of gateway traffic: {@code responses.jsonl}, {@code feedback.jsonl}
 * and {@code ratings.jsonl} per DESIGN §2.
 *
 * <p>Every request draws from its own random stream, seeded from the scenario seed and the
 * request's index, and always draws the same numbers in the same order whether or not an
 * incident applies. Hence the output is byte-identical for the same scenario and seed, and
 * adding an incident changes only the requests it matches: "everything else is stationary"
 * holds exactly, not just statistically.
 */
public final class TrafficSimulator {
    public static final String RESPONSES = "responses.jsonl";
    public static final String FEEDBACK = "feedback.jsonl";
    public static final String RATINGS = "ratings.jsonl";

    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    private static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    // Relative traffic per local hour: quiet nights, a working-day plateau, a lunch dip.
    private static final double[] INTERACTIVE_HOURS = {
        0.25, 0.18, 0.15, 0.14, 0.15, 0.22, 0.40, 0.65, 0.95, 1.25, 1.40, 1.45,
        1.30, 1.35, 1.45, 1.45, 1.35, 1.15, 0.90, 0.75, 0.70, 0.60, 0.50, 0.35};
    // Batch jobs are scheduled: a nightly bump, otherwise flat.
    private static final double[] BATCH_HOURS = {
        1.6, 1.6, 1.6, 1.6, 1.6, 1.6, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9,
        0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9};

    private static final LogNormal TURN = LogNormal.ofMedianP95(1_200, 2_200);
    private static final LogNormal TOOL = LogNormal.ofMedianP95(5_600, 12_000);
    private static final LogNormal ERROR_MS = LogNormal.ofMedianP95(400, 1_500);
    private static final LogNormal RATE_LIMITED_MS = LogNormal.ofMedianP95(80, 300);
    private static final LogNormal FAILOVER_MS = LogNormal.ofMedianP95(300, 600);
    private static final LogNormal NEGATIVE_DELAY = LogNormal.ofMedianP95(45 * SECOND, 4 * MINUTE);
    private static final LogNormal POSITIVE_DELAY = LogNormal.ofMedianP95(90 * SECOND, 10 * MINUTE);
    private static final double[] TURNS_CDF = {0.20, 0.50, 0.75, 0.90, 1.0}; // 2..6 turns
    private static final String[] POSITIVE = {"accept", "continue", "copy", "thumbs_up"};
    private static final double[] POSITIVE_CDF = {0.45, 0.70, 0.90, 1.0};
    private static final String[] NEGATIVE = {"regenerate", "abandon", "handoff", "thumbs_down"};
    private static final double[] NEGATIVE_CDF = {0.45, 0.70, 0.80, 1.0};
    private static final int RATERS = 24;

    private TrafficSimulator() { }

    /** Writes the three files into {@code outDir} (created if needed), replacing earlier ones. */
    public static SimulationResult run(Scenario scenario, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        try (JsonlSink responses = new JsonlSink(outDir.resolve(RESPONSES));
             JsonlSink feedback = new JsonlSink(outDir.resolve(FEEDBACK));
             JsonlSink ratings = new JsonlSink(outDir.resolve(RATINGS))) {
            Generator g = new Generator(scenario, responses, feedback, ratings);
            g.generate();
            // Closing drains the buffers; line counts are final only afterwards.
            responses.close();
            feedback.close();
            ratings.close();
            return new SimulationResult(outDir, g.responseCount, g.duplicateCount, g.feedbackCount,
                    g.ratingCount, g.invalidCount, responses.lines(), feedback.lines(), ratings.lines());
        }
    }

    /** ISO-8601 UTC with millis, always three digits (Instant.toString drops zero millis). */
    static String formatTs(long epochMillis) {
        return TS.format(Instant.ofEpochMilli(epochMillis));
    }

    /** SplitMix64 finaliser: a bijection on longs, so distinct inputs give distinct request ids. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static final class Generator {
        private final Scenario sc;
        private final JsonlSink responses;
        private final JsonlSink feedback;
        private final JsonlSink ratings;
        private final long startMillis;
        private final long endMillis;
        private final QualityModel.Profile baselineQuality;
        private final Map<Incident, QualityModel.Profile> incidentQuality = new IdentityHashMap<>();
        private final double positiveRate;
        private final double[] surfaceCdf;
        private final double[] modelCdf;
        private final double[] providerCdf;
        private final double[] regionCdf;
        private final double[] localeCdf;
        private final long[] regionOffset;
        private final double[] interactiveCdf = cdf(INTERACTIVE_HOURS);
        private final double[] batchCdf = cdf(BATCH_HOURS);

        long responseCount;
        long duplicateCount;
        long feedbackCount;
        long ratingCount;
        long invalidCount;

        Generator(Scenario sc, JsonlSink responses, JsonlSink feedback, JsonlSink ratings) {
            this.sc = sc;
            this.responses = responses;
            this.feedback = feedback;
            this.ratings = ratings;
            this.startMillis = sc.start().toEpochMilli();
            this.endMillis = sc.end().toEpochMilli();
            Scenario.Baseline b = sc.baseline();
            this.baselineQuality = QualityModel.solve(b.negativeRate(), b.usefulRate(), b.refusalRate());
            for (Incident inc : sc.incidents()) {
                if (inc instanceof QualityRegression q) {
                    incidentQuality.put(inc, QualityModel.solve(q.negativeRate(), q.usefulRate(), q.refusalRate()));
                }
            }
            // Negative signals are always logged (regenerate, abandon are implicit); positive ones
            // only sometimes, at the rate that makes the total feedback rate what was asked for.
            this.positiveRate = b.negativeRate() >= 1 ? 0
                    : clamp01((b.feedbackRate() - b.negativeRate()) / (1 - b.negativeRate()));
            this.surfaceCdf = cdf(sc.surfaces().stream().mapToDouble(SurfaceSpec::share).toArray());
            this.modelCdf = cdf(sc.models().stream().mapToDouble(ModelSpec::share).toArray());
            this.providerCdf = cdf(sc.providers().stream().mapToDouble(Weighted::share).toArray());
            this.regionCdf = cdf(sc.regions().stream().mapToDouble(Weighted::share).toArray());
            this.localeCdf = cdf(sc.locales().stream().mapToDouble(Weighted::share).toArray());
            this.regionOffset = sc.regions().stream().mapToLong(r -> utcOffsetMillis(r.name())).toArray();
        }

        void generate() throws IOException {
            long index = 0;
            double wf = sc.weekendFactor();
            // Normalised so that a full week carries 7 x requests_per_day.
            double weekday = 7.0 / (5.0 + 2.0 * wf);
            for (int d = 0; d < sc.days(); d++) {
                long dayStart = startMillis + d * DAY;
                DayOfWeek dow = Instant.ofEpochMilli(dayStart).atOffset(ZoneOffset.UTC).getDayOfWeek();
                boolean weekend = dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY;
                long n = Math.round(sc.requestsPerDay() * weekday * (weekend ? wf : 1.0));
                for (long k = 0; k < n; k++) {
                    request(index++, dayStart);
                }
                // Everything generated later has ts >= the next day's start, and arrival >= ts.
                long safe = dayStart + DAY;
                responses.flushBefore(safe);
                feedback.flushBefore(safe);
                ratings.flushBefore(safe);
            }
        }

        private void request(long index, long dayStart) {
            SplittableRandom r = new SplittableRandom(mix64(sc.seed() * 0x9E3779B97F4A7C15L + mix64(index)));
            String requestId = String.format("req_%016x", mix64(index + mix64(sc.seed())));

            SurfaceSpec spec = sc.surfaces().get(pick(surfaceCdf, r.nextDouble()));
            Surface surface = spec.surface();
            int regionIdx = pick(regionCdf, r.nextDouble());
            String region = sc.regions().get(regionIdx).name();
            String locale = sc.locales().get(pick(localeCdf, r.nextDouble())).name();
            ModelSpec model = sc.models().get(pick(modelCdf, r.nextDouble()));
            int primaryIdx = pick(providerCdf, r.nextDouble());
            String primary = sc.providers().get(primaryIdx).name();
            long ts = dayStart + timeOfDay(surface, regionOffset[regionIdx], r);

            // Incidents in force for this request.
            double latencyMul = 1;
            double costMul = 1;
            QualityModel.Profile quality = baselineQuality;
            List<ProviderOutage> outages = new ArrayList<>(0);
            for (Incident inc : sc.incidents()) {
                if (!inc.activeAt(ts) || !inc.match().matches(surface.wireName(), model.name(), primary, region,
                        locale)) {
                    continue;
                }
                if (inc instanceof LatencyRegression l) {
                    latencyMul *= l.multiplier();
                } else if (inc instanceof CostBlowup c) {
                    costMul *= c.multiplier();
                } else if (inc instanceof QualityRegression) {
                    quality = incidentQuality.get(inc); // the last listed wins
                } else if (inc instanceof ProviderOutage o) {
                    outages.add(o);
                }
            }

            // ---- latency of the model call that succeeds (drawn even if none does)
            double lf = model.latencyFactor();
            double ttftBase = surface.ttft.sample(r) * lf;
            int turns = 2 + pick(TURNS_CDF, r.nextDouble());
            double[] turnBase = new double[6];
            for (int i = 0; i < turnBase.length; i++) {
                turnBase[i] = TURN.sample(r) * lf;
            }
            double toolBase = TOOL.sample(r) * lf;
            double totalBase = surface.total.sample(r) * lf;
            double tokensPerSecond = surface.tokensPerSecond * Math.exp(0.2 * LogNormal.gaussian(r));
            int inputTokens = (int) Math.max(5, Math.round(surface.inputTokens.sample(r)));
            double refusalTokens = 20 + 25 * r.nextDouble();

            // ---- quality
            double uRefuse = r.nextDouble();
            double uLevel = r.nextDouble();
            double uText1 = r.nextDouble();
            double uText2 = r.nextDouble();
            double uText3 = r.nextDouble();
            boolean refused = uRefuse < quality.refusalRate();
            int level = quality.level(uLevel);

            // ---- provider attempts
            double uFail1 = r.nextDouble();
            double uType1 = r.nextDouble();
            double ms1 = LogNormal.gaussian(r);
            double uFailover = r.nextDouble();
            double uFail2 = r.nextDouble();
            double uType2 = r.nextDouble();
            double ms2 = LogNormal.gaussian(r);
            double failoverMs = FAILOVER_MS.sample(r);

            // ---- user signals and ratings
            double uNeg = r.nextDouble();
            double uSignal = r.nextDouble();
            double uLate = r.nextDouble();
            double negDelay = NEGATIVE_DELAY.sample(r);
            double lateDelay = r.nextDouble();
            double uPos = r.nextDouble();
            double posDelay = POSITIVE_DELAY.sample(r);
            double uRate = r.nextDouble();
            double rateDelay = r.nextDouble();
            double uRater = r.nextDouble();
            double uUseful = r.nextDouble();
            double uScore = r.nextDouble();
            double uUsefulField = r.nextDouble();

            // ---- delivery
            double[] jitter = {r.nextDouble(), r.nextDouble(), r.nextDouble(), r.nextDouble(), r.nextDouble(),
                r.nextDouble()};
            double uDup = r.nextDouble();
            double dupDelay = r.nextDouble();
            double[] uInvalid = {r.nextDouble(), r.nextDouble(), r.nextDouble()};
            double[] uInvalidKind = {r.nextDouble(), r.nextDouble(), r.nextDouble()};

            // ---- assemble: which attempts happened
            Scenario.Baseline base = sc.baseline();
            List<Attempt> attempts = new ArrayList<>(2);
            String provider = primary;
            AttemptResult a1 = attempt(primary, outages, base, uFail1, uType1, ms1, surface);
            attempts.add(new Attempt(primary, a1.outcome, a1.ms));
            long elapsedFailed = 0;
            Failover failover = null;
            String outcome = a1.outcome;
            if (!a1.success()) {
                elapsedFailed += a1.ms;
                String next = sc.providers().size() > 1
                        ? sc.providers().get((primaryIdx + 1) % sc.providers().size()).name() : null;
                if (next != null && uFailover < a1.failoverRate) {
                    AttemptResult a2 = attempt(next, outages, base, uFail2, uType2, ms2, surface);
                    attempts.add(new Attempt(next, a2.outcome, a2.ms));
                    int fms = (int) Math.round(failoverMs);
                    failover = new Failover(true, fms, List.of(primary, next));
                    elapsedFailed += fms;
                    provider = next;
                    outcome = a2.outcome;
                    if (!a2.success()) {
                        elapsedFailed += a2.ms;
                    }
                }
            }
            boolean success = "success".equals(outcome);

            Integer ttftMs = null;
            Integer totalMs;
            Integer turnsOut = null;
            List<Integer> turnMs = null;
            Integer outputTokens = null;
            BigDecimal cost = null;
            String responseText = null;
            TextBank.Text text = TextBank.text(surface, level, refused, uText1, uText2, uText3);
            if (success) {
                double ttft = ttftBase;
                double modelMs;
                double genMs;
                if (refused) {
                    genMs = refusalTokens / tokensPerSecond * 1000;
                    modelMs = ttft + genMs;
                    if (surface == Surface.AGENT) {
                        turnsOut = 1;
                        turnMs = List.of(ms(modelMs * latencyMul));
                    }
                } else if (surface == Surface.AGENT) {
                    double sum = 0;
                    List<Integer> tm = new ArrayList<>(turns);
                    genMs = 0;
                    for (int i = 0; i < turns; i++) {
                        double t = Math.max(turnBase[i], ttft + 100);
                        sum += t;
                        genMs += t - ttft;
                        tm.add(ms(t * latencyMul));
                    }
                    modelMs = sum + toolBase;
                    turnsOut = turns;
                    turnMs = tm;
                } else {
                    modelMs = Math.max(totalBase, ttft + 50);
                    genMs = modelMs - ttft;
                }
                int out = (int) Math.max(1, Math.round(genMs / 1000 * tokensPerSecond));
                outputTokens = out;
                int modelMsOut = ms(modelMs * latencyMul);
                Attempt last = attempts.get(attempts.size() - 1);
                attempts.set(attempts.size() - 1, new Attempt(last.provider(), last.outcome(), modelMsOut));
                totalMs = (int) (elapsedFailed + modelMsOut);
                if (spec.streaming()) {
                    ttftMs = (int) (elapsedFailed + ms(ttft * latencyMul));
                }
                double usd = (inputTokens * model.inputUsdPerMtok() + out * model.outputUsdPerMtok()) / 1e6;
                if (surface == Surface.BATCH) {
                    usd *= 0.5; // batch APIs are billed at half price
                }
                cost = BigDecimal.valueOf(usd * costMul).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
                responseText = text.response();
            } else {
                totalMs = (int) elapsedFailed;
                refused = false;
            }

            Response resp = new Response(requestId, formatTs(ts), surface.wireName(), model.name(), provider,
                    new Cohort(region, locale), spec.streaming(), outcome, refused, ttftMs, totalMs, turnsOut,
                    turnMs, inputTokens, outputTokens, cost, failover, attempts, text.prompt(), responseText);
            String line = json(resp);
            long arrival = ts + arrivalDelay(jitter[0], jitter[1]);
            responses.add(arrival, line);
            responseCount++;
            if (uDup < sc.duplicateRate()) {
                // A producer retry: the same bytes again, a little later.
                responses.add(ts + 5 * SECOND + (long) (dupDelay * 50 * SECOND), line);
                duplicateCount++;
            }
            if (uInvalid[0] < sc.invalidRate()) {
                responses.add(arrival + 1, invalidResponse(resp, line, uInvalidKind[0]));
                invalidCount++;
            }
            if (!success) {
                return;
            }

            // ---- feedback
            long fts = -1;
            String signal = null;
            if (uNeg < quality.negativeProbability(level, refused)) {
                long delay = uLate < base.lateNegativeShare()
                        // Late ones land clearly outside the 10 min acceptance window.
                        ? (long) (10.5 * MINUTE + lateDelay * 19.5 * MINUTE)
                        : clamp((long) negDelay, 2 * SECOND, (long) (9.5 * MINUTE));
                fts = ts + delay;
                signal = NEGATIVE[pick(NEGATIVE_CDF, uSignal)];
            } else if (uPos < positiveRate) {
                fts = ts + clamp((long) posDelay, 2 * SECOND, 30 * MINUTE);
                signal = POSITIVE[pick(POSITIVE_CDF, uSignal)];
            }
            // Signals after the scenario's end have not happened yet.
            if (signal != null && fts < endMillis) {
                Feedback fb = new Feedback(requestId, formatTs(fts), signal);
                String fline = json(fb);
                long farr = fts + arrivalDelay(jitter[2], jitter[3]);
                feedback.add(farr, fline);
                feedbackCount++;
                if (uInvalid[1] < sc.invalidRate()) {
                    feedback.add(farr + 1, invalidFeedback(fb, fline, uInvalidKind[1]));
                    invalidCount++;
                }
            }

            // ---- human rating, 1 to 5 days later; ratings after the scenario's end are not in yet
            if (uRate < base.ratingRate()) {
                long rts = ts + DAY + (long) (rateDelay * 4 * DAY);
                if (rts < endMillis) {
                    boolean useful = uUseful < quality.usefulProbability(level, refused);
                    int score = QualityModel.score(level, refused, useful, uScore);
                    Rating rating = new Rating(requestId, formatTs(rts),
                            String.format("rater-%02d", 1 + (int) (uRater * RATERS)), surface.rubric,
                            rubricVersion(surface.rubric), score,
                            uUsefulField < 0.5 ? Boolean.valueOf(useful) : null);
                    String rline = json(rating);
                    long rarr = rts + arrivalDelay(jitter[4], jitter[5]);
                    ratings.add(rarr, rline);
                    ratingCount++;
                    if (uInvalid[2] < sc.invalidRate()) {
                        ratings.add(rarr + 1, invalidRating(rating, rline, uInvalidKind[2]));
                        invalidCount++;
                    }
                }
            }
        }

        private record AttemptResult(String outcome, int ms, double failoverRate) {
            boolean success() {
                return "success".equals(outcome);
            }
        }

        private AttemptResult attempt(String provider, List<ProviderOutage> outages, Scenario.Baseline base,
                                      double uFail, double uType, double gaussian, Surface surface) {
            double outageRate = 0;
            double outageFailover = 0;
            for (ProviderOutage o : outages) {
                if (o.provider().equals(provider)) {
                    outageRate = 1 - (1 - outageRate) * (1 - o.failureRate());
                    outageFailover = Math.max(outageFailover, o.failoverRate());
                }
            }
            if (uFail < outageRate) {
                // 5xx and connection errors of a provider that is down: the gateway retries them elsewhere.
                return new AttemptResult("error", ms(ERROR_MS.median() * Math.exp(ERROR_MS.sigma() * gaussian)),
                        outageFailover);
            }
            double f = base.attemptFailureRate();
            if (uFail < outageRate + (1 - outageRate) * f) {
                if (uType < 0.5) {
                    return new AttemptResult("error",
                            ms(ERROR_MS.median() * Math.exp(ERROR_MS.sigma() * gaussian)), base.failoverRate());
                } else if (uType < 0.7) {
                    return new AttemptResult("timeout", surface.timeoutMs, base.failoverRate());
                }
                return new AttemptResult("rate_limited",
                        ms(RATE_LIMITED_MS.median() * Math.exp(RATE_LIMITED_MS.sigma() * gaussian)),
                        base.failoverRate());
            }
            return new AttemptResult("success", 0, 0);
        }

        /** Local hour from the diurnal curve of the region's time zone, mapped back to the UTC day. */
        private long timeOfDay(Surface surface, long offsetMillis, SplittableRandom r) {
            double uHour = r.nextDouble();
            double uWithin = r.nextDouble();
            if (!sc.diurnal()) {
                return (long) (uHour * DAY);
            }
            double[] hours = surface == Surface.BATCH ? batchCdf : interactiveCdf;
            int h = pick(hours, uHour);
            long local = h * HOUR + (long) (uWithin * HOUR);
            return Math.floorMod(local - offsetMillis, DAY);
        }

        private String invalidResponse(Response resp, String line, double u) {
            if (u < 1.0 / 3) {
                return truncated(line);
            }
            ObjectNode node = MAPPER.valueToTree(resp);
            if (u < 2.0 / 3) {
                node.remove("request_id");
            } else {
                node.put("request_id", resp.requestId() + "-x");
                node.put("outcome", "exploded");
            }
            return json(node);
        }

        private String invalidFeedback(Feedback fb, String line, double u) {
            if (u < 1.0 / 3) {
                return truncated(line);
            }
            ObjectNode node = MAPPER.valueToTree(fb);
            if (u < 2.0 / 3) {
                node.remove("request_id");
            } else {
                node.put("signal", "meh");
            }
            return json(node);
        }

        /** Raters score against the shipped rubric versions (rubrics/*.yaml), so pairs calibrate. */
        private static int rubricVersion(String rubric) {
            return "groundedness".equals(rubric) ? 2 : 3;
        }

        private String invalidRating(Rating rating, String line, double u) {
            if (u < 0.5) {
                return truncated(line);
            }
            ObjectNode node = MAPPER.valueToTree(rating);
            node.put("score", 7);
            node.remove("useful");
            return json(node);
        }
    }

    /** Cut mid-record, as a crashed producer would leave it: never valid JSON. */
    private static String truncated(String line) {
        return line.substring(0, Math.max(1, line.length() / 2));
    }

    /**
     * Producer to file delay: mostly sub-second, sometimes seconds, rarely up to a minute;
     * always under 60 s so the job's default 2 min out-of-orderness covers it.
     */
    static long arrivalDelay(double bucket, double within) {
        if (bucket < 0.90) {
            return (long) (within * 1_500);
        } else if (bucket < 0.99) {
            return 2 * SECOND + (long) (within * 18 * SECOND);
        }
        return 20 * SECOND + (long) (within * 38 * SECOND);
    }

    private static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value, e);
        }
    }

    private static int ms(double v) {
        return (int) Math.max(1, Math.round(v));
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static double clamp01(double v) {
        return Math.max(0, Math.min(1, v));
    }

    static double[] cdf(double[] weights) {
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        double[] c = new double[weights.length];
        double acc = 0;
        for (int i = 0; i < weights.length; i++) {
            acc += weights[i];
            c[i] = acc / sum;
        }
        c[c.length - 1] = 1.0;
        return c;
    }

    static int pick(double[] cdf, double u) {
        for (int i = 0; i < cdf.length; i++) {
            if (u < cdf[i]) {
                return i;
            }
        }
        return cdf.length - 1;
    }

    private static long utcOffsetMillis(String region) {
        return switch (region) {
            case "eu-west", "eu-central" -> HOUR;
            case "us-east" -> -5 * HOUR;
            case "us-west" -> -8 * HOUR;
            case "ap-south" -> (long) (5.5 * HOUR);
            case "ap-northeast" -> 9 * HOUR;
            case "ap-southeast" -> 8 * HOUR;
            default -> 0;
        };
    }
}
