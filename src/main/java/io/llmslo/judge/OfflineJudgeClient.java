package io.llmslo.judge;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * The {@code offline} judge: a real model running in-process with no network, for the embedded
 * demo, tests and air-gapped runs. It is <b>much weaker than an LLM judge</b>: it cannot check
 * facts, follow reasoning or read a rubric's instructions; it only measures how much a response
 * resembles the rubric's human-scored anchors. Use it as a plumbing-and-trend signal, never as the
 * quality gate. {@code rubric calibrate} prints how well it agrees with the anchors, per rubric.
 *
 * <p>How it scores. The model is langchain4j's bundled quantized all-MiniLM-L6-v2 (384-d sentence
 * embeddings, ONNX Runtime, loaded once per JVM). For each rubric, once, it embeds every anchor's
 * prompt and response and fits a tiny ridge regression from four features to the anchors' human
 * scores; per call it embeds the prompt and the response (two short inferences) and predicts:
 * <ol>
 *   <li>{@code knn}: the scores of the {@value #K} anchors whose responses are most similar,
 *       softmax-weighted by similarity;
 *   <li>{@code direction}: similarity to the centroid of passing anchor responses minus similarity
 *       to the centroid of failing ones (a linear "good vs bad" direction in embedding space);
 *   <li>{@code relevance}: cosine of prompt and response (off-topic answers score low);
 *   <li>{@code length}: log of the response length (empty and one-line non-answers).
 * </ol>
 * The regression's output is then shifted so that a cross-validated cut lands on the rubric's pass
 * threshold: the cut that best separates passing from failing anchors on their leave-one-out
 * predictions (the pass/fail decision is what the judge SLO and its correction use). Its honest
 * accuracy, {@link #heldOutAgreement}, is a nested leave-one-out: for each anchor, regression and
 * cut are fitted without it. Features of the anchors used for fitting are leave-one-out (an anchor never votes for itself), and
 * a query that <em>is</em> an anchor is scored with its leave-one-out features, so calibrating on the
 * anchors measures held-out agreement rather than memorisation. Thread-safe.
 */
public final class OfflineJudgeClient implements JudgeClient {

    static final int K = 5;
    private static final double TEMPERATURE = 0.05;
    private static final double RIDGE_LAMBDA = 2.0;
    private static final double SAME_TEXT = 0.9995;

    private final String modelName;
    private final ConcurrentHashMap<String, AnchorIndex> indexes = new ConcurrentHashMap<>();

    public OfflineJudgeClient(String modelName) {
        this.modelName = modelName;
    }

    /** The embedding model, loaded once per JVM (23 MB ONNX file inside the langchain4j jar). */
    private static final class Holder {
        // Runnable::run: embed in the calling thread; the judge operator's executor is the concurrency cap.
        static final EmbeddingModel MODEL = new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
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
            AnchorIndex idx = indexes.computeIfAbsent(rubric.key(), k -> new AnchorIndex(rubric));
            boolean hasPrompt = prompt != null && !prompt.isBlank();
            List<float[]> e = embed(hasPrompt ? List.of(prompt, response) : List.of(response));
            float[] p = hasPrompt ? e.get(0) : null;
            float[] r = e.get(e.size() - 1);
            return idx.score(p, r, response.length());
        } catch (RuntimeException ex) {
            return JudgeVerdict.error(JudgeErrors.PROVIDER_ERROR, "offline judge failed: " + ex, 0);
        }
    }

    /**
     * The held-out agreement on pass/fail of this judge on a rubric's anchors (nested
     * leave-one-out: regression and pass cut fitted without the anchor scored) and the number of
     * anchors: what {@code rubric calibrate} reports as its honest accuracy.
     */
    public double[] heldOutAgreement(Rubric rubric) {
        AnchorIndex idx = indexes.computeIfAbsent(rubric.key(), k -> new AnchorIndex(rubric));
        return new double[] {idx.heldOutAgreement, idx.scores.length};
    }

    static List<float[]> embed(List<String> texts) {
        List<TextSegment> segs = texts.stream().map(TextSegment::from).toList();
        List<Embedding> out = Holder.MODEL.embedAll(segs).content();
        List<float[]> vs = new ArrayList<>(out.size());
        for (Embedding em : out) {
            vs.add(normalize(em.vector()));
        }
        return vs;
    }

    /** The anchors of one rubric version, embedded once, and the regression fitted on them. */
    static final class AnchorIndex {
        final Rubric rubric;
        final float[][] prompts;
        final float[][] responses;
        final int[] scores;
        final double[] lengths;
        final double meanRelevance;
        final double[][] looFeatures;
        final double[] mean = new double[4];
        final double[] sd = new double[4];
        final double intercept;
        final double[] weights;
        /** Raw predictions ≥ this pass: the threshold chosen on leave-one-out predictions. */
        final double passCut;
        /** Agreement on pass/fail of anchors scored by a model and threshold fitted without them. */
        final double heldOutAgreement;

        AnchorIndex(Rubric rubric) {
            this.rubric = rubric;
            int n = rubric.examples().size();
            List<String> texts = new ArrayList<>();
            for (Rubric.Anchor a : rubric.examples()) {
                texts.add(a.prompt());
                texts.add(a.response().isBlank() ? "(empty)" : a.response());
            }
            List<float[]> e = embed(texts);
            prompts = new float[n][];
            responses = new float[n][];
            scores = new int[n];
            lengths = new double[n];
            double rel = 0;
            for (int i = 0; i < n; i++) {
                prompts[i] = e.get(2 * i);
                responses[i] = e.get(2 * i + 1);
                scores[i] = rubric.examples().get(i).score();
                lengths[i] = rubric.examples().get(i).response().length();
                rel += dot(prompts[i], responses[i]);
            }
            meanRelevance = rel / n;
            looFeatures = new double[n][];
            for (int i = 0; i < n; i++) {
                looFeatures[i] = features(prompts[i], responses[i], lengths[i], i);
            }
            double[] fit = ridge(looFeatures, scores, -1, mean, sd);
            intercept = fit[4];
            weights = Arrays.copyOf(fit, 4);
            // Cross-validated pass threshold: each anchor's raw prediction from a regression fitted
            // without it; the cut that best separates passing from failing anchors on those
            // held-out predictions, and its honest agreement by nested leave-one-out (the cut for
            // anchor i is chosen without anchor i too).
            double[] loo = new double[n];
            boolean[] pass = new boolean[n];
            for (int i = 0; i < n; i++) {
                double[] m = new double[4];
                double[] d = new double[4];
                double[] w = ridge(looFeatures, scores, i, m, d);
                double s = w[4];
                for (int j = 0; j < 4; j++) {
                    s += w[j] * (looFeatures[i][j] - m[j]) / d[j];
                }
                loo[i] = s;
                pass[i] = rubric.passes(scores[i]);
            }
            double prior = rubric.passThreshold() - 0.5;
            int agreeCv = 0;
            int agreePrior = 0;
            for (int i = 0; i < n; i++) {
                if ((loo[i] >= bestCut(loo, pass, i, prior)) == pass[i]) {
                    agreeCv++;
                }
                if ((loo[i] >= prior) == pass[i]) {
                    agreePrior++;
                }
            }
            // the cut is tuned only where the nested leave-one-out says tuning beats rounding at the
            // pass threshold: on ~20 anchors a tuned cut often overfits
            boolean tune = agreeCv > agreePrior;
            passCut = tune ? bestCut(loo, pass, -1, prior) : prior;
            heldOutAgreement = n == 0 ? Double.NaN : (tune ? agreeCv : agreePrior) / (double) n;
        }

        /**
         * Standardised ridge regression of the scores on the features, without row {@code skip}
         * (or -1): w = (XᵀX + λI)⁻¹ Xᵀ (y − ȳ); returns {w0..w3, intercept ȳ}, fills mean and sd.
         */
        static double[] ridge(double[][] features, int[] scores, int skip, double[] mean, double[] sd) {
            int n = 0;
            for (int i = 0; i < features.length; i++) {
                if (i != skip) {
                    n++;
                }
            }
            for (int j = 0; j < 4; j++) {
                double s = 0;
                double ss = 0;
                for (int i = 0; i < features.length; i++) {
                    if (i != skip) {
                        s += features[i][j];
                        ss += features[i][j] * features[i][j];
                    }
                }
                mean[j] = n == 0 ? 0 : s / n;
                double var = n == 0 ? 0 : ss / n - mean[j] * mean[j];
                sd[j] = var > 1e-12 ? Math.sqrt(var) : 1;
            }
            double yMean = 0;
            for (int i = 0; i < scores.length; i++) {
                if (i != skip) {
                    yMean += scores[i];
                }
            }
            yMean = n == 0 ? 0 : yMean / n;
            RealMatrix x = new Array2DRowRealMatrix(Math.max(1, n), 4);
            RealVector y = new ArrayRealVector(Math.max(1, n));
            int r = 0;
            for (int i = 0; i < features.length; i++) {
                if (i == skip) {
                    continue;
                }
                for (int j = 0; j < 4; j++) {
                    x.setEntry(r, j, (features[i][j] - mean[j]) / sd[j]);
                }
                y.setEntry(r, scores[i] - yMean);
                r++;
            }
            RealMatrix xtx = x.transpose().multiply(x);
            for (int j = 0; j < 4; j++) {
                xtx.addToEntry(j, j, RIDGE_LAMBDA);
            }
            double[] w = new LUDecomposition(xtx).getSolver().solve(x.transpose().operate(y)).toArray();
            double[] out = Arrays.copyOf(w, 5);
            out[4] = yMean;
            return out;
        }

        /**
         * The cut on raw predictions (midpoints between neighbours) that agrees best with the pass
         * labels, leaving out anchor {@code skip}; ties go to the cut nearest {@code prior}.
         */
        static double bestCut(double[] raw, boolean[] pass, int skip, double prior) {
            double[] sorted = IntStream.range(0, raw.length).filter(i -> i != skip).mapToDouble(i -> raw[i])
                    .sorted().toArray();
            double best = prior;
            int bestAgree = -1;
            List<Double> cuts = new ArrayList<>();
            cuts.add(prior);
            cuts.add(sorted.length == 0 ? prior : sorted[0] - 1);
            cuts.add(sorted.length == 0 ? prior : sorted[sorted.length - 1] + 1);
            for (int i = 1; i < sorted.length; i++) {
                cuts.add((sorted[i - 1] + sorted[i]) / 2);
            }
            for (double c : cuts) {
                int agree = 0;
                for (int i = 0; i < raw.length; i++) {
                    if (i != skip && (raw[i] >= c) == pass[i]) {
                        agree++;
                    }
                }
                if (agree > bestAgree || (agree == bestAgree && Math.abs(c - prior) < Math.abs(best - prior))) {
                    bestAgree = agree;
                    best = c;
                }
            }
            return best;
        }

        /** knn, direction, relevance, length; anchor {@code exclude} (or -1) takes no part. */
        double[] features(float[] p, float[] r, double length, int exclude) {
            int n = scores.length;
            Integer[] order = IntStream.range(0, n).filter(i -> i != exclude).boxed().toArray(Integer[]::new);
            double[] sims = new double[n];
            for (int i : order) {
                sims[i] = dot(r, responses[i]);
            }
            Arrays.sort(order, Comparator.comparingDouble(i -> -sims[i]));
            int k = Math.min(K, order.length);
            double top = sims[order[0]];
            double wSum = 0;
            double knn = 0;
            for (int t = 0; t < k; t++) {
                double w = Math.exp((sims[order[t]] - top) / TEMPERATURE);
                wSum += w;
                knn += w * scores[order[t]];
            }
            knn /= wSum;
            float[] hi = new float[r.length];
            float[] lo = new float[r.length];
            for (int i : order) {
                float[] target = rubric.passes(scores[i]) ? hi : lo;
                for (int d = 0; d < r.length; d++) {
                    target[d] += responses[i][d];
                }
            }
            double direction = dot(r, normalize(hi)) - dot(r, normalize(lo));
            double relevance = p == null ? meanRelevance : dot(p, r);
            return new double[] {knn, direction, relevance, Math.log1p(length)};
        }

        double predict(double[] f) {
            double s = intercept;
            for (int j = 0; j < 4; j++) {
                s += weights[j] * (f[j] - mean[j]) / sd[j];
            }
            return s;
        }

        JudgeVerdict score(float[] p, float[] r, int length) {
            int self = -1;
            for (int i = 0; i < scores.length && self < 0; i++) {
                if (dot(r, responses[i]) >= SAME_TEXT && (p == null || dot(p, prompts[i]) >= SAME_TEXT)) {
                    self = i;
                }
            }
            double[] f = features(p, r, length, self);
            // shift so the cross-validated cut lands on the pass threshold: raw >= cut <=> passes
            double raw = predict(f) + (rubric.passThreshold() - 0.5 - passCut);
            int score = (int) Math.max(rubric.scaleMin(), Math.min(rubric.scaleMax(), Math.round(raw)));
            String reason = String.format(Locale.ROOT,
                    "offline embedding judge (weak): predicted %.2f from anchor neighbours %.2f, "
                            + "good-vs-bad direction %+.3f, prompt relevance %.2f%s",
                    raw, f[0], f[1], f[2], self >= 0 ? "; the response is anchor #" + (self + 1) + ", scored held out" : "");
            return JudgeVerdict.ok(score, reason, 0, 0, 1);
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
