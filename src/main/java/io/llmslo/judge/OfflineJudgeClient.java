package io.llmslo.judge;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.e5smallv2q.E5SmallV2QuantizedEmbeddingModel;
import io.llmslo.judge.offline.SignedRidge;
import io.llmslo.judge.offline.TextFeatures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code offline} judge: a real model running in-process with no network, for the embedded
 * demo, tests and air-gapped runs. It is <b>much weaker than an LLM judge</b>: it cannot check
 * facts, arithmetic or reasoning, nor read a rubric's instructions; it measures relevance, coverage,
 * hedging and (for a prompt with a {@code CONTEXT:} block) how much of the answer is absent from
 * the context. Use it as a plumbing-and-trend signal, never as the quality gate; the job's judge
 * correction (from human ratings) is what keeps any judge honest. {@code rubric calibrate} prints
 * its held-out agreement with the anchors, with intervals.
 *
 * <p>How it scores. The model is langchain4j's quantized e5-small-v2 (384-d sentence embeddings,
 * ONNX Runtime, loaded once per JVM; texts get e5's {@code "query: "} prefix). Per call it embeds
 * the question (the prompt without its context block) and the response — two short inferences —
 * and computes six features, each with the sign the rubric gives it:
 * <ol>
 *   <li>{@code relevance} (+): cosine of question and response (off-topic answers score low);
 *   <li>{@code question_coverage} (+): share of the question's content words the answer uses;
 *   <li>{@code hedges} (−): refusal and non-answer phrases;
 *   <li>{@code log_length} (+): empty and one-line non-answers;
 *   <li>{@code novel_words} (−) and {@code novel_numbers} (−): the answer's content words and
 *       numbers absent from the prompt, only when it has a context block (else not measurable and
 *       imputed: unsupported claims are what groundedness fails on).
 * </ol>
 * A {@link SignedRidge} regression (weights sign-constrained, λ by leave-one-out) maps them to the
 * rubric's scale, fitted once per rubric version on its anchors' human scores; the score is the
 * rounded prediction, so it passes iff the prediction is ≥ pass_threshold − 0.5. Lexical features
 * and signs were chosen from the rubric texts and checked on the anchors and on the simulator's
 * texts (BENCHMARKS.md "Offline judge"); that choice, among the handful of variants tried, is
 * itself fitted to those anchors, so the held-out figures are slightly optimistic.
 *
 * <p>Honest accuracy ({@link #heldOutAgreement}): nested leave-one-out — for each anchor, λ and
 * weights are fitted without it. A query that <em>is</em> an anchor (same prompt and response) is
 * scored by that anchor's fold model, so calibrating on the anchors measures held-out agreement,
 * never memorisation. Thread-safe.
 */
public final class OfflineJudgeClient implements JudgeClient {

    /** Feature signs, in feature order: relevance then {@link TextFeatures#NAMES}. */
    static final int[] SIGNS = {+1, +1, -1, +1, -1, -1};
    static final List<String> FEATURES = List.of("relevance", "question_coverage", "hedges", "log_length",
            "novel_words", "novel_numbers");
    private static final String E5_PREFIX = "query: ";

    private final String modelName;
    private final ConcurrentHashMap<String, AnchorIndex> indexes = new ConcurrentHashMap<>();

    public OfflineJudgeClient(String modelName) {
        this.modelName = modelName;
    }

    /** The embedding model, loaded once per JVM (ONNX file inside the langchain4j model jar). */
    private static final class Holder {
        // Runnable::run: embed in the calling thread; the judge operator's executor is the concurrency cap.
        static final EmbeddingModel MODEL = new E5SmallV2QuantizedEmbeddingModel(Runnable::run);
    }

    @Override
    public String model() {
        return modelName;
    }

    @Override
    public JudgeVerdict judge(Rubric rubric, String prompt, String response, long deadlineNanos) {
        try {
            if (response == null || response.isBlank()) {
                return JudgeVerdict.ok(rubric.scaleMin(), "offline embedding judge: empty response", 0, 0, 1);
            }
            AnchorIndex idx = index(rubric);
            String p = prompt == null ? "" : prompt;
            Integer self = idx.anchorOf.get(key(p, response));
            double[] x = self != null ? idx.features[self] : features(p, response);
            return idx.score(x, self);
        } catch (RuntimeException ex) {
            return JudgeVerdict.error(JudgeErrors.PROVIDER_ERROR, "offline judge failed: " + ex, 0);
        }
    }

    /**
     * The held-out agreement on pass/fail of this judge on a rubric's anchors (nested
     * leave-one-out: λ and weights fitted without the anchor scored) and the number of anchors:
     * what {@code rubric calibrate} reports as its honest accuracy.
     */
    public double[] heldOutAgreement(Rubric rubric) {
        AnchorIndex idx = index(rubric);
        return new double[] {idx.heldOutAgreement, idx.scores.length};
    }

    /** The prediction before rounding (the full model; an anchor's fold model for an anchor). */
    double predict(Rubric rubric, String prompt, String response) {
        AnchorIndex idx = index(rubric);
        Integer self = idx.anchorOf.get(key(prompt, response));
        return self != null ? idx.heldOut[self] : idx.model.predict(features(prompt, response));
    }

    /** Held-out predictions (before rounding) of every anchor, each by its fold model. */
    double[] heldOutPredictions(Rubric rubric) {
        return index(rubric).heldOut.clone();
    }

    private AnchorIndex index(Rubric rubric) {
        // keyed by content too: a test may build a variant of a rubric under the same id@version
        return indexes.computeIfAbsent(rubric.key() + "#" + rubric.examples().hashCode(), k -> new AnchorIndex(rubric));
    }

    private static String key(String prompt, String response) {
        return prompt.strip() + "\u0000" + response.strip();
    }

    /** relevance, then the lexical features: see the class comment. */
    static double[] features(String prompt, String response) {
        String question = TextFeatures.parts(prompt).question();
        List<float[]> e = embed(List.of(question.isBlank() ? "(empty)" : question, response.isBlank() ? "(empty)" : response));
        double[] lex = TextFeatures.of(prompt, response);
        double[] x = new double[1 + lex.length];
        x[0] = dot(e.get(0), e.get(1));
        System.arraycopy(lex, 0, x, 1, lex.length);
        return x;
    }

    /**
     * Unit-length embeddings of {@code texts}; texts seen recently come from a bounded LRU cache
     * (templated prompts and canned refusals repeat; e5 costs ~2× the MiniLM model it replaced).
     */
    static List<float[]> embed(List<String> texts) {
        float[][] vs = new float[texts.size()][];
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            vs[i] = CACHE.get(TextKey.of(texts.get(i)));
            if (vs[i] == null) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            List<TextSegment> segs = missing.stream().map(i -> TextSegment.from(E5_PREFIX + texts.get(i))).toList();
            List<Embedding> out = Holder.MODEL.embedAll(segs).content();
            for (int k = 0; k < missing.size(); k++) {
                float[] v = normalize(out.get(k).vector());
                vs[missing.get(k)] = v;
                CACHE.put(TextKey.of(texts.get(missing.get(k))), v);
            }
        }
        return List.of(vs);
    }

    static final int CACHE_SIZE = 4096;
    /** 128 bits of XXH64 (two seeds) stand for the text: long prompts are not kept in memory. */
    record TextKey(long a, long b) {
        static TextKey of(String text) {
            byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return new TextKey(XxHash64.hash(utf8, 0L), XxHash64.hash(utf8, 0x9E3779B97F4A7C15L));
        }
    }
    /** text → embedding, least recently used evicted; ~7 MB when full. */
    private static final Map<TextKey, float[]> CACHE = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<TextKey, float[]> eldest) {
                    return size() > CACHE_SIZE;
                }
            });

    /** The anchors of one rubric version, their features, the full model and one fold model per anchor. */
    static final class AnchorIndex {
        final Rubric rubric;
        final double[][] features;
        final double[] scores;
        final Map<String, Integer> anchorOf = new HashMap<>();
        final SignedRidge.Model model;
        final SignedRidge.Model[] folds;
        final double[] heldOut;
        final double heldOutAgreement;

        AnchorIndex(Rubric rubric) {
            this.rubric = rubric;
            int n = rubric.examples().size();
            features = new double[n][];
            scores = new double[n];
            for (int i = 0; i < n; i++) {
                Rubric.Anchor a = rubric.examples().get(i);
                features[i] = features(a.prompt(), a.response());
                scores[i] = a.score();
                anchorOf.putIfAbsent(key(a.prompt(), a.response()), i);
            }
            model = SignedRidge.fitTuned(features, scores, SIGNS, -1);
            folds = new SignedRidge.Model[n];
            heldOut = new double[n];
            int agree = 0;
            for (int i = 0; i < n; i++) {
                folds[i] = SignedRidge.fitTuned(features, scores, SIGNS, i);
                heldOut[i] = folds[i].predict(features[i]);
                if (passes(heldOut[i]) == rubric.passes(rubric.examples().get(i).score())) {
                    agree++;
                }
            }
            heldOutAgreement = n == 0 ? Double.NaN : agree / (double) n;
        }

        boolean passes(double raw) {
            return raw >= rubric.passThreshold() - 0.5;
        }

        JudgeVerdict score(double[] x, Integer self) {
            SignedRidge.Model m = self != null ? folds[self] : model;
            double raw = m.predict(x);
            int score = (int) Math.max(rubric.scaleMin(), Math.min(rubric.scaleMax(), Math.round(raw)));
            StringBuilder why = new StringBuilder(String.format(Locale.ROOT,
                    "offline embedding judge (weak): predicted %.2f from relevance %.2f, question coverage %.2f, "
                            + "hedges %.0f", raw, x[0], x[1], x[2]));
            if (!Double.isNaN(x[4])) {
                why.append(String.format(Locale.ROOT, ", words absent from the context %.2f, numbers absent %.0f", x[4], x[5]));
            }
            if (self != null) {
                why.append("; the response is anchor #").append(self + 1).append(", scored held out");
            }
            return JudgeVerdict.ok(score, why.toString(), 0, 0, 1);
        }
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static float[] normalize(float[] v) {
        double n = Math.sqrt(dot(v, v));
        float[] out = new float[v.length];
        if (n == 0) {
            return out;
        }
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / n);
        }
        return out;
    }
}
