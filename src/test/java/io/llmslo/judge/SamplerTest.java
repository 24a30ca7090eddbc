package io.llmslo.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.api.Test;

class SamplerTest {

    @Test
    void xxHash64MatchesPublishedVectors() {
        // Vectors from the xxHash reference implementation / python-xxhash README (seed 0).
        assertThat(XxHash64.hash("")).isEqualTo(0xEF46DB3751D8E999L);
        assertThat(XxHash64.hash("a")).isEqualTo(0xD24EC4F1A98C6E5BL);
        assertThat(XxHash64.hash("abc")).isEqualTo(0x44BC2CF5AD770999L);
        // 39 bytes: exercises the 32-byte stripe loop and every tail path.
        assertThat(XxHash64.hash("Nobody inspects the spammish repetition")).isEqualTo(0xFBCEA83C8A378BF1L);
    }

    @Test
    void xxHash64AgreesWithAnIndependentImplementation() {
        // lz4-java's pure-Java XXH64 (test classpath only) on random lengths 0..200 and random bytes.
        var reference = XXHashFactory.safeInstance().hash64();
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 5_000; i++) {
            byte[] b = new byte[rnd.nextInt(201)];
            for (int j = 0; j < b.length; j++) {
                b[j] = (byte) rnd.nextInt(256);
            }
            assertThat(XxHash64.hash(b, 0L)).as("length %d", b.length).isEqualTo(reference.hash(b, 0, b.length, 0L));
        }
        byte[] utf8 = "requête-東京-🚀".getBytes(StandardCharsets.UTF_8);
        assertThat(XxHash64.hash("requête-東京-🚀")).isEqualTo(reference.hash(utf8, 0, utf8.length, 0L));
    }

    @Test
    void goldenIdsAreStableAcrossRuns() {
        // Hard-coded: if any of these change, every replay would judge a different sample.
        assertThat(XxHash64.hash("req-000001")).isEqualTo(0x7151ba5f52c60195L);
        assertThat(XxHash64.hash("req-000014")).isEqualTo(0x0006462e8619207cL);
        assertThat(XxHash64.hash("9f1c2e7a-3b4d-4c5e-8f60-718293a4b5c6")).isEqualTo(0x7a8effa7c37de194L);
        assertThat(Sampler.unit("req-000014")).isCloseTo(0.00009573589168044, within(1e-15));
        assertThat(Sampler.unit("req-000000")).isCloseTo(0.03303909676547678, within(1e-15));

        Sampler s = new Sampler(0.05, Map.of());
        assertThat(s.sampled("req-000000", "chat")).isTrue(); // u = 0.0330
        assertThat(s.sampled("req-000003", "chat")).isTrue(); // u = 0.0337
        assertThat(s.sampled("req-000014", "chat")).isTrue(); // u = 0.0001
        assertThat(s.sampled("req-000001", "chat")).isFalse(); // u = 0.4427
        assertThat(s.sampled("req-000002", "chat")).isFalse(); // u = 0.7645
        assertThat(s.sampled("r3", "chat")).isFalse(); // u = 0.0543, just above 0.05
        // At 2 % the two ids between 0.02 and 0.05 drop out, the lowest stays.
        Sampler two = new Sampler(0.02, Map.of());
        assertThat(two.sampled("req-000000", "chat")).isFalse();
        assertThat(two.sampled("req-000014", "chat")).isTrue();
    }

    @Test
    void rateIsMetWithinPointTwoPercentagePointsOverAMillionIds() {
        Sampler s = new Sampler(0.05, Map.of());
        int n = 1_000_000;
        int hits = 0;
        for (int i = 0; i < n; i++) {
            if (s.sampled("req-" + i, "chat")) {
                hits++;
            }
        }
        // Binomial sd at n = 1e6, p = 0.05 is 0.022 pp: ±0.2 pp is 9 sd, a biased hash fails it.
        assertThat(hits / (double) n).isCloseTo(0.05, within(0.002));
    }

    @Test
    void lowerRateSampleIsASubsetOfHigherRateSample() {
        Sampler five = new Sampler(0.05, Map.of());
        Sampler two = new Sampler(0.02, Map.of());
        int inTwo = 0;
        for (int i = 0; i < 200_000; i++) {
            String id = "7c0a-" + i;
            if (two.sampled(id, "rag")) {
                inTwo++;
                assertThat(five.sampled(id, "rag")).as(id).isTrue();
            }
        }
        assertThat(inTwo).isBetween(3_600, 4_400);
    }

    @Test
    void perSurfaceRatesOverrideTheDefault() {
        Sampler s = new Sampler(0.05, Map.of("batch", 0.0, "agent", 1.0));
        assertThat(s.rateFor("chat")).isEqualTo(0.05);
        assertThat(s.rateFor(null)).isEqualTo(0.05);
        assertThat(s.sampled("req-000014", "batch")).isFalse();
        assertThat(s.sampled("req-000002", "agent")).isTrue();
        assertThat(s.sampled(null, "agent")).isFalse();
        assertThatThrownBy(() -> new Sampler(1.5, Map.of())).hasMessageContaining("rate");
    }

    @Test
    void maybeSampledIsTheSampleOfTheHighestSurfaceRate() {
        // ratings carry no surface: the superset test must hold every id any surface samples
        Sampler s = new Sampler(0.05, Map.of("rag", 0.2));
        int both = 0;
        for (int i = 0; i < 2_000; i++) {
            String id = "req-" + i;
            boolean any = s.sampled(id, "chat") || s.sampled(id, "rag");
            assertThat(s.maybeSampled(id)).as(id).isEqualTo(Sampler.unit(id) < 0.2);
            if (any) {
                assertThat(s.maybeSampled(id)).isTrue();
                both++;
            }
        }
        assertThat(both).isPositive();
        assertThat(s.maybeSampled(null)).isFalse();
    }
}
