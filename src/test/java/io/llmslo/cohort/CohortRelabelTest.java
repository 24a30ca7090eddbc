package io.llmslo.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.slo.PartialBatch;
import io.llmslo.slo.PartialBucket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CohortRelabelTest {

    static final CohortCap CAP = new CohortCap(Set.of("surface", "cohort.region"), 2);

    /** A batch of two minutes of one series: n observations in the first, one in the second. */
    static PartialBatch partial(String cohort, long n) {
        String key = "latency|" + cohort;
        return new PartialBatch(key, "latency", cohort, List.of(
                new PartialBucket(key, "latency", cohort, 60_000, n, n, 1_000, null),
                new PartialBucket(key, "latency", cohort, 120_000, 1, 0, 61_000, new byte[] {1, 2})));
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
        assertThat(folded.batch().cohort()).isEqualTo("surface=chat,cohort.region=__other__");
        assertThat(folded.batch().key()).isEqualTo("latency|surface=chat,cohort.region=__other__");
        assertThat(folded.batch().observations()).isEqualTo(3 + 1);
        // every minute of the batch moves to the folded series, its counts and sketch unchanged
        PartialBatch in = partial("surface=chat,cohort.region=us", 3);
        assertThat(folded.batch().minutes()).hasSize(2).allSatisfy(m -> {
            assertThat(m.key()).isEqualTo(folded.batch().key());
            assertThat(m.cohort()).isEqualTo(folded.batch().cohort());
        });
        assertThat(folded.batch().minutes()).extracting(PartialBucket::minuteEnd, PartialBucket::n, PartialBucket::good,
                PartialBucket::maxT).containsExactly(org.assertj.core.groups.Tuple.tuple(60_000L, 3L, 3L, 1_000L),
                org.assertj.core.groups.Tuple.tuple(120_000L, 1L, 0L, 61_000L));
        assertThat(folded.batch().minutes().get(1).sketch()).isEqualTo(in.minutes().get(1).sketch());
        assertThat(folded.folded()).containsExactly("cohort.region");
        // the global cohort, uncapped dimensions and __other__ itself pass at once
        assertThat(r.relabel(partial("*", 1)).folded()).isEmpty();
        assertThat(new CohortRelabel(CAP).relabel(partial("model=m-1,cohort.region=__other__", 1)).folded()).isEmpty();
    }

    @Test
    void sightingsReportEachValueOnceAndAgainOnlyForAnEarlierMinute() {
        SightingTracker t = new SightingTracker(CAP, 2);
        List<CohortSighting> out = new ArrayList<>();
        t.sight("surface=chat,cohort.region=eu", 120_000, out::add);
        t.sight("surface=chat,cohort.region=eu", 180_000, out::add);
        t.sight("model=m,cohort.region=eu", 60_000, out::add);
        assertThat(out).containsExactly(new CohortSighting("surface", "chat", 120_000),
                new CohortSighting("cohort.region", "eu", 120_000), new CohortSighting("cohort.region", "eu", 60_000));
        // bounded: a third region forgets the dimension (re-reports are harmless)
        t.sight("cohort.region=us", 60_000, out::add);
        t.sight("cohort.region=ap", 60_000, out::add);
        assertThat(t.tracked("cohort.region")).isEqualTo(1);
        assertThat(out).hasSize(5);
    }
}
