package io.llmslo.join;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmslo.slo.CohortKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * Bytes of join state per request (issue 9), measured with the serializers Flink uses for it,
 * for a typical response of the simulator (surface, model, provider, region, locale; a 20-char
 * request id). The printed figures feed the sizing formula in docs/production.md.
 */
class RequestStateSizeTest {

    /** The dimensions a gateway request carries; the default grouping sets name four of them. */
    static final Map<String, String> DIMS = Map.of("surface", "chat", "model", "m-2", "provider", "openai",
            "cohort.region", "ap-south", "cohort.locale", "en-US");

    static final List<List<String>> GROUPING_SETS = List.of(List.of("surface"), List.of("surface", "model"),
            List.of("surface", "cohort.region"), List.of("surface", "cohort.locale"));

    /** The request state as it was before it was compacted: the full dimension map and a rater list. */
    public static class FormerRequestState {
        public boolean responded;
        public long ts;
        public boolean success;
        public Map<String, String> dims;
        public boolean acceptanceDone;
        public long expiry;
        public List<String> raters;

        public FormerRequestState() {}
    }

    static <T> int bytes(Class<T> type, T value) throws Exception {
        TypeSerializer<T> s = TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(256);
        s.serialize(value, out);
        return out.length();
    }

    @Test
    void aRequestsJoinStateIsItsTimesAndTheValuesOfTheGroupedDimensionsOnly() throws Exception {
        CompactDims compact = new CompactDims(CohortKeys.dimensionsOf(GROUPING_SETS));
        RequestState now = new RequestState();
        now.responded = true;
        now.ts = 1_790_000_000_000L;
        now.success = true;
        now.dims = compact.pack(DIMS);
        now.dimsSchema = compact.schema();
        now.expiry = now.ts + 8 * 86_400_000L;

        FormerRequestState before = new FormerRequestState();
        before.responded = true;
        before.ts = now.ts;
        before.success = true;
        before.dims = new HashMap<>(DIMS);
        before.expiry = now.expiry;
        before.raters = new ArrayList<>();

        int valueNow = bytes(RequestState.class, now);
        int valueBefore = bytes(FormerRequestState.class, before);
        // RocksDB key of the value and of the request's one timer (acceptance, then expiry): key
        // group (2 bytes) + the request id (StringSerializer: length + chars) + namespace (1), timer + 8
        int idBytes = bytes(String.class, "req_5ecf4c1bf7c6390d");
        int keyBytes = 2 + idBytes + 1;
        int timerBytes = 2 + 8 + idBytes + 1;
        int perRequest = valueNow + keyBytes + timerBytes;
        System.out.printf("join state per request: value %d B (was %d B), key %d B, one timer %d B: %d B"
                + " (was %d B with two timers) before RocksDB's own per-entry overhead%n", valueNow, valueBefore,
                keyBytes, timerBytes, perRequest, valueBefore + keyBytes + 2 * timerBytes);

        // the values only: no text, no dimension names, no provider (no grouping set names it)
        assertThat(compact.unpack(now.dims, now.dimsSchema)).containsOnlyKeys("surface", "model",
                "cohort.region", "cohort.locale");
        assertThat(valueNow).isLessThan(valueBefore / 2);
    }

    @Test
    void stateWrittenUnderOtherGroupingSetsUnpacksToTheGlobalCohortOnly() {
        CompactDims before = new CompactDims(List.of("surface", "model"));
        CompactDims after = new CompactDims(List.of("model", "surface"));
        String[] packed = before.pack(DIMS);
        assertThat(before.unpack(packed, before.schema())).containsEntry("surface", "chat").containsEntry("model", "m-2");
        assertThat(after.unpack(packed, before.schema())).isEmpty();
    }
}
