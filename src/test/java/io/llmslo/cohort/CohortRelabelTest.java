package io.llmslo.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.slo.PartialBucket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CohortRelabelTest {

    static final CohortCap CAP = new CohortCap(Set.of("surface", "cohort.region"), 2);

    static PartialBucket partial(String cohort, long n) {
        return new PartialBucket("latency|" + cohort, "latency", cohort, 60_000, n, n, 1_000, null);
    }

    @Test
    void waitsUntilDecidedThenKeepsAdmittedAndFoldsTheRest() {
        CohortRelabel r = new CohortRelabel(CAP);
        assertThat(r.relabel(partial("surface=chat,cohort.region=eu", 3))).isNull();
        r.apply(CohortDecision.admit("surface", "chat"));
        r.apply(CohortDecision.admit("cohort.region", "eu"));
        assertThat(r.relabel(partial("surface=chat,cohort.region=eu", 3)).folded()).isEmpty();
        // not admitted, dimension not full: undecided
        assertThat(r.relabel(partial("surface=chat,cohort.region=us", 3))).isNull();
        r.apply(CohortDecision.full("cohort.region"));
        CohortRelabel.Result folded = r.relabel(partial("surface=chat,cohort.region=us", 3));
        assertThat(folded.bucket().cohort()).isEqualTo("surface=chat,cohort.region=__other__");
        assertThat(folded.bucket().key()).isEqualTo("latency|surface=chat,cohort.region=__other__");
        assertThat(folded.bucket().n()).isEqualTo(3);
        assertThat(folded.folded()).containsExactly("cohort.region");
        // the global cohort, uncapped dimensions and __other__ itself pass at once
        assertThat(r.relabel(partial("*", 1)).folded()).isEmpty();
        assertThat(new CohortRelabel(CAP).relabel(partial("model=m-1,cohort.region=__other__", 1)).folded()).isEmpty();
    }

    @Test
    void sightingsReportEachValueOnceAndAgainOnlyForAnEarlierMinute() {
        SightingTracker t = new SightingTracker(CAP, 2);
        List<CohortSighting> out = new ArrayList<>();
        t.sight(new PartialBucket("x", "x", "surface=chat,cohort.region=eu", 120_000, 1, 1, 0, null), out::add);
        t.sight(new PartialBucket("x", "x", "surface=chat,cohort.region=eu", 180_000, 1, 1, 0, null), out::add);
        t.sight(new PartialBucket("x", "x", "model=m,cohort.region=eu", 60_000, 1, 1, 0, null), out::add);
        assertThat(out).containsExactly(new CohortSighting("surface", "chat", 120_000),
                new CohortSighting("cohort.region", "eu", 120_000), new CohortSighting("cohort.region", "eu", 60_000));
        // bounded: a third region forgets the dimension (re-reports are harmless)
        t.sight(new PartialBucket("x", "x", "cohort.region=us", 60_000, 1, 1, 0, null), out::add);
        t.sight(new PartialBucket("x", "x", "cohort.region=ap", 60_000, 1, 1, 0, null), out::add);
        assertThat(t.tracked("cohort.region")).isEqualTo(1);
        assertThat(out).hasSize(5);
    }
}
