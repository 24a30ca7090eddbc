package io.llmslo.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.detect.DetectorState;
import io.llmslo.detect.FamilyBudget;
import io.llmslo.detect.SequentialDetector;
import io.llmslo.slo.SloCatalog;
import io.llmslo.slo.alert.SequentialAlertPolicy;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Why the month scenario's quality regression is as strong as it is (scenarios/month.yaml): the
 * sequential detector, with the job's quality tiers and the family budget's threshold for a
 * two-dimension cohort, fed the chat/de-DE cohort's traffic (~150 acceptance events a day, Poisson
 * per 5-minute step) at the bad rates the demo measured there in slo_history (7-day window after
 * the regression filled it: 0.154 at negative_rate 0.30, 0.25 at 0.55). Seeded, counted over 300
 * runs: at 0.30 most runs do not open within the incident's 11 days (seed 7: 129 of 300 do); at
 * 0.55 nearly all open within 4 days (seed 7: 300 of 300; 272 within 2 days). The detector is not changed by this; the scenario is.
 */
class MonthRegressionDelayTest {

    private static final int RUNS = 300;
    private static final double PER_DAY = 150;
    private static final int STEPS_PER_DAY = 288;

    /** Runs (of 300) whose lowest (digest) tier opens within {@code days} at bad rate {@code p}. */
    static int openedWithin(double p, int days, long seed) {
        double target = SloCatalog.defaults().get(SloCatalog.ACCEPTANCE).target();
        double[] burns = SloCatalog.defaultQualityTiers().stream().mapToDouble(t -> t.burn()).toArray();
        double[] boundaries = new double[burns.length];
        for (int k = 0; k < burns.length; k++) {
            boundaries[k] = burns[k] * (1 - target);
        }
        SequentialDetector det = new SequentialDetector(boundaries, SequentialDetector.DEFAULT_RHO,
                SequentialAlertPolicy.RESOLVE_NATS);
        double h = FamilyBudget.defaults().threshold("surface=chat,cohort.locale=de-DE", det.alternatives());
        int lowest = boundaries.length - 1;
        Random r = new Random(seed);
        double lambda = PER_DAY / STEPS_PER_DAY;
        int opened = 0;
        for (int run = 0; run < RUNS; run++) {
            DetectorState s = det.freshState();
            for (int step = 1; step <= days * STEPS_PER_DAY; step++) {
                int n = poisson(r, lambda);
                int bad = 0;
                for (int i = 0; i < n; i++) {
                    bad += r.nextDouble() < p ? 1 : 0;
                }
                if (det.step(s, step * 300_000L, n, bad, h).opened()[lowest]) {
                    opened++;
                    break;
                }
            }
        }
        return opened;
    }

    /** Knuth's multiplication method; fine for a mean of ~0.5. */
    private static int poisson(Random r, double lambda) {
        double limit = Math.exp(-lambda);
        double product = r.nextDouble();
        int k = 0;
        while (product > limit) {
            product *= r.nextDouble();
            k++;
        }
        return k;
    }

    @Test
    void theOldRegressionSizeWasMostlyMissedWithinTheIncident() {
        assertThat(openedWithin(0.154, 11, 7)).isLessThan(RUNS / 2);
    }

    @Test
    void theScenarioRegressionIsCaughtWithinDays() {
        assertThat(openedWithin(0.25, 4, 7)).isGreaterThanOrEqualTo(RUNS * 95 / 100);
    }
}
