package io.llmslo.sim;

/**
 * Latent answer quality. Every success response is good, mediocre or bad (or a refusal);
 * the level drives its text, the chance of a negative user signal and the human score, so
 * the three quality signals of DESIGN §1 move together the way they do in production, and
 * a text-based judge has something real to find.
 *
 * <p>The scenario states target rates (negative signal, human useful, refusal); {@link #solve}
 * finds the level mix that produces them with the fixed per-level behaviour below, then
 * scales the per-level probabilities by the small residual so the targets hold in expectation
 * even when no mix hits them exactly.
 */
final class QualityModel {
    static final int GOOD = 0;
    static final int MEDIOCRE = 1;
    static final int BAD = 2;

    // Users regenerate even good answers sometimes; bad ones usually. Indexed by level.
    private static final double[] NEGATIVE = {0.05, 0.30, 0.70};
    private static final double[] USEFUL = {0.965, 0.50, 0.08};
    private static final double REFUSED_NEGATIVE = 0.50;
    // Some refusals are the right answer (unsafe or out-of-scope requests).
    private static final double REFUSED_USEFUL = 0.15;

    // Human score distributions P(score = 1..5); index 3 is "refused".
    private static final double[][] SCORES = {
        {0.000, 0.005, 0.030, 0.415, 0.550},
        {0.000, 0.150, 0.350, 0.450, 0.050},
        {0.400, 0.370, 0.150, 0.070, 0.010},
        {0.400, 0.300, 0.150, 0.100, 0.050},
    };

    private QualityModel() { }

    /** The behaviour of one regime (baseline or a quality regression). */
    record Profile(double goodShare, double mediocreShare, double negScale, double usefulScale,
                   double refusalRate) {

        int level(double u) {
            if (u < goodShare) {
                return GOOD;
            }
            return u < goodShare + mediocreShare ? MEDIOCRE : BAD;
        }

        double negativeProbability(int level, boolean refused) {
            return refused ? REFUSED_NEGATIVE : Math.min(1.0, NEGATIVE[level] * negScale);
        }

        double usefulProbability(int level, boolean refused) {
            return refused ? REFUSED_USEFUL : Math.min(1.0, USEFUL[level] * usefulScale);
        }
    }

    static Profile solve(double negativeRate, double usefulRate, double refusalRate) {
        // Targets for the non-refused part, given the refusals' fixed behaviour.
        double keep = 1.0 - refusalRate;
        double neg = keep > 0 ? clamp((negativeRate - refusalRate * REFUSED_NEGATIVE) / keep) : 0;
        double use = keep > 0 ? clamp((usefulRate - refusalRate * REFUSED_USEFUL) / keep) : 0;
        double bestErr = Double.MAX_VALUE;
        double bestM = 0;
        double bestB = 0;
        int steps = 500;
        for (int bi = 0; bi <= steps; bi++) {
            double b = (double) bi / steps;
            for (int mi = 0; mi + bi <= steps; mi++) {
                double m = (double) mi / steps;
                double g = 1 - m - b;
                double en = g * NEGATIVE[0] + m * NEGATIVE[1] + b * NEGATIVE[2] - neg;
                double eu = g * USEFUL[0] + m * USEFUL[1] + b * USEFUL[2] - use;
                double err = en * en + eu * eu;
                // Strict < keeps the first (least degraded) mix among equals: deterministic.
                if (err < bestErr - 1e-15) {
                    bestErr = err;
                    bestM = m;
                    bestB = b;
                }
            }
        }
        double g = 1 - bestM - bestB;
        double mixNeg = g * NEGATIVE[0] + bestM * NEGATIVE[1] + bestB * NEGATIVE[2];
        double mixUse = g * USEFUL[0] + bestM * USEFUL[1] + bestB * USEFUL[2];
        return new Profile(g, bestM, mixNeg > 0 ? neg / mixNeg : 0, mixUse > 0 ? use / mixUse : 0, refusalRate);
    }

    /** A human score consistent with the level and with the already decided useful flag. */
    static int score(int level, boolean refused, boolean useful, double u) {
        double[] p = SCORES[refused ? 3 : level];
        int lo = useful ? 3 : 0;
        int hi = useful ? 5 : 3;
        double total = 0;
        for (int i = lo; i < hi; i++) {
            total += p[i];
        }
        double x = u * total;
        for (int i = lo; i < hi; i++) {
            x -= p[i];
            if (x < 0) {
                return i + 1;
            }
        }
        return hi;
    }

    private static double clamp(double p) {
        return Math.max(0, Math.min(1, p));
    }
}
