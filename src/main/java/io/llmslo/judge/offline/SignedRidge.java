package io.llmslo.judge.offline;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Ridge regression on standardised features with the sign of every weight fixed in advance, for
 * fitting ~20 anchors without learning their accidents. The signs say what the rubric says (a
 * more relevant answer never scores lower, an unsupported number never scores higher); a feature
 * whose fitted weight comes out with the wrong sign is dropped and the rest refitted (an
 * active-set scheme: the constrained least-squares optimum has that weight at 0), so on a small
 * anchor set where, say, fabricated answers happen to echo the question, relevance is not turned
 * into a penalty. {@code NaN} feature values ("not measurable here") are imputed with the
 * training mean, i.e. contribute nothing. Ridge penalty λ on the standardised weights (not on the
 * intercept): w = (XᵀX + λI)⁻¹ Xᵀ(y − ȳ).
 */
public final class SignedRidge {

    /** The λ values tried; the one with the lowest leave-one-out squared error wins. */
    public static final double[] LAMBDAS = {0.3, 1, 3, 10, 30};

    private SignedRidge() {}

    /** A fitted model: standardisation, weights (0 for dropped features), intercept, λ. */
    public record Model(double[] mean, double[] sd, double[] weights, double intercept, double lambda) {

        public double predict(double[] x) {
            double s = intercept;
            for (int j = 0; j < weights.length; j++) {
                double v = Double.isNaN(x[j]) ? mean[j] : x[j];
                s += weights[j] * (v - mean[j]) / sd[j];
            }
            return s;
        }
    }

    /** Fits on the rows of {@code x} except {@code skip} (or -1) with penalty {@code lambda}. */
    public static Model fit(double[][] x, double[] y, int[] signs, double lambda, int skip) {
        int d = signs.length;
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (i != skip) {
                rows.add(i);
            }
        }
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (int j = 0; j < d; j++) {
            double s = 0;
            int k = 0;
            for (int i : rows) {
                if (!Double.isNaN(x[i][j])) {
                    s += x[i][j];
                    k++;
                }
            }
            mean[j] = k == 0 ? 0 : s / k;
            double ss = 0;
            for (int i : rows) {
                double v = Double.isNaN(x[i][j]) ? mean[j] : x[i][j];
                ss += (v - mean[j]) * (v - mean[j]);
            }
            double var = rows.isEmpty() ? 0 : ss / rows.size();
            sd[j] = var > 1e-12 ? Math.sqrt(var) : 1;
        }
        double yMean = rows.stream().mapToDouble(i -> y[i]).average().orElse(0);
        List<Integer> active = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            active.add(j);
        }
        while (true) {
            double[] w = solve(x, y, rows, active, mean, sd, yMean, lambda);
            int worst = -1;
            double worstValue = 0;
            for (int a = 0; a < active.size(); a++) {
                double signed = w[a] * signs[active.get(a)];
                if (signed < worstValue) {
                    worstValue = signed;
                    worst = a;
                }
            }
            if (worst < 0) {
                double[] full = new double[d];
                for (int a = 0; a < active.size(); a++) {
                    full[active.get(a)] = w[a];
                }
                return new Model(mean, sd, full, yMean, lambda);
            }
            active.remove(worst);
        }
    }

    private static double[] solve(double[][] x, double[] y, List<Integer> rows, List<Integer> active, double[] mean,
            double[] sd, double yMean, double lambda) {
        int k = active.size();
        if (k == 0 || rows.isEmpty()) {
            return new double[k];
        }
        RealMatrix xtx = new Array2DRowRealMatrix(k, k);
        double[] xty = new double[k];
        for (int i : rows) {
            double[] z = new double[k];
            for (int a = 0; a < k; a++) {
                int j = active.get(a);
                double v = Double.isNaN(x[i][j]) ? mean[j] : x[i][j];
                z[a] = (v - mean[j]) / sd[j];
            }
            for (int a = 0; a < k; a++) {
                xty[a] += z[a] * (y[i] - yMean);
                for (int b = 0; b < k; b++) {
                    xtx.addToEntry(a, b, z[a] * z[b]);
                }
            }
        }
        for (int a = 0; a < k; a++) {
            xtx.addToEntry(a, a, lambda);
        }
        return new CholeskyDecomposition(xtx).getSolver().solve(new ArrayRealVector(xty)).toArray();
    }

    /**
     * Fits without row {@code skip} (or -1), λ chosen by leave-one-out squared error over the
     * remaining rows: the model a held-out row is scored with never saw that row, not even through λ.
     */
    public static Model fitTuned(double[][] x, double[] y, int[] signs, int skip) {
        double best = LAMBDAS[0];
        double bestErr = Double.POSITIVE_INFINITY;
        for (double lambda : LAMBDAS) {
            double err = 0;
            for (int i = 0; i < x.length; i++) {
                if (i == skip) {
                    continue;
                }
                double e = fitWithout(x, y, signs, lambda, skip, i).predict(x[i]) - y[i];
                err += e * e;
            }
            if (err < bestErr - 1e-12) {
                bestErr = err;
                best = lambda;
            }
        }
        return fit(x, y, signs, best, skip);
    }

    /** Fit without two rows (the outer held-out row and the inner one). */
    private static Model fitWithout(double[][] x, double[] y, int[] signs, double lambda, int skipA, int skipB) {
        if (skipA < 0) {
            return fit(x, y, signs, lambda, skipB);
        }
        double[][] xs = new double[x.length - 1][];
        double[] ys = new double[x.length - 1];
        int r = 0;
        for (int i = 0; i < x.length; i++) {
            if (i != skipA) {
                xs[r] = x[i];
                ys[r++] = y[i];
            }
        }
        return fit(xs, ys, signs, lambda, skipB < skipA ? skipB : skipB - 1);
    }
}
