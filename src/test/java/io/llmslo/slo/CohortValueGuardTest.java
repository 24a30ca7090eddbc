package io.llmslo.slo;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.event.Attempt;
import io.llmslo.event.Outcome;
import io.llmslo.event.ResponseEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CohortValueGuardTest {

    static final List<List<String>> SETS = List.of(List.of("surface"), List.of("surface", "cohort.region"));

    static ResponseEvent response(String region, String provider) {
        HashMap<String, String> cohort = new HashMap<>(Map.of("region", region, "tenant", "t-" + region));
        List<Attempt> attempts = new ArrayList<>(List.of(new Attempt(provider, "success", 5.0)));
        return new ResponseEvent("r", 1L, "chat", "m-1", provider, cohort, false, Outcome.SUCCESS, false,
                null, null, null, null, null, null, null, null, attempts, null, null);
    }

    @Test
    void learnedDimensionsPassUnchangedUpToTheMemoryBound() {
        // the global cap (cohorts.max_values) is decided downstream in event time, not here
        CohortValueGuard guard = new CohortValueGuard(SETS, 3, Map.of("cohort.locale", List.of("de")));
        for (int i = 0; i < 50; i++) {
            assertThat(guard.apply(response("r" + i, "p" + i), (d, v) -> {
                throw new AssertionError(d);
            }).cohort()).containsEntry("region", "r" + i);
        }
        assertThat(guard.learnedDimensions()).containsExactlyInAnyOrder("surface", "cohort.region", "provider");
        assertThat(guard.maxValues()).isEqualTo(3);
    }

    @Test
    void valuesBeyondTheMemoryBoundBecomeOtherAndAreReportedPerRequest() {
        CohortValueGuard guard = new CohortValueGuard(SETS, 3, 3, Map.of());
        List<String> overflow = new ArrayList<>();
        List<String> regions = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            regions.add(guard.apply(response("r" + i, "p"), (d, v) -> overflow.add(d + "=" + v)).cohort().get("region"));
        }
        assertThat(regions).containsExactly("r0", "r1", "r2", "__other__", "__other__", "__other__", "__other__",
                "__other__", "__other__", "__other__");
        assertThat(overflow).hasSize(7).allMatch(s -> s.startsWith("cohort.region="));
        // an admitted value keeps its name later on; ungrouped dimensions (tenant) are not capped
        ResponseEvent again = guard.apply(response("r1", "p"), (d, v) -> overflow.add(d));
        assertThat(again.cohort()).containsEntry("region", "r1").containsEntry("tenant", "t-r1");
        assertThat(overflow).hasSize(7);
    }

    @Test
    void pinnedValuesArePureAndProvidersOfAttemptsAreCappedToo() {
        CohortValueGuard guard = new CohortValueGuard(SETS, 2, 2, Map.of("cohort.region", List.of("eu", "us")));
        assertThat(guard.apply(response("us", "a"), (d, v) -> {}).cohort()).containsEntry("region", "us");
        assertThat(guard.apply(response("xx", "b"), (d, v) -> {}).cohort()).containsEntry("region", "__other__");
        ResponseEvent third = guard.apply(response("eu", "c"), (d, v) -> {});
        assertThat(third.provider()).isEqualTo("__other__");
        assertThat(third.attempts().get(0).provider()).isEqualTo("__other__");
        assertThat(guard.reason("cohort.region")).contains("cohorts.values");
        assertThat(guard.reason("provider")).contains("cohorts.max_tracked");
    }

    @Test
    void untouchedResponsesAreTheSameInstance() {
        CohortValueGuard guard = new CohortValueGuard(SETS, 100, Map.of());
        ResponseEvent r = response("eu", "a");
        assertThat(guard.apply(r, (d, v) -> {})).isSameAs(r);
    }
}
