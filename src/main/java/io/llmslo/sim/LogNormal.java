package io.llmslo.sim;

import java.util.SplittableRandom;

/** Log-normal distribution parameterised the way latency budgets are talked about: median and p95. */
record LogNormal(double median, double sigma) {
    private static final double Z95 = 1.6448536269514722;

    static LogNormal ofMedianP95(double median, double p95) {
        return new LogNormal(median, Math.log(p95 / median) / Z95);
    }

    double sample(SplittableRandom rng) {
        return median * Math.exp(sigma * gaussian(rng));
    }

    /**
     * Box-Muller with exactly two draws, so a request always consumes the same number of
     * random numbers whatever the parameters (keeps unrelated requests identical when an
     * incident is added to a scenario).
     */
    static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble(); // (0, 1]: log is finite
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
