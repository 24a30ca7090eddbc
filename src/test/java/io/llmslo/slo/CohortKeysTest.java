package io.llmslo.slo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cohort fan-out keys (DESIGN §3): canonical text, dimensions in configured order. */
class CohortKeysTest {

    /** The default grouping sets of a job file. */
    static final List<List<String>> DEFAULT_SETS = List.of(
            List.of("surface"),
            List.of("surface", "model"),
            List.of("surface", "cohort.region"),
            List.of("surface", "cohort.locale"));

    static final Map<String, String> CHAT_EU = Map.of(
            "surface", "chat", "model", "m-2", "provider", "p-a", "cohort.region", "eu", "cohort.locale", "de-DE");

    final CohortKeys keys = new CohortKeys(DEFAULT_SETS);

    @Test
    void globalCohortFirstThenEachSetInConfiguredOrder() {
        assertThat(keys.keysFor(SloCatalog.SUCCESS, CHAT_EU)).containsExactly(
                "*",
                "surface=chat",
                "surface=chat,model=m-2",
                "surface=chat,cohort.region=eu",
                "surface=chat,cohort.locale=de-DE");
    }

    @Test
    void dimensionsKeepTheConfiguredOrderNotAlphabetical() {
        CohortKeys k = new CohortKeys(List.of(List.of("model", "surface"), List.of("cohort.locale", "surface", "model")));
        assertThat(k.keysFor(SloCatalog.ACCEPTANCE, CHAT_EU)).containsExactly(
                "*", "model=m-2,surface=chat", "cohort.locale=de-DE,surface=chat,model=m-2");
    }

    @Test
    void aRequestMissingADimensionIsNotCountedInThatSet() {
        Map<String, String> noLocale = Map.of("surface", "rag", "model", "m-1", "cohort.region", "us");
        assertThat(keys.keysFor(SloCatalog.TOTAL, noLocale)).containsExactly(
                "*", "surface=rag", "surface=rag,model=m-1", "surface=rag,cohort.region=us");
        // and never under an invented "unknown" value
        assertThat(keys.keysFor(SloCatalog.TOTAL, noLocale)).noneMatch(k -> k.contains("locale"));
    }

    @Test
    void noGroupingSetsIsTheGlobalCohortOnly() {
        assertThat(new CohortKeys(List.of()).keysFor(SloCatalog.SUCCESS, CHAT_EU)).containsExactly("*");
        assertThat(keys.keysFor(SloCatalog.SUCCESS, Map.of())).containsExactly("*");
    }

    @Test
    void providerSuccessIsAlwaysSplitByProvider() {
        Map<String, String> attemptOfPb = Map.of("surface", "chat", "model", "m-2", "provider", "p-b", "cohort.region", "eu");
        assertThat(keys.keysFor(SloCatalog.PROVIDER_SUCCESS, attemptOfPb)).containsExactly(
                "provider=p-b",
                "surface=chat,provider=p-b",
                "surface=chat,model=m-2,provider=p-b",
                "surface=chat,cohort.region=eu,provider=p-b");
        assertThat(keys.keysFor(SloCatalog.PROVIDER_SUCCESS, attemptOfPb)).doesNotContain("*");
    }

    @Test
    void providerSuccessKeysDifferPerProvider() {
        List<String> pa = keys.keysFor(SloCatalog.PROVIDER_SUCCESS, Map.of("surface", "chat", "provider", "p-a"));
        List<String> pb = keys.keysFor(SloCatalog.PROVIDER_SUCCESS, Map.of("surface", "chat", "provider", "p-b"));
        assertThat(pa).containsExactly("provider=p-a", "surface=chat,provider=p-a");
        assertThat(pb).containsExactly("provider=p-b", "surface=chat,provider=p-b");
    }

    @Test
    void providerSuccessWithAProviderInTheSetIsNotDuplicated() {
        CohortKeys k = new CohortKeys(List.of(List.of("surface"), List.of("surface", "provider"), List.of("provider")));
        assertThat(k.keysFor(SloCatalog.PROVIDER_SUCCESS, Map.of("surface", "chat", "provider", "p-a")))
                .containsExactly("provider=p-a", "surface=chat,provider=p-a");
        // for other SLOs a provider set is an ordinary set
        assertThat(k.keysFor(SloCatalog.SUCCESS, Map.of("surface", "chat", "provider", "p-a")))
                .containsExactly("*", "surface=chat", "surface=chat,provider=p-a", "provider=p-a");
    }

    @Test
    void providerSuccessWithoutAProviderHasNoCohort() {
        assertThat(keys.keysFor(SloCatalog.PROVIDER_SUCCESS, Map.of("surface", "chat"))).isEmpty();
    }

    @Test
    void separatorsInsideValuesAreEscapedSoKeysCannotCollide() {
        CohortKeys keys = new CohortKeys(List.of(List.of("cohort.tenant"), List.of("cohort.tenant", "model")));
        List<String> tricky = keys.keysFor("quality.acceptance", Map.of("cohort.tenant", "a,model=x"));
        List<String> honest = keys.keysFor("quality.acceptance", Map.of("cohort.tenant", "a", "model", "x"));
        assertThat(tricky).contains("cohort.tenant=a\\,model\\=x");
        assertThat(tricky).doesNotContainAnyElementsOf(honest.subList(1, honest.size()));
        assertThat(CohortKeys.escape("back\\slash")).isEqualTo("back\\\\slash");
    }
}
