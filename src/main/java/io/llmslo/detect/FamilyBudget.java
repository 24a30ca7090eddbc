package io.llmslo.detect;

import java.io.Serializable;

/**
 * Multiplicity control without cross-key coordination: the family's false-alarm budget is split
 * into fixed per-series shares, so each (slo, cohort) derives its threshold from its own key (no
 * Flink operator needs to see the other series).
 *
 * <p>Budget: {@code falseAlarmsPer30d} is the bound (Ville's inequality, union over start steps
 * and alternatives) on the expected number of false openings over the whole family in 30 days of
 * 5-minute steps, even if every series sat exactly at its boundary. A series of weight w gets the
 * share w / {@code familyWeight}; its threshold is
 * <pre>  h = ln(K · steps30d · familyWeight / (falseAlarmsPer30d · w))</pre>
 * with K alternatives (Bonferroni). Weights follow the cohort hierarchy: the global cohort
 * (few series, most traffic, first to see broad incidents) weighs 4, one dimension 2, deeper
 * cohorts 1, so broad series test at a lower threshold where the extra power costs the many
 * narrow series almost nothing (ln of a small factor).
 */
public record FamilyBudget(double falseAlarmsPer30d, double familyWeight, long stepMs) implements Serializable {

    public static final long STEPS_30D_5MIN = 30L * 24 * 12;

    /** ~420 series (13 SLOs × ~32 cohorts) counted in leaf-equivalents; 350 alarms / 30 d bound at the boundary. */
    public static FamilyBudget defaults() {
        return new FamilyBudget(350, 600, 5 * 60_000L);
    }

    /** The weight of a cohort key: 4 for {@code *}, 2 for one dimension, 1 for deeper ones. */
    public static double weight(String cohort) {
        int depth = depth(cohort);
        return depth == 0 ? 4 : depth == 1 ? 2 : 1;
    }

    /** Dimensions in a canonical cohort key ({@code *} = 0; escaped commas do not separate). */
    public static int depth(String cohort) {
        if (cohort == null || cohort.isEmpty() || "*".equals(cohort)) {
            return 0;
        }
        int d = 1;
        for (int i = 0; i < cohort.length(); i++) {
            char c = cohort.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == ',') {
                d++;
            }
        }
        return d;
    }

    /** Per-step false-opening probability bound of one series (all alternatives together). */
    public double seriesAlpha(String cohort) {
        double steps = 30.0 * 24 * 3600 * 1000 / stepMs;
        return falseAlarmsPer30d * weight(cohort) / (familyWeight * steps);
    }

    /** The series' CUSUM threshold h (nats) with {@code alternatives} alternatives. */
    public double threshold(String cohort, int alternatives) {
        return Math.log(alternatives / seriesAlpha(cohort));
    }
}
